import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../../support/app';

/** Spec submissions-and-nodes.md §A.7: geo from the client address (trusted-proxy rule) with GEOIP_DB_PATH, then the address is dropped. */
describe('submission geo metadata with a CSV ranges GeoIP database', () => {
  let t: TestApp;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'geo-')), 'ranges.csv');
    writeFileSync(path, '203.0.113.0,203.0.113.255,AU,Victoria,,Melbourne,5000000\n198.51.100.0,198.51.100.255,NZ,Otago,,Tinytown,10\n');
    t = await startTestApp({ GEOIP_DB_PATH: path, TRUSTED_PROXIES: '1' });
  });
  afterAll(async () => t?.close());

  const submit = async (forwardedFor: string) => {
    const docid = randomUUID();
    const res = await t.app.inject({ method: 'POST', url: `/submit/test/test/1/${docid}`, payload: '{}', headers: { 'x-forwarded-for': forwardedFor } });
    expect(res.statusCode).toBe(200);
    return docid;
  };
  const documentOf = async (docid: string) => {
    await t.runtime.catchUp(['submission-documents']);
    const res = await t.app.inject({ method: 'GET', url: `/api/submissions/documents?document_id=${docid}`, headers: t.auth });
    return res.json().items[0] as { metadata: Record<string, string> };
  };

  it('looks up the X-Forwarded-For entry chosen by TRUSTED_PROXIES and stores no address', async () => {
    // one trusted proxy: the last entry is the client as that proxy saw it
    const doc = await documentOf(await submit('198.51.100.7, 203.0.113.44'));
    expect(doc.metadata).toMatchObject({ geo_country: 'AU', geo_subdivision1: 'Victoria', geo_city: 'Melbourne', normalized_country_code: 'AU' });
    expect(JSON.stringify(doc)).not.toMatch(/203\.0\.113|198\.51\.100/);
  });

  it('drops a small city, and records unknown addresses as "??" without geo fields', async () => {
    const small = await documentOf(await submit('198.51.100.9'));
    expect(small.metadata.geo_country).toBe('NZ');
    expect(small.metadata.geo_city).toBeUndefined();
    const unknown = await documentOf(await submit('192.0.2.1'));
    expect(unknown.metadata.normalized_country_code).toBe('??');
    expect(Object.keys(unknown.metadata).filter((k) => k.startsWith('geo_'))).toEqual([]);
  });
});
