/**
 * The HTTP side of `seed:demo`: POSTs prepared requests to a running platform, `concurrency` at a time,
 * retrying 503 (and 429) as a well-behaved client does — wait what Retry-After says (seconds or an HTTP
 * date), capped, at most `attempts` tries in all — and sorts every answer into created / duplicate /
 * failed with the source's own rule. Nothing here knows what the payloads mean.
 */
export type DemoRequest = Readonly<{
  /** What the progress and failure lines call it, e.g. `fuel installation demo-fuel-3`. */
  label: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  /** How the source reports a successful answer; anything else (or a throw) is a failure. */
  classify: (status: number, body: string) => Outcome;
}>;

/** `accepted`: a 2xx from a source that answers a duplicate exactly like a first copy (submissions, submissions-and-nodes.md §A.6). */
export type Outcome = 'created' | 'duplicate' | 'accepted' | 'failed';

export type RetryPolicy = Readonly<{
  /** Tries per request, the first included. */
  attempts: number;
  /** Longest single wait, whatever Retry-After asks for. */
  maxWaitMs: number;
  /** Wait when a 503/429 carries no usable Retry-After. */
  defaultWaitMs: number;
}>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, maxWaitMs: 10_000, defaultWaitMs: 1_000 };

export type SendTally = {
  sent: number;
  created: number;
  duplicate: number;
  accepted: number;
  failed: number;
  /** Retries after a 503/429 (not requests). */
  retries: number;
  /** The first few failures, one line each (`label: why`). */
  failures: string[];
};

export const emptyTally = (): SendTally => ({ sent: 0, created: 0, duplicate: 0, accepted: 0, failed: 0, retries: 0, failures: [] });

const MAX_FAILURE_LINES = 20;

export function recordFailure(tally: SendTally, line: string): void {
  tally.failed++;
  if (tally.failures.length < MAX_FAILURE_LINES) tally.failures.push(line);
}

/** Milliseconds a Retry-After value asks for (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One request, retried on 503/429 within the policy; the last status and body, or the network error. */
async function sendOne(baseUrl: string, r: DemoRequest, policy: RetryPolicy, tally: SendTally): Promise<{ status: number; body: string }> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${baseUrl}${r.path}`, { method: 'POST', headers: r.headers, body: r.body });
    const body = await res.text();
    if ((res.status !== 503 && res.status !== 429) || attempt >= policy.attempts) return { status: res.status, body };
    tally.retries++;
    const asked = retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? policy.defaultWaitMs;
    await sleep(Math.min(policy.maxWaitMs, asked));
  }
}

/**
 * Sends every request; never throws for a failed request (it is counted and described in the tally).
 * `onSent` is called after each answer, for progress lines.
 */
export async function sendAll(
  baseUrl: string,
  requests: readonly DemoRequest[],
  o: Readonly<{ concurrency?: number; retry?: RetryPolicy; onSent?: (tally: SendTally) => void }> = {},
): Promise<SendTally> {
  const base = baseUrl.replace(/\/$/, '');
  const policy = o.retry ?? DEFAULT_RETRY;
  const tally = emptyTally();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      try {
        const { status, body } = await sendOne(base, r, policy, tally);
        const outcome = r.classify(status, body);
        if (outcome === 'failed') recordFailure(tally, `${r.label}: HTTP ${status} ${body.slice(0, 200)}`);
        else tally[outcome]++;
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        recordFailure(tally, `${r.label}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
      }
      tally.sent++;
      o.onSent?.(tally);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, worker));
  return tally;
}

/** 201 → created, 200 → duplicate (an upsert or a resend the platform already had). */
export function createdOrDuplicate(status: number): Outcome {
  return status === 201 ? 'created' : status === 200 ? 'duplicate' : 'failed';
}
