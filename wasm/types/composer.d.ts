// `clicktrail/composer`: the <clicktrail-composer> web component (web/composer/).
import type { LinkReport } from './index.js';

/** One row of the composer's link list: every copy of one link (HTML and Outlook VML) together. */
export interface ComposerRow {
  index: number;
  url: string;
  tracked: boolean;
  reason: LinkReport['reason'];
  /** tracked, skipped (fine as it is) or blocked (something to fix). */
  tone: 'tracked' | 'skipped' | 'blocked';
  /** The reason in the author's words, e.g. "Not tracked: mailto: link". */
  text: string;
  /** "plain URL turned into a link", "Outlook (VML) button", "image-only link without alt text"... */
  notes: string[];
  elements: string[];
  /** UTF-8 byte offsets of each copy in the source. */
  offsets: number[];
  line: number;
  linkified: boolean;
  outlook: boolean;
  content: LinkReport['content'] | null;
  trackedUrl: string | null;
  canOptOut: boolean;
  optedOut: boolean;
}

/** What rewriteLinks / rewriteText answer (unsigned, or signed by the signing endpoint). */
export interface ComposerResult {
  html: string;
  links: LinkReport[];
  warnings: { code: string; message: string; offset: number; line: number }[];
  trackedLinks: number;
  pixel: { inserted: boolean; offset: number };
}

export interface TrackedEventDetail {
  html: string;
  report: ComposerResult;
  rows: ComposerRow[];
  /** true when the signing endpoint signed this version; false for the unsigned preview. */
  signed: boolean;
  /** Time of the local render (core, link list, preview), ms. */
  ms: number | null;
}

/**
 * <clicktrail-composer base-url message-id campaign-id recipient-id signing-endpoint format
 * max-links debounce wasm-url>. Fires `tracked` (CustomEvent<TrackedEventDetail>) after each
 * render. Secrets never reach the browser: without `signing-endpoint` the preview is unsigned.
 */
export declare class ClicktrailComposer extends HTMLElement {
  value: string;
  linkify: boolean;
  openPixel: boolean;
  trackClicks: boolean;
  readonly format: 'html' | 'text';
  readonly maxLinks: number;
  readonly options: Record<string, unknown>;
  readonly result: ComposerResult | null;
  readonly renderedValue: string | null;
  readonly rows: ComposerRow[];
  readonly signed: boolean;
  readonly lastRenderMs: number | null;
  /** Renders now; returns the time the local render took (ms), or null before the core loads. */
  render(): number | null;
}

declare global {
  interface HTMLElementTagNameMap {
    'clicktrail-composer': ClicktrailComposer;
  }
  interface HTMLElementEventMap {
    tracked: CustomEvent<TrackedEventDetail>;
  }
}
