import { existsSync, readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { ConfigError } from '../../../config/app-config';

export const GEO_LOOKUP = Symbol('GEO_LOOKUP');

export type GeoFields = Readonly<{ country?: string; subdivision1?: string; subdivision2?: string; city?: string }>;

/** The geo step of spec submissions-and-nodes.md §A.7: client IP → country/subdivisions/city. The IP is never kept by a lookup. */
export interface GeoLookup {
  readonly source: string;
  lookup(ip: string | undefined): GeoFields | undefined;
}

/** No database configured or present: every address is unknown (`normalized_country_code` "??"). */
export const UNKNOWN_GEO: GeoLookup = { source: 'none', lookup: () => undefined };

type Range = { start: bigint; end: bigint; geo: GeoFields; population: number | undefined };

/**
 * A CSV ranges database, one range per line: `start_ip,end_ip,country,subdivision1,subdivision2,city,population`
 * (IPv4 or IPv6; empty fields allowed; `#` comments and a header line skipped; the DB-IP "lite" and
 * IP2Location layouts convert to it with a one-line awk). Ranges are kept sorted for a binary search.
 * A city whose population is below `cityMinPopulation` is dropped (spec submissions-and-nodes.md §A.7; unknown population keeps it).
 */
export class CsvRangesGeoLookup implements GeoLookup {
  private readonly ranges: Range[];

  constructor(
    readonly source: string,
    text: string,
    private readonly cityMinPopulation: number,
  ) {
    const ranges: Range[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const [start, end, country, sub1, sub2, city, population] = parseCsvLine(trimmed);
      if (index === 0 && !isIPv4(start) && !isIPv6(start)) return; // header
      const s = ipToBigInt(start);
      const e = ipToBigInt(end);
      if (s === undefined || e === undefined || e < s || isIPv4(start) !== isIPv4(end)) {
        throw new ConfigError(`GEOIP_DB_PATH ${source}: line ${index + 1} is not "start_ip,end_ip,country,subdivision1,subdivision2,city,population"`);
      }
      const geo: Record<string, string> = {};
      if (country) geo.country = country.toUpperCase();
      if (sub1) geo.subdivision1 = sub1;
      if (sub2) geo.subdivision2 = sub2;
      if (city) geo.city = city;
      ranges.push({ start: s, end: e, geo, population: population && /^\d+$/.test(population) ? Number(population) : undefined });
    });
    this.ranges = ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  get size(): number {
    return this.ranges.length;
  }

  lookup(ip: string | undefined): GeoFields | undefined {
    const n = ip === undefined ? undefined : ipToBigInt(unmapIpv4(ip));
    if (n === undefined) return undefined;
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found: Range | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid].start <= n) {
        found = this.ranges[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!found || n > found.end) return undefined;
    if (found.geo.city && found.population !== undefined && found.population < this.cityMinPopulation) {
      const { city: _dropped, ...rest } = found.geo;
      return rest;
    }
    return found.geo;
  }
}

/** The configured database, or UNKNOWN_GEO when no path is set or the file is absent (never an error, submissions-and-nodes.md §A.7). */
export function loadGeoLookup(path: string | undefined, cityMinPopulation: number, warn: (message: string) => void): GeoLookup {
  if (!path) return UNKNOWN_GEO;
  if (!existsSync(path)) {
    warn(`GEOIP_DB_PATH ${path} does not exist: geo fields stay unknown`);
    return UNKNOWN_GEO;
  }
  if (path.endsWith('.mmdb')) throw new ConfigError(`GEOIP_DB_PATH ${path}: MaxMind .mmdb is not supported here; convert it to the CSV ranges format (README)`);
  return new CsvRangesGeoLookup(path, readFileSync(path, 'utf8'), cityMinPopulation);
}

/** IPv4 → 32-bit value; IPv6 → 128-bit value offset above the IPv4 space so the two never overlap. */
function ipToBigInt(ip: string): bigint | undefined {
  if (isIPv4(ip)) return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  if (!isIPv6(ip) || ip.includes('.')) return undefined;
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) + (1n << 32n);
}

function unmapIpv4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/** Minimal CSV: commas, optional double quotes with "" escapes. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(field.trim()), (field = '');
    else field += ch;
  }
  out.push(field.trim());
  return out;
}
