import { BlockList, isIP } from 'node:net';

/**
 * A set of networks (`10.0.0.0/8`, `::1/128`, or a bare address) and the question "is this address in one of
 * them?". IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) match the IPv4 networks.
 */
export class CidrList {
  private constructor(
    private readonly list: BlockList,
    readonly entries: readonly string[],
  ) {}

  /** Throws an Error naming the first entry that is not an address or address/prefix. */
  static parse(entries: readonly string[]): CidrList {
    const list = new BlockList();
    for (const entry of entries) {
      const [address, prefixText, ...rest] = entry.split('/');
      const family = isIP(address);
      const bits = family === 6 ? 128 : 32;
      const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (family === 0 || rest.length > 0 || !(prefix >= 0 && prefix <= bits)) throw new Error(`"${entry}" is not an address or address/prefix`);
      list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
    return new CidrList(list, entries);
  }

  contains(address: string | undefined): boolean {
    const family = address === undefined ? 0 : isIP(address);
    return family !== 0 && this.list.check(address!, family === 6 ? 'ipv6' : 'ipv4');
  }
}
