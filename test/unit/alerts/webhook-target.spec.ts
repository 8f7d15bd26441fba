import { parseWebhookAllowList, resolvedAddressRefusal, webhookUrlRefusal } from '../../../src/alerts/webhook-target';

describe('webhook target policy', () => {
  const none = parseWebhookAllowList([]);
  const refusal = (target: string, allow = none) => webhookUrlRefusal(new URL(target), allow);

  it('takes https to public hosts, and refuses other schemes and plain http', () => {
    expect(refusal('https://hooks.example.com/x')).toBeNull();
    expect(refusal('https://93.184.216.34/x')).toBeNull();
    expect(refusal('http://hooks.example.com/x')).toContain('must be https');
    expect(refusal('ftp://hooks.example.com/x')).toContain('https');
  });

  it.each(['127.0.0.1', '127.9.9.9', '0.0.0.0', '10.0.0.1', '172.16.5.5', '192.168.0.1', '169.254.169.254', '100.64.0.1', '[::1]', '[::]', '[fe80::1]', '[fc00::1]', '[fd12::1]', '[::ffff:10.0.0.1]'])(
    'refuses the internal address %s',
    (host) => expect(refusal(`https://${host}/x`)).toContain('loopback, link-local or private'),
  );

  it('lets an allow-listed name use http and resolve anywhere', () => {
    const allow = parseWebhookAllowList(['Receiver.Internal']);
    expect(refusal('http://receiver.internal:8080/x', allow)).toBeNull();
    expect(resolvedAddressRefusal(new URL('https://receiver.internal/x'), ['10.0.0.5'], allow)).toBeNull();
  });

  it('lets an allow-listed network be a literal target (http too) or a resolved address, and nothing next to it', () => {
    const allow = parseWebhookAllowList(['127.0.0.1', '10.20.0.0/16']);
    expect(refusal('http://127.0.0.1:9000/x', allow)).toBeNull();
    expect(refusal('https://10.20.3.4/x', allow)).toBeNull();
    expect(refusal('https://127.0.0.2/x', allow)).toContain('127.0.0.2');
    expect(refusal('https://10.21.0.1/x', allow)).toContain('10.21.0.1');
    expect(resolvedAddressRefusal(new URL('https://hooks.example.com/x'), ['10.20.9.9'], allow)).toBeNull();
  });

  it('refuses a name if any one of its addresses is internal', () => {
    const url = new URL('https://rebind.example.com/x');
    expect(resolvedAddressRefusal(url, ['93.184.216.34'], none)).toBeNull();
    expect(resolvedAddressRefusal(url, ['93.184.216.34', '192.168.1.1'], none)).toContain('resolves to 192.168.1.1');
    expect(resolvedAddressRefusal(url, ['fe80::1%eth0'.split('%')[0]], none)).toContain('fe80::1');
  });

  it('names a bad allow-list entry', () => {
    expect(() => parseWebhookAllowList(['10.0.0.0/33'])).toThrow('10.0.0.0/33');
    expect(() => parseWebhookAllowList(['https://x'])).toThrow('https://x');
  });
});
