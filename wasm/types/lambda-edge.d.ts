// Types for clicktrail/lambda-edge: the CloudFront viewer-request handler.

export interface LambdaEdgeConfig {
  /** Active keys, bundled at deploy time (Lambda@Edge has no environment variables). */
  keys: { id: string; secret: string }[];
  /** The path of the base URL links were signed with ("" for https://t.example.com). */
  basePath?: string;
  allowedHosts?: string[];
  fullIp?: boolean;
  rejectHtml?: string;
  /** Also write each recorded hit as one JSON line on console.log. */
  log?: boolean;
  /** The public origin URLs were signed for, e.g. "https://t.example.com"; default https:// + Host. */
  origin?: string;
  /** The clicktrail-core.wasm bytes, when bundled into the function. */
  wasmBinary?: Uint8Array;
}

export type CloudFrontHeaders = Record<string, { key?: string; value: string }[]>;

export interface CloudFrontRequest {
  clientIp: string;
  headers: CloudFrontHeaders;
  method: string;
  querystring: string;
  uri: string;
  [key: string]: unknown;
}

export interface CloudFrontResponse {
  status: string;
  statusDescription?: string;
  headers?: CloudFrontHeaders;
  body?: string;
  bodyEncoding?: 'text' | 'base64';
}

export interface CloudFrontRequestEvent {
  Records: { cf: { config?: Record<string, string>; request: CloudFrontRequest } }[];
}

export function createHandler(
  config: LambdaEdgeConfig,
): (event: CloudFrontRequestEvent) => Promise<CloudFrontRequest | CloudFrontResponse>;
