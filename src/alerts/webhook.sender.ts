import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseRetryAfter, SendOutcome } from './backoff';
import { resolvedAddressRefusal, WebhookAllowList, webhookUrlRefusal } from './webhook-target';
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
  allow: WebhookAllowList,
): Promise<SendOutcome> {
  const refusal = await targetRefusal(url, allow);
  if (refusal) return { ok: false, retryable: refusal.retryable, error: `webhook: ${refusal.error}` };
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

/**
 * Checked again at every send, not only when the channel was saved: the allow-list may have shrunk, and a
 * name may since resolve elsewhere. A refusal is permanent (dead at once, no retries against the policy);
 * only a failed lookup is retried, like any connection error.
 */
async function targetRefusal(target: string, allow: WebhookAllowList): Promise<{ retryable: boolean; error: string } | null> {
  const url = new URL(target);
  const byUrl = webhookUrlRefusal(url, allow);
  if (byUrl) return { retryable: false, error: `refused: ${byUrl}` };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return null;
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (err) {
    return { retryable: true, error: `could not resolve ${host}: ${(err as { code?: string }).code ?? (err as Error).message}` };
  }
  const byAddress = resolvedAddressRefusal(url, addresses, allow);
  return byAddress ? { retryable: false, error: `refused: ${byAddress}` } : null;
}
