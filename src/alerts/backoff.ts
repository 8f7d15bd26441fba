/**
 * Retry timing of notification deliveries (pure). Exponential back-off with "equal jitter" (half fixed,
 * half random, so retries of many deliveries spread out but never fire early), a receiver's Retry-After
 * taken as a lower bound, and dead-lettering after `maxAttempts`.
 */
export type BackoffPolicy = Readonly<{ baseMs: number; maxMs: number; maxAttempts: number; maxRetryAfterMs: number }>;

export type SendOutcome = Readonly<
  | { ok: true; status?: number }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number | null }
>;

export type NextStep = Readonly<{ state: 'sent' } | { state: 'retrying'; delayMs: number } | { state: 'dead'; reason: string }>;

/** Delay before attempt `attempt + 1`, given `attempt` attempts were made (1-based). */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random, retryAfterMs?: number | null): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  if (retryAfterMs === undefined || retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** What happens to a delivery after its `attempts`-th attempt ended with `outcome`. */
export function nextStep(attempts: number, outcome: SendOutcome, policy: BackoffPolicy, random: () => number = Math.random): NextStep {
  if (outcome.ok) return { state: 'sent' };
  if (!outcome.retryable) return { state: 'dead', reason: `permanent failure: ${outcome.error}` };
  if (attempts >= policy.maxAttempts) return { state: 'dead', reason: `gave up after ${attempts} attempts: ${outcome.error}` };
  return { state: 'retrying', delayMs: retryDelayMs(attempts, policy, random, outcome.retryAfterMs) };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
