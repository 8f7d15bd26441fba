import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from '../../../src/alerts/signature';

describe('webhook signature', () => {
  const body = '{"kind":"failure_report","report":{"report_uuid":"r"}}';
  it('is sha256=<hex HMAC-SHA256 of the exact body>', () => {
    expect(signBody(body, 'topsecret-topsecret')).toBe(`sha256=${createHmac('sha256', 'topsecret-topsecret').update(body).digest('hex')}`);
  });
  it('verifies only the same body under the same secret', () => {
    const header = signBody(body, 'topsecret-topsecret');
    expect(verifySignature(body, 'topsecret-topsecret', header)).toBe(true);
    expect(verifySignature(`${body} `, 'topsecret-topsecret', header)).toBe(false);
    expect(verifySignature(body, 'another-secret-value', header)).toBe(false);
    expect(verifySignature(body, 'topsecret-topsecret', undefined)).toBe(false);
  });
});
