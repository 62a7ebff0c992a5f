// `clicktrail/backoffice`: Amazon SES events and CloudFront logs (wasm/src/backoffice.js, on its
// own WebAssembly module, clicktrail-backoffice.wasm).
// Field lists follow cpp/include/clicktrail/ses.hpp, ses_analysis.hpp and aggregate.hpp.

/** Text or bytes as received, or already parsed event objects. */
export type SesInput = string | Uint8Array | ArrayBuffer | object;

export type SesType =
  | 'send' | 'delivery' | 'bounce' | 'complaint' | 'open' | 'click' | 'reject'
  | 'renderingFailure' | 'deliveryDelay' | 'subscription' | 'other';

/** One affected recipient of one event; type-specific fields are present when the event has them. */
export interface SesRecord {
  type: SesType;
  eventType: string;
  origin: 'eventPublishing' | 'notification';
  envelope: 'bare' | 'snsHttp' | 'snsLambda' | 'eventBridge';
  snsMessageId?: string;
  messageId: string;
  timestamp: string;
  epochMs?: number;
  mailTimestamp?: string;
  recipient: string;
  source: string;
  subject?: string;
  configurationSet: string;
  tags: Record<string, string>;
  tagValues: Record<string, string[]>;
  bounceType?: string;
  bounceSubType?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
  feedbackId?: string;
  reportingMta?: string;
  remoteMtaIp?: string;
  complaintFeedbackType?: string;
  complaintSubType?: string;
  userAgent?: string;
  arrivalDate?: string;
  delayType?: string;
  expirationTime?: string;
  ipAddress?: string;
  link?: string;
  linkTags?: Record<string, string[]>;
  smtpResponse?: string;
  processingTimeMillis?: number;
  rejectReason?: string;
  errorMessage?: string;
  templateName?: string;
  contactList?: string;
  subscriptionSource?: string;
  newTopicPreferences?: TopicPreferences;
  oldTopicPreferences?: TopicPreferences;
  input: number;
  line: number;
  offset: number;
}

export interface TopicPreferences {
  unsubscribeAll: boolean;
  topicSubscriptionStatus: { topicName: string; subscriptionStatus: string }[];
}

export interface SesNotice {
  kind: 'snsSubscriptionConfirmation' | 'snsUnsubscribeConfirmation' | 'snsTextMessage' | 'inboundReceived';
  topicArn: string;
  message: string;
  subscribeUrl?: string;
  input: number;
  line: number;
  offset: number;
}

export interface SesRejection {
  input: number;
  line: number;
  offset: number;
  reason: string;
}

export interface SesBatch {
  seen: number;
  accepted: number;
  rejected: number;
  records: SesRecord[];
  notices: SesNotice[];
  rejections: SesRejection[];
}

export interface SuppressionEntry {
  recipient: string;
  reason: 'complaint' | 'permanentBounce' | 'softBounceLimit';
  detail: string;
  messageId: string;
  feedbackId: string;
  timestamp: string;
  epochMs?: number;
}

export interface SuppressionList {
  count: number;
  entries: SuppressionEntry[];
}

export interface SuppressionOptions {
  /** N transient bounces to one recipient suppress it (0 or absent: rule off). */
  softBounceLimit?: number;
  /** ... within that recipient's last M sends (0 or absent: all of them). */
  softBounceWindowSends?: number;
  /** Stored lists to merge the result with. */
  merge?: (SuppressionList | string)[];
}

export type RateStatus = 'ok' | 'warning' | 'under_review' | 'at_risk_of_pause' | 'no_sends';

export interface RateReport {
  count: number;
  sends: number;
  ratePpm: number;
  status: RateStatus;
}

export interface ReputationScope {
  configurationSet?: string;
  sendBasis: 'send' | 'deliveryPlusBounce';
  sends: number;
  deliveries: number;
  bounces: number;
  permanentBounces: number;
  transientBounces: number;
  complaints: number;
  bounceRate: RateReport;
  complaintRate: RateReport;
}

export interface Reputation {
  overall: ReputationScope;
  configurationSets: ReputationScope[];
}

export interface ReputationOptions {
  from?: Date | string | number;
  to?: Date | string | number;
  /** Percentages; defaults: bounce 3 / 5 / 10, complaint 0.05 / 0.1 / 0.5. */
  levels?: Partial<Record<
    'bounceWarning' | 'bounceReview' | 'bouncePause' | 'complaintWarning' | 'complaintReview' | 'complaintPause',
    number
  >>;
}

