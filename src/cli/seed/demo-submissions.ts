import { DemoRequest, Outcome } from './demo-send';
import { demoUuid } from './demo-fuel';
import { rng } from './demo-random';

/**
 * Pure generator of the `/submit/...` part of the demo (spec submissions-and-nodes.md §A): documents for the permissive
 * `test/test/1` schema and for `eng-workflow/hgpush/1` (schemas/submissions), and the errors an operator
 * should see on the errors page — bodies that are not JSON, hgpush documents without the required
 * `changesetID`, and telemetry-form documents with no registered schema. Every URI's document id derives
 * from the seed: the dedupe key is the full URI path (submissions-and-nodes.md §A.6), so a re-run is answered 200 and stored only
 * as a metadata-only `duplicate` record, never as a second document or payload-carrying error.
 */
export type SubmissionsDemoOptions = Readonly<{ documents: number; seed: number }>;

const CHANNELS = ['release', 'beta', 'nightly'];
const OSES = ['Linux', 'Windows_NT', 'Darwin'];

/** Every answer of /submit is 200 whether first copy, duplicate or invalid document; other statuses fail. */
const accepted = (status: number): Outcome => (status === 200 ? 'accepted' : 'failed');

export function submissionDemoRequests(o: SubmissionsDemoOptions): DemoRequest[] {
  if (o.documents === 0) return [];
  const random = rng(o.seed ^ 0x50b_3117);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const id = (kind: string, n: number) => demoUuid(`submissions-demo:${o.seed}:${kind}:${n}`);
  const out: DemoRequest[] = [];
  const add = (label: string, path: string, body: string, contentType = 'application/json') =>
    out.push({ label, path, body, headers: { 'content-type': contentType, 'user-agent': 'seed-demo/1 (demo data)' }, classify: accepted });
  for (let n = 0; n < o.documents; n++) {
    const doc = { client: id('client', n % 7), channel: pick(CHANNELS), os: pick(OSES), sessions: 1 + Math.floor(random() * 40), uptime_min: Math.floor(random() * 6000) };
    add(`submission test/test/1 #${n}`, `/submit/test/test/1/${id('test', n)}`, JSON.stringify(doc));
  }
  const pushes = Math.max(2, Math.round(o.documents / 4));
  for (let n = 0; n < pushes; n++) {
    const changeset = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
    add(`submission eng-workflow/hgpush/1 #${n}`, `/submit/eng-workflow/hgpush/1/${id('hgpush', n)}`, JSON.stringify({ changesetID: changeset, pushlog: n }));
  }
  const errors = Math.max(1, Math.round(o.documents / 10));
  for (let n = 0; n < errors; n++) {
    // error_type "json": cut off mid-object, as a client killed while writing would send it
    add(`submission bad JSON #${n}`, `/submit/test/test/1/${id('bad-json', n)}`, `{"client": "${id('client', n)}", "sessions": ${n}, `);
    // error_type "schema": upstream's one hgpush failure, the required changesetID missing
    add(`submission schema failure #${n}`, `/submit/eng-workflow/hgpush/1/${id('hgpush-invalid', n)}`, JSON.stringify({ pushlog: n }));
  }
  // error_type "schema_missing": the telemetry form with a version that has no registered schema
  for (let n = 0; n < 2; n++) {
    add(`submission telemetry main #${n}`, `/submit/telemetry/${id('telemetry', n)}/main/Firefox/61.0a1/nightly/20180328030202`, JSON.stringify({ version: 4, type: 'main' }));
  }
  return out;
}
