import { BackoffPolicy, nextStep, parseRetryAfter, retryDelayMs } from '../../../src/alerts/backoff';

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5, maxRetryAfterMs: 3_600_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt between half and all of the ceiling (equal jitter)', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(30, policy, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, policy, () => 0)).toBe(30_000);
  });

  it('waits at least what Retry-After asks, capped by maxRetryAfterMs', () => {
    expect(retryDelayMs(1, policy, () => 0, 10_000)).toBe(10_000);
    expect(retryDelayMs(5, policy, () => 1, 100)).toBe(16_000);
    expect(retryDelayMs(1, { ...policy, maxRetryAfterMs: 5_000 }, () => 0, 86_400_000)).toBe(5_000);
  });
});

describe('nextStep', () => {
  const fail = { ok: false as const, retryable: true, error: 'webhook answered 503', status: 503 };
  it('marks success as sent', () => {
    expect(nextStep(1, { ok: true, status: 204 }, policy)).toEqual({ state: 'sent' });
  });
  it('retries a transient failure until the last attempt, then dead-letters', () => {
    expect(nextStep(4, fail, policy, () => 0)).toEqual({ state: 'retrying', delayMs: 4000 });
    expect(nextStep(5, fail, policy)).toEqual({ state: 'dead', reason: 'gave up after 5 attempts: webhook answered 503' });
  });
  it('dead-letters a permanent failure at once', () => {
    expect(nextStep(1, { ok: false, retryable: false, error: 'webhook answered 410' }, policy).state).toBe('dead');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['Mon, 23 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 23 Nov 2026 11:00:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
