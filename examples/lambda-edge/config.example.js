// The deploy-time configuration of the Lambda@Edge handler: a template, with placeholder keys.
//
// Lambda@Edge has no environment variables, so the signing keys travel inside the deployment
// zip. The real `config.js` next to this file is generated at deploy time from a secret store
// (Secrets Manager, SSM Parameter Store, Vault, your CI's secrets), is git-ignored, and is
// bundled into the zip by bundle.mjs; it must export the same two names as this file.
// Never commit a real secret: the placeholder below only lets the bundle be built and tested.

/** Every active key: a URL verifies when its `kid` names one of them (keep old ones during rotation). */
export const keys = [
  { id: 'k1', secret: 'placeholder-secret-replace-at-deploy-time' },
];

/** Options for createHandler (wasm/src/lambda-edge.js). */
export const options = {
  // The public origin the tracking URLs were built with (their baseUrl). Without it the handler
  // verifies against https:// + the Host header, which fails when a request reaches CloudFront
  // under another name (the *.cloudfront.net one, or a second alias).
  origin: 'https://t.example.com',
  // Redirect only to these hosts ('.example.com' allows subdomains); [] allows any safe target.
  allowedHosts: [],
  // false: IPs in the console.log line are truncated to /24 (IPv4) and /48 (IPv6).
  fullIp: false,
  // true: one JSON line per recorded hit on console.log (CloudWatch Logs in the edge's region),
  // in addition to the CloudFront access log.
  log: false,
};
