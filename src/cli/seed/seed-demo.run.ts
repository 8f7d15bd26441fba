import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../common/paths';
import { loadDemoFixtures } from './demo-fixtures';
import { FuelFixtures, fuelDemoRequests } from './demo-fuel';
import { nodeDemoSessions, sendNodeSessions } from './demo-nodes';
import { demoRecords } from './demo-records';
import { createdOrDuplicate, DemoRequest, RetryPolicy, sendAll, SendTally } from './demo-send';
import { submissionDemoRequests } from './demo-submissions';

/**
 * `seed:demo`'s core: demo data for all four sources sent to a running platform over its real wire
 * protocols (HTTP collectors, the websocket ingest), one source after another. Deterministic: the data
 * depends only on `seed` and `anchor` (the start of the current UTC day by default), so a re-run the same
 * day sends byte-identical requests and the platform answers every one as a duplicate.
 */
export type SeedOptions = Readonly<{
  url: string;
  seed: number;
  /** Times are spread before this instant; keep it fixed for idempotent re-runs. */
  anchor: Date;
  clearLinux: Readonly<{ count: number; days: number; telemetryId: string }>;
  fuelInstallations: number;
  submissions: number;
  nodeSessions: number;
  /** A credential (viewer is enough) for reading `GET /nodes` back, which is open only when PUBLIC_READ_ROUTES has `nodes`. */
  token?: string;
  concurrency?: number;
  retry?: RetryPolicy;
  /** One progress line (no newline) per call. */
  progress?: (line: string) => void;
}>;

export type SourceName = 'clearlinux' | 'fuel' | 'submissions' | 'nodes';
export type SeedReport = Readonly<{ sources: Record<SourceName, SendTally>; seconds: number; failed: number }>;

/** The start of `now`'s UTC day: the default anchor, so re-runs on one day resend the same records. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function loadFuelFixtures(dir = join(PROJECT_ROOT, 'test', 'fixtures', 'fuelstats')): FuelFixtures {
  const read = <T>(name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  return {
    installationFull: read('installation-structure-full-9.0.json'),
    installationTwoClusters: read('installation-structure-two-clusters.json'),
    actionLogs: read('action-logs-failed-deployments.json'),
    oswl: read('oswl-stats-realistic.json'),
  };
}

export function clearLinuxRequests(o: SeedOptions): DemoRequest[] {
  const records = demoRecords(loadDemoFixtures(), { count: o.clearLinux.count, days: o.clearLinux.days, seed: o.seed, salt: `seed-${o.seed}`, now: o.anchor });
  return records.map((r, i) => ({
    label: `clearlinux record #${i} (${r.headers.classification})`,
    path: '/v2/collector',
    body: r.body,
    headers: { ...r.headers, 'X-Telemetry-TID': o.clearLinux.telemetryId, 'content-type': 'application/text' },
    classify: createdOrDuplicate,
  }));
}

export function tallyLine(source: string, t: SendTally, total: number): string {
  const parts = [`${t.created} new`, `${t.duplicate} duplicate`];
  if (t.accepted) parts.push(`${t.accepted} answered 200`);
  if (t.failed) parts.push(`${t.failed} FAILED`);
  if (t.retries) parts.push(`${t.retries} retries after 503`);
  return `${source}: ${t.sent}/${total} sent (${parts.join(', ')})`;
}

export async function seedDemo(o: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const progress = o.progress ?? (() => undefined);
  const throttled = (source: string, total: number) => {
    let last = 0;
    return (t: SendTally) => {
      const now = Date.now();
      if (t.sent === total || now - last >= 1000) {
        last = now;
        progress(tallyLine(source, t, total));
      }
    };
  };
  const http = async (source: string, requests: DemoRequest[]) =>
    sendAll(o.url, requests, { concurrency: o.concurrency, retry: o.retry, onSent: throttled(source, requests.length) });

  const clearlinux = await http('clearlinux', clearLinuxRequests(o));
  const fuelRequests = fuelDemoRequests(loadFuelFixtures(), { installations: o.fuelInstallations, seed: o.seed, anchor: o.anchor });
  // installations first in the queue: their action logs and stats follow them
  const fuel = await http('fuel', fuelRequests);
  const submissions = await http('submissions', submissionDemoRequests({ documents: o.submissions, seed: o.seed }));
  const sessions = nodeDemoSessions({ count: o.nodeSessions, seed: o.seed, now: new Date() });
  const nodes = await sendNodeSessions(o.url, sessions, { token: o.token, onSent: throttled('nodes', sessions.length) });
  const sources = { clearlinux, fuel, submissions, nodes };
  const failed = Object.values(sources).reduce((n, t) => n + t.failed, 0);
  return { sources, seconds: (Date.now() - started) / 1000, failed };
}
