// Types for the clicktrail package (all hosts share one API; see README).

export type RewriteMode = 'wrap' | 'ses';

export interface RewriteOptions {
  /** "wrap" (default): clicktrail's signed URLs and pixel. "ses": prepare links for SES tracking. */
  mode?: RewriteMode;
  /** Tracking host, e.g. "https://t.example.com" (wrap mode). */
  baseUrl?: string;
  keyId?: string;
  /** HMAC key, at least 16 bytes. Never send it to a browser. */
  secret?: string;
  /**
   * false: an unsigned preview (no keyId or secret needed, e.g. in a browser). Its URLs carry no
   * `kid` and no `sig`, so the edge refuses them; pass `recipientId`, not `recipient`.
   */
  sign?: boolean;
  messageId?: string;
  /** A recipient address: only its keyed hash goes into URLs. */
  recipient?: string;
  /** An already opaque recipient id (used when `recipient` is not given). */
  recipientId?: string;
  orderId?: string;
  campaignId?: string;
  publicationId?: string;
  channel?: string;
  creative?: string;
  size?: string;
  /** Message-level tags, as {k: v} or "k:v;k2:v2". */
  tags?: Record<string, string> | string;
  /** Seconds since the epoch after which the URLs are refused. */
  expiresAt?: number;
  trackClicks?: boolean;
  openPixel?: boolean;
  linkify?: boolean;
  /** Default 250, SES's limit. */
  maxLinks?: number;
  /** Default "{{ses:openTracker}}". */
  openTrackerPlaceholder?: string;
  /** List-Unsubscribe URLs: never wrapped. */
  unsubscribeUrls?: string[];
}

export type LinkReason =
  | 'tracked'
  | 'empty'
  | 'fragment'
  | 'mailto'
  | 'tel'
  | 'sms'
  | 'unsafe_scheme'
  | 'other_scheme'
  | 'relative'
  | 'template_tag'
  | 'opted_out'
  | 'unsubscribe'
  | 'invalid_url'
  | 'over_limit'
  | 'clicks_off';

export interface LinkReport {
  /** Shared by the Outlook (VML) and HTML copies of one button. */
  index: number;
  /** The href as a browser reads it (character references decoded). */
  url: string;
  element: string;
  tracked: boolean;
  reason: LinkReason;
  tags: Record<string, string>;
  trackedUrl?: string;
  linkified: boolean;
  conditionalComment: boolean;
  /**
   * `<a>` only: what the reader sees. `image_without_alt` (images only, one without alt text)
   * also gives an `image_without_alt` warning.
   */
  content?: 'text' | 'image' | 'image_without_alt' | 'empty';
  /** Byte offset of the tag (or URL text) in the UTF-8 input. */
  offset: number;
  line: number;
}

export interface RewriteWarning {
  code: string;
  message: string;
  offset: number;
  line: number;
}

export interface RewriteResult<Output = string> {
  /** The rewritten document: a string for string input, bytes for byte input. */
  html: Output;
  links: LinkReport[];
  warnings: RewriteWarning[];
  trackedLinks: number;
  pixel: { inserted: boolean; offset: number };
}

export interface SigningKey {
  id: string;
  secret: string;
}

export type TrackError =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'bad_target'
  | 'bad_input';

export interface VerifiedUrl {
  ok: true;
  endpoint: 'click' | 'pixel';
  keyId: string;
  messageId?: string;
  recipientId?: string;
  linkIndex?: number;
  tags?: Record<string, string>;
  orderId?: string;
  campaignId?: string;
  publicationId?: string;
  channel?: string;
  creative?: string;
  size?: string;
  expiresAt?: number;
  /** Clicks: the only place the edge may redirect to. */
  target?: string;
}

export interface RefusedUrl {
  ok: false;
  error: TrackError;
  message: string;
}

export type VerifyResult = VerifiedUrl | RefusedUrl;

export interface VerifyOptions {
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Redirect only to these hosts (".example.com" also allows subdomains). */
  allowedHosts?: string[];
}

export interface Verifier {
  verify(url: string, now?: number): VerifyResult;
  /** Frees the native key schedules (also freed when garbage-collected). */
  dispose(): void;
}

export class ClicktrailError extends Error {
  code: string;
}

/** Loads the WebAssembly core (browser: a Module or the .wasm URL). A no-op in Node. */
export function init(source?: WebAssembly.Module | string | URL): Promise<void>;
export function rewriteLinks(html: string, options: RewriteOptions): RewriteResult<string>;
export function rewriteLinks(html: Uint8Array, options: RewriteOptions): RewriteResult<Uint8Array>;
export function rewriteText(text: string, options: RewriteOptions): RewriteResult<string>;
export function rewriteText(text: Uint8Array, options: RewriteOptions): RewriteResult<Uint8Array>;
export function buildClickUrl(target: string, options: RewriteOptions, linkIndex?: number): string;
export function buildPixelUrl(options: RewriteOptions): string;
export function createVerifier(keys: SigningKey[], options?: { allowedHosts?: string[] }): Verifier;
export interface EdgeDecision {
  action: 'redirect' | 'pixel' | 'reject' | 'method_not_allowed' | 'pass' | 'error';
  status: number;
  location?: string;
  record: boolean;
  event?: Record<string, unknown>;
}
export interface Edge {
  handle(method: string, url: string, userAgent?: string, ip?: string, nowMs?: number): EdgeDecision;
  dispose(): void;
}
/** The per-request edge decision (what the Worker and Lambda@Edge handlers build on). */
export function createEdge(settings: {
  keys: SigningKey[];
  allowedHosts?: string[];
  fullIp?: boolean;
  /** The path of the base URL links were signed with: only <basePath>/c and <basePath>/pxl.png are endpoints. */
  basePath?: string;
}): Edge;
export function verifyTrackingUrl(url: string, keys: SigningKey[], options?: VerifyOptions): VerifyResult;
export function recipientId(address: string, secret: string): string;
/** HMAC-SHA256 of `message` under `key`, base64url without padding. */
export function hmacSha256(key: string | Uint8Array, message: string | Uint8Array): string;

