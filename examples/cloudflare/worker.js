// The Worker is clicktrail's Cloudflare entry as it is: GET|HEAD /c redirects verified clicks,
// /pxl.png serves the pixel, a cron trigger applies the retention period. Only the default
// export is re-exported on purpose: workerd treats every named export of the main module as an
// entrypoint and refuses one that is not a handler.
export { default } from 'clicktrail/cloudflare';

// To change behaviour, build your own instead (options: see createWorker in the package):
//   import { createWorker } from 'clicktrail/cloudflare';
//   export default createWorker({ allowedHosts: ['.example.com'], rejectHtml: '<p>Expired</p>' });
