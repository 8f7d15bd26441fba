import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client address per submissions-and-nodes.md §A.7's trusted-proxy rule, stored only anonymised (submissions-and-nodes.md §B.1 DECISION): IPv4 as
 * its /24 network, IPv6 as its /48. Pure.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxies: number): string | undefined {
  if (trustedProxies > 0 && forwardedFor) {
    const hops = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
    const pick = hops[hops.length - trustedProxies];
    if (pick) return pick;
  }
  return socketAddress;
}

export function anonymiseIp(address: string | undefined): string | null {
  if (!address) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  if (isIPv4(ip)) {
    const [a, b, c] = ip.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  if (isIPv6(ip)) {
    const groups = expandIpv6(ip);
    return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
  }
  return null;
}

function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.toLowerCase());
}
