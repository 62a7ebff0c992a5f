// Compiled by `npm run typecheck` only: the documented usage must type-check against index.d.ts.
import { rewriteLinks, verifyTrackingUrl, createVerifier, createEdge, type VerifyResult } from 'clicktrail';
import worker, { createWorker } from 'clicktrail/cloudflare';
import { createHandler } from 'clicktrail/lambda-edge';

const result = rewriteLinks('<a href="https://example.com">x</a>', {
  baseUrl: 'https://t.example.com',
  keyId: 'k1',
  secret: 'a secret of at least 16 bytes',
  messageId: 'm-1',
});
const firstTracked: string | undefined = result.links.find((link) => link.tracked)?.trackedUrl;
const html: string = result.html;
const bytes: Uint8Array = rewriteLinks(new Uint8Array(0), {}).html;

const verdict: VerifyResult = verifyTrackingUrl(firstTracked ?? '', [{ id: 'k1', secret: 's' }]);
if (verdict.ok) {
  const target: string | undefined = verdict.target;
  void target;
} else {
  const code: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'bad_target' | 'bad_input' =
    verdict.error;
  void code;
}
const verifier = createVerifier([{ id: 'k1', secret: 's' }], { allowedHosts: ['.example.com'] });
verifier.dispose();
void html;
void bytes;

const decision = createEdge({ keys: [{ id: 'k1', secret: 's' }] }).handle('GET', 'https://t.example.com/c?x');
const redirectTo: string | undefined = decision.location;
const custom = createWorker({ retentionDays: 30, allowedHosts: ['.example.com'] });
const lambda = createHandler({ keys: [{ id: 'k1', secret: 's' }], log: true });
void redirectTo;
void custom;
void worker;
void lambda;

// Back office: SES events and CloudFront logs.
import { aggregateClicks, analyzeSesEvents, createLogAggregator, parseSesEvents, suppressionDecision } from 'clicktrail/backoffice';
const batch = parseSesEvents('{"eventType":"Send"}\n');
const firstRecipient: string | undefined = batch.records[0]?.recipient;
const analysis = analyzeSesEvents([], { suppression: { softBounceLimit: 3 }, reputation: { from: new Date(0) } });
const bounceStatus: string | undefined = analysis.reputation?.overall.bounceRate.status;
const suppressed: string[] = suppressionDecision({}).map((entry) => entry.reason);
const aggregator = createLogAggregator({ exact: true }).write('').end();
const entries = aggregator.result();
const clicks: number | undefined = entries[0]?.metrics.clicks;
const csv: string = aggregator.result({ format: 'csv', daily: false });
const oneShot: string = aggregateClicks('', { format: 'ndjson' }).result;
void [firstRecipient, bounceStatus, suppressed, clicks, csv, oneShot];

// The browser components: their elements and events are typed.
import type { ClicktrailComposer, TrackedEventDetail } from 'clicktrail/composer';
import type { ClicktrailReport } from 'clicktrail/report';
declare const composer: ClicktrailComposer;
composer.addEventListener('tracked', (event: CustomEvent<TrackedEventDetail>) => {
  const signedHtml: string = event.detail.html;
  const untracked = event.detail.rows.filter((row) => !row.tracked).map((row) => row.text);
  void signedHtml;
  void untracked;
});
declare const report: ClicktrailReport;
void report.refresh().then(() => report.model?.activity[0]?.type);
