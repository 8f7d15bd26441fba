import { isIP } from 'node:net';
import { CidrList } from '../common/cidr-list';

/**
 * Where webhooks may go (pure). A webhook is a request the platform makes on an admin's behalf, so a
 * target on the platform's own network (loopback, link-local, private, carrier-grade NAT, the cloud
 * metadata address) would let a channel reach services that trust "inside" callers. Such targets, and
 * plain http anywhere, are refused unless the host is on ALERT_WEBHOOK_ALLOWED_HOSTS.
 */
export const INTERNAL_NETWORKS = CidrList.parse([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]);

/**
 * ALERT_WEBHOOK_ALLOWED_HOSTS: host names (matched exactly, case-insensitive) and addresses or networks
 * (`127.0.0.1`, `10.20.0.0/16`). An allowed name may use http and resolve anywhere; an allowed network
 * makes those addresses acceptable as a literal target or as what a name resolves to.
 */
export type WebhookAllowList = Readonly<{ names: ReadonlySet<string>; networks: CidrList }>;

/** Throws an Error naming the first entry that is neither a host name nor an address/prefix. */
export function parseWebhookAllowList(entries: readonly string[]): WebhookAllowList {
  const names = new Set<string>();
  const networks: string[] = [];
  for (const entry of entries) {
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare.split('/')[0]) !== 0) networks.push(bare);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) names.add(entry.toLowerCase().replace(/\.$/, ''));
    else throw new Error(`"${entry}" is not a host name, address or address/prefix`);
  }
  return { names, networks: CidrList.parse(networks) };
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');

function addressAllowed(address: string, allow: WebhookAllowList): boolean {
  return !INTERNAL_NETWORKS.contains(address) || allow.networks.contains(address);
}

/**
 * Why `target` may not be a webhook (null = it may), judged on the URL alone: the scheme, and the host if it
 * is an address literal. Names are judged again when sending, on what they resolve to.
 */
export function webhookUrlRefusal(target: URL, allow: WebhookAllowList): string | null {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return 'must be an https URL';
  const host = hostOf(target);
  if (allow.names.has(host)) return null;
  const literal = isIP(host) !== 0;
  if (literal && !addressAllowed(host, allow)) return `${host} is a loopback, link-local or private address (not on ALERT_WEBHOOK_ALLOWED_HOSTS)`;
  if (target.protocol === 'http:' && !(literal && allow.networks.contains(host))) return 'must be https (plain http only for hosts on ALERT_WEBHOOK_ALLOWED_HOSTS)';
  return null;
}

/** Why sending to `target`, whose host resolved to `addresses`, is refused (null = send). Any one internal address refuses. */
export function resolvedAddressRefusal(target: URL, addresses: readonly string[], allow: WebhookAllowList): string | null {
  const host = hostOf(target);
  if (allow.names.has(host)) return null;
  const internal = addresses.find((a) => !addressAllowed(a, allow));
  return internal === undefined ? null : `${host} resolves to ${internal}, a loopback, link-local or private address (not on ALERT_WEBHOOK_ALLOWED_HOSTS)`;
}
