import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvRangesGeoLookup, loadGeoLookup, UNKNOWN_GEO } from '../../../src/sources/submissions/intake/geoip';
import { buildMetadata } from '../../../src/sources/submissions/intake/submission-metadata';

const CSV = [
  'start_ip,end_ip,country,subdivision1,subdivision2,city,population',
  '# documentation ranges',
  '203.0.113.0,203.0.113.255,au,Victoria,,Melbourne,5000000',
  '198.51.100.0,198.51.100.127,US,"Oregon",Multnomah,Smallville,800',
  '2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,DE,Berlin,,Berlin,3600000',
].join('\n');

describe('CsvRangesGeoLookup', () => {
  const geo = new CsvRangesGeoLookup('test.csv', CSV, 15_000);

  it('finds IPv4, IPv4-mapped and IPv6 addresses by range', () => {
    expect(geo.size).toBe(3);
    expect(geo.lookup('203.0.113.77')).toEqual({ country: 'AU', subdivision1: 'Victoria', city: 'Melbourne' });
    expect(geo.lookup('::ffff:203.0.113.1')?.country).toBe('AU');
    expect(geo.lookup('2001:db8:1::5')).toEqual({ country: 'DE', subdivision1: 'Berlin', city: 'Berlin' });
  });

  it('drops a city below the population floor, keeps the rest', () => {
    expect(geo.lookup('198.51.100.5')).toEqual({ country: 'US', subdivision1: 'Oregon', subdivision2: 'Multnomah' });
  });

  it('answers undefined outside every range and for non-addresses', () => {
    expect(geo.lookup('198.51.100.200')).toBeUndefined();
    expect(geo.lookup('10.0.0.1')).toBeUndefined();
    expect(geo.lookup('not an ip')).toBeUndefined();
    expect(geo.lookup(undefined)).toBeUndefined();
  });

  it('refuses a malformed line naming it', () => {
    expect(() => new CsvRangesGeoLookup('bad.csv', '1.2.3.4,nope,US', 0)).toThrow(/line 1/);
  });
});

describe('loadGeoLookup', () => {
  it('is unknown when no path is set or the file is absent, never an error', () => {
    const warnings: string[] = [];
    expect(loadGeoLookup(undefined, 0, (m) => warnings.push(m))).toBe(UNKNOWN_GEO);
    expect(loadGeoLookup('/nonexistent/geo.csv', 0, (m) => warnings.push(m))).toBe(UNKNOWN_GEO);
    expect(warnings).toHaveLength(1);
  });

  it('reads a CSV file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'geo-')), 'geo.csv');
    writeFileSync(path, CSV);
    expect(loadGeoLookup(path, 0, () => undefined).lookup('198.51.100.5')?.city).toBe('Smallville');
  });
});

describe('buildMetadata geo fields', () => {
  const base = { receivedAt: '2024-01-01T00:00:00.000Z', headers: { 'x-forwarded-for': '203.0.113.9' }, args: '' };
  it('sets geo_* and the normalised country, never the address', () => {
    const m = buildMetadata({ ...base, geo: { country: 'AU', subdivision1: 'Victoria', city: 'Melbourne' } });
    expect(m).toMatchObject({ geo_country: 'AU', geo_subdivision1: 'Victoria', geo_city: 'Melbourne', normalized_country_code: 'AU' });
    expect(JSON.stringify(m)).not.toContain('203.0.113.9');
  });
  it('leaves geo fields absent and the country "??" when unknown', () => {
    const m = buildMetadata(base);
    expect(Object.keys(m).filter((k) => k.startsWith('geo_'))).toEqual([]);
    expect(m.normalized_country_code).toBe('??');
  });
});
