import { CidrList } from '../../../src/common/cidr-list';
import { ConfigError } from '../../../src/config/env-readers';
import { loadFuelConfig } from '../../../src/sources/fuel/fuel.config';

describe('CidrList', () => {
  const list = CidrList.parse(['10.0.0.0/8', '192.168.1.7', '::1/128', 'fd00::/8']);
  it.each([
    ['10.200.3.4', true], ['11.0.0.1', false], ['192.168.1.7', true], ['192.168.1.8', false],
    ['::1', true], ['::2', false], ['fd12:3456::1', true], ['::ffff:10.1.2.3', true], ['::ffff:11.1.2.3', false],
    [undefined, false], ['not-an-ip', false],
  ])('%p → %p', (address, inside) => expect(list.contains(address)).toBe(inside));

  it.each(['10.0.0.0/33', '10.0.0/8', 'example.org', '::1/129', '10.0.0.0/8/1', '10.0.0.0/'])('refuses %p', (entry) =>
    expect(() => CidrList.parse([entry])).toThrow(entry),
  );
});

describe('Fuel analytics settings', () => {
  it('defaults: loopback + RFC 1918 allowed, privacy floor k = 5, no trusted proxy', () => {
    const c = loadFuelConfig({});
    expect(c.reportMinInstallations).toBe(5);
    expect(c.trustedProxies).toBe(0);
    for (const inside of ['127.0.0.1', '::1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1']) expect(c.analyticsAllowedCidrs.contains(inside)).toBe(true);
    for (const outside of ['8.8.8.8', '172.32.0.1', '2001:db8::1']) expect(c.analyticsAllowedCidrs.contains(outside)).toBe(false);
  });

  it('reads ANALYTICS_ALLOWED_CIDRS, REPORT_MIN_INSTALLATIONS, TRUSTED_PROXIES', () => {
    const c = loadFuelConfig({ ANALYTICS_ALLOWED_CIDRS: ' 203.0.113.0/24 , 2001:db8::/32', REPORT_MIN_INSTALLATIONS: '5', TRUSTED_PROXIES: '1' });
    expect(c.analyticsAllowedCidrs.entries).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(c.analyticsAllowedCidrs.contains('127.0.0.1')).toBe(false);
    expect([c.reportMinInstallations, c.trustedProxies]).toEqual([5, 1]);
  });

  it.each([
    [{ ANALYTICS_ALLOWED_CIDRS: '10.0.0.0/8,nope' }, /ANALYTICS_ALLOWED_CIDRS .*"nope"/],
    [{ REPORT_MIN_INSTALLATIONS: '0' }, /REPORT_MIN_INSTALLATIONS must be between 1/],
    [{ REPORT_MIN_INSTALLATIONS: 'five' }, /REPORT_MIN_INSTALLATIONS must be a whole number/],
  ])('%p → one-line ConfigError', (env, message) => {
    expect(() => loadFuelConfig(env)).toThrow(ConfigError);
    expect(() => loadFuelConfig(env)).toThrow(message);
  });
});
