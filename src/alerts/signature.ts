import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC-SHA256 of the exact body bytes>` under the channel's secret. */
export const SIGNATURE_HEADER = 'x-telemetry-signature';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers (and our tests): constant-time comparison of a received header with the expected one. */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
