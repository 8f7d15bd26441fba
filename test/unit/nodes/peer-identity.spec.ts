import { readFixtureText } from '../../support/fixtures';
import { identifyPeer, startupTime } from '../../../src/sources/nodes/peer-identity';
import { parseNodeFrame } from '../../../src/sources/nodes/node-message';
import { anonymiseIp, clientAddress } from '../../../src/common/client-address';

const flat = readFixtureText('nodes/legacy-flat-messages.ndjson').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const byMsg = (msg: string) => flat.find((m) => m.msg === msg)!;

describe('identifyPeer (spec submissions-and-nodes.md §B.4)', () => {
  it('system.connected: peer id from network_id, with the node details', () => {
    const m = byMsg('system.connected');
    expect(identifyPeer(m)).toEqual({
      peerId: m.network_id,
      name: m.name,
      chain: m.chain,
      version: m.version,
      authority: m.authority,
      startupTime: Number(m.startup_time),
      implementation: m.implementation ?? null,
    });
  });

  it('older system.network_state: state.peerId', () => {
    const m = byMsg('system.network_state');
    expect(identifyPeer(m)).toEqual({ peerId: (m.state as { peerId: string }).peerId });
  });

  it('older system.interval: network_state.peerId', () => {
    expect(identifyPeer({ msg: 'system.interval', network_state: { peerId: 'QmOld' } })).toEqual({ peerId: 'QmOld' });
  });

  it('system.connected wins over state.peerId in the same message', () => {
    expect(identifyPeer({ msg: 'system.connected', network_id: 'A', state: { peerId: 'B' } })?.peerId).toBe('A');
  });

  it('other messages carry no identity', () => {
    for (const m of flat.filter((x) => !['system.connected', 'system.network_state'].includes(x.msg as string))) expect(identifyPeer(m)).toBeNull();
  });

  it('identifies from an envelope-form system.connected once normalised', () => {
    const line = readFixtureText('nodes/envelope-messages.ndjson').trim().split('\n').find((l) => l.includes('system.connected'))!;
    const parsed = parseNodeFrame(line, '2026-01-01T00:00:00Z');
    expect(parsed.ok && identifyPeer(parsed.message.logs)?.peerId).toBe(byMsg('system.connected').network_id);
  });

  it('startup_time: string of ms → integer, unparseable → null', () => {
    expect(startupTime('1581699577234')).toBe(1581699577234);
    expect(startupTime(42)).toBe(42);
    expect(startupTime('soon')).toBeNull();
    expect(startupTime(undefined)).toBeNull();
  });
});

describe('client address (spec submissions-and-nodes.md §B.1, §A.7)', () => {
  it('anonymises IPv4 to /24 and IPv6 to /48', () => {
    expect(anonymiseIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(anonymiseIp('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(anonymiseIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(anonymiseIp('::1')).toBe('0:0:0::/48');
    expect(anonymiseIp(undefined)).toBeNull();
  });
  it('uses X-Forwarded-For only with trusted proxies', () => {
    expect(clientAddress('10.0.0.1', '1.2.3.4, 10.0.0.9', 0)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '1.2.3.4, 10.0.0.9', 1)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.1', '1.2.3.4, 10.0.0.9', 2)).toBe('1.2.3.4');
  });
});