export interface EngagementTimes {
  count: number;
  first: string;
  last: string;
  firstMs?: number;
  lastMs?: number;
}

export interface RecipientEngagement {
  messageId: string;
  recipient: string;
  opens: EngagementTimes;
  clicks: number;
  links: { link: string; clicks: EngagementTimes; linkTags: Record<string, string[]> }[];
}

export interface Engagement {
  items: RecipientEngagement[];
}

export function parseSesEvent(event: SesInput): SesBatch;
export function parseSesEvents(events: SesInput, options?: { records?: boolean }): SesBatch;
export function analyzeSesEvents(
  events: SesInput,
  options?: {
    suppression?: boolean | SuppressionOptions;
    reputation?: boolean | ReputationOptions;
    engagement?: boolean;
  },
): Omit<SesBatch, 'records'> & {
  suppression?: SuppressionList;
  reputation?: Reputation;
  engagement?: Engagement;
};
export function suppressionDecision(event: SesInput): SuppressionEntry[];
export function buildSuppressionList(events: SesInput, options?: SuppressionOptions): SuppressionList;
export function mergeSuppressionLists(
  a: SuppressionList | string,
  b: SuppressionList | string,
): SuppressionList;
export function reputation(events: SesInput, options?: ReputationOptions): Reputation;
export function engagement(events: SesInput): Engagement;

export interface CloudFrontParseReport {
  lines: number;
  accepted: number;
  rejected: number;
  skipped: number;
  bytes: number;
  errors: { line: number; reason: string; excerpt: string }[];
}

/** line, epochMs, date, status and every non-empty field under its log name ("c-ip", ...). */
export interface CloudFrontHit {
  line: number;
  epochMs: number;
  date: string;
  status?: number;
  [field: string]: string | number | undefined;
}

export interface CloudFrontLogParser {
  write(chunk: string | Uint8Array): CloudFrontHit[];
  end(): CloudFrontHit[];
  report(): CloudFrontParseReport;
  dispose(): void;
}

/** A performance_entries record (examples/cloudfront/athena.sql has the matching table). */
export interface PerformanceEntry {
  orderId: string;
  campaignId: string;
  publicationId: string;
  channel: string;
  itemPath: string;
  dateStart: string;
  dateEnd: string;
  metrics: { impressions: number; clicks: number; ctr: number; reach: number; [name: string]: number };
  source: string;
  [field: string]: unknown;
}

export interface AggregateOptions {
  /** Exact sets instead of HyperLogLog sketches for unique counts. */
  exact?: boolean;
  /** Count the first x-forwarded-for address instead of c-ip. */
  forwardedFor?: boolean;
  detectBursts?: boolean;
  burstWindowMs?: number;
  burstLinks?: number;
  clickPath?: string;
  pixelPath?: string;
  source?: string;
}

export type AggregateFormat = 'records' | 'json' | 'ndjson' | 'csv' | 'partial';

export interface AggregateReport {
  parse: CloudFrontParseReport;
  aggregate: Record<string, unknown>;
}

export interface LogAggregator {
  write(chunk: string | Uint8Array): LogAggregator;
  end(): LogAggregator;
  result(options: { format: Exclude<AggregateFormat, 'records'>; daily?: boolean }): string;
  result(options?: { format?: 'records'; daily?: boolean }): PerformanceEntry[];
  report(): AggregateReport;
  merge(partial: string | Uint8Array): LogAggregator;
  dispose(): void;
}

export function parseCloudFrontLog(log: string | Uint8Array): { hits: CloudFrontHit[]; report: CloudFrontParseReport };
export function createCloudFrontLogParser(): CloudFrontLogParser;
export function createLogAggregator(options?: AggregateOptions): LogAggregator;
export function aggregateClicks(
  log: string | Uint8Array,
  options?: AggregateOptions & { format?: 'records'; daily?: boolean },
): { result: PerformanceEntry[]; report: AggregateReport };
export function aggregateClicks(
  log: string | Uint8Array,
  options: AggregateOptions & { format: Exclude<AggregateFormat, 'records'>; daily?: boolean },
): { result: string; report: AggregateReport };

/**
 * The edge's person-or-machine rule for one request (HEAD, link scanners, image proxies,
 * crawlers, automation): reason is "human" for a person, else e.g. "proxy:google_image_proxy".
 */
export function classifyTraffic(method: string, userAgent: string): { machine: boolean; reason: string };

export { ClicktrailError } from './index.js';
/** Browsers and Workers: load the module once before the first call (a no-op in Node). */
export function init(source?: WebAssembly.Module | string | URL): Promise<void>;
