// `clicktrail/report`: the <clicktrail-report> web component (web/report/).
import type { PerformanceEntry, Reputation, SuppressionEntry } from './backoffice.js';

/** What the component reads from `src` (JSON) or takes as `data`. */
export interface ReportData {
  generatedAt?: string;
  /** Rows of the edge Worker's D1 table (examples/cloudflare/schema.sql). */
  edgeEvents?: Record<string, unknown>[];
  /** Raw Amazon SES events: NDJSON (or one JSON document) as received. */
  ses?: string;
  /** A CloudFront standard access log. */
  cloudfront?: string;
}

/** One event whatever recorded it (web/report/normalize.js). */
export interface ReportEvent {
  source: 'ses' | 'edge';
  type: string;
  epochMs: number | null;
  time: string | null;
  messageId: string | null;
  campaignId: string | null;
  subject: string | null;
  /** An SES recipient address, or the edge's opaque recipient id. */
  recipient: string | null;
  link: string | null;
  linkIndex: number | null;
  machine: boolean;
  machineReason: string | null;
  detail: string | null;
}

export interface ReportModel {
  /** The events matching the filters, oldest first. */
  events: ReportEvent[];
  /** The same, newest first. */
  activity: ReportEvent[];
  summary: Record<string, unknown>;
  series: unknown;
  campaigns: unknown[];
  links: unknown[];
  typeCounts: Record<string, number>;
  suppression: { total: number; entries: (SuppressionEntry & { epochMs: number })[] };
  reputation: Reputation | null;
  ads: PerformanceEntry[];
  [more: string]: unknown;
}

/**
 * <clicktrail-report src heading>: opens and clicks over time, click-through per link, unique vs
 * total, human vs machine, bounces and complaints with the suppression list, reputation against
 * SES's levels, ad delivery from CloudFront logs, and the activity list, with filters. Parsing
 * and aggregation run in the back-office WebAssembly core in the page. Fires `render`
 * (CustomEvent<{events: number, ms: number}>); sets data-state="loading" | "ready" | "error".
 */
export declare class ClicktrailReport extends HTMLElement {
  src: string | null;
  data: ReportData | null;
  readonly model: ReportModel | null;
  /** Fetches `src` again (or re-renders `data`), keeping the filters. */
  refresh(): Promise<void>;
}

declare global {
  interface HTMLElementTagNameMap {
    'clicktrail-report': ClicktrailReport;
  }
}
