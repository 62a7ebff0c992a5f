// Types for clicktrail/cloudflare: the tracking Worker.

export interface WorkerOptions {
  /** Active keys; default: the CLICKTRAIL_KEYS secret (JSON array). */
  keys?: { id: string; secret: string }[];
  /** The path of the base URL links were signed with ("" for https://t.example.com); default CLICKTRAIL_BASE_PATH. */
  basePath?: string;
  /** Redirect only to these hosts; default: CLICKTRAIL_ALLOWED_HOSTS (comma-separated). */
  allowedHosts?: string[];
  /** Record whole IP addresses; default: CLICKTRAIL_FULL_IP === 'true' (else /24 and /48). */
  fullIp?: boolean;
  /** Page shown (status 400) for a click URL that does not verify. */
  rejectHtml?: string;
  /** Days of D1 events kept by the scheduled handler; default CLICKTRAIL_RETENTION_DAYS or 90. */
  retentionDays?: number;
  /** A custom sink, called after the response for every recorded event. */
  onEvent?: (event: Record<string, unknown>, env: unknown) => Promise<unknown> | unknown;
  /** Fetch other paths from the origin instead of answering 404. */
  passThrough?: boolean;
}

export interface TrackingWorker {
  fetch(request: Request, env: any, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<Response>;
  scheduled(controller: { scheduledTime?: number; cron?: string }, env: any, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<void>;
}

export function createWorker(options?: WorkerOptions): TrackingWorker;
declare const worker: TrackingWorker;
export default worker;
