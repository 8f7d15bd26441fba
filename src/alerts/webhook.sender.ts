import { parseRetryAfter, SendOutcome } from './backoff';
import { SIGNATURE_HEADER, signBody } from './signature';
import type { Notification } from './notification';

export const DELIVERY_HEADER = 'x-telemetry-delivery';

/**
 * One JSON POST. 2xx = delivered; 408, 429, 5xx, timeouts and connection errors are retried (429/503
 * honour Retry-After); any other status is permanent (the receiver refuses this payload).
 */
export async function sendWebhook(
  url: string,
  secret: string | null,
  notification: Notification,
  deliveryKey: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const body = JSON.stringify(notification.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'telemetry-platform-alerts/1',
    [DELIVERY_HEADER]: deliveryKey,
  };
  if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { ok: false, retryable: true, error: `webhook: ${reason}` };
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return { ok: true, status: response.status };
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  return {
    ok: false,
    retryable,
    status: response.status,
    error: `webhook answered ${response.status}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
  };
}
