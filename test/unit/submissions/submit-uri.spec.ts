import { readFixture } from '../../support/fixtures';
import { parseSubmitUri } from '../../../src/sources/submissions/intake/submit-uri';

type UriCase = { uri: string; expect: 'accept' | 'reject'; upstream_error?: string; status?: number };
const { cases } = readFixture<{ cases: UriCase[] }>('submissions/uri-cases.json');

describe('parseSubmitUri — every uri-cases.json case', () => {
  it.each(cases.map((c) => [c.uri, c] as const))('%s', (_uri, c) => {
    const outcome = parseSubmitUri(c.uri);
    expect(outcome.ok).toBe(c.expect === 'accept');
    if (!outcome.ok) {
      expect(outcome.status).toBe(c.status ?? 400);
      if (c.upstream_error && c.status !== 404) expect(outcome.message).toBe(c.upstream_error);
    }
  });
  it('has the 9 fixture cases', () => expect(cases).toHaveLength(9));
});

describe('parseSubmitUri — forms and element rules', () => {
  it('parses the generic form, lower-casing names and docid', () => {
    expect(parseSubmitUri('/submit/Test/TEST/12/2C3A0767-D84A-4D02-8A92-FA54A3376048')).toEqual({
      ok: true,
      uri: { form: 'generic', namespace: 'test', doctype: 'test', version: '12', docid: '2c3a0767-d84a-4d02-8a92-fa54a3376048' },
    });
  });
  it('parses the telemetry form with docid first and no version', () => {
    expect(parseSubmitUri('/submit/telemetry/ce39b608-f595-4c69-b6a6-f7a436604648/main/Firefox/61.0a1/nightly/20180328030202')).toEqual({
      ok: true,
      uri: {
        form: 'telemetry',
        namespace: 'telemetry',
        doctype: 'main',
        docid: 'ce39b608-f595-4c69-b6a6-f7a436604648',
        appName: 'Firefox',
        appVersion: '61.0a1',
        appUpdateChannel: 'nightly',
        appBuildId: '20180328030202',
      },
    });
  });
  it('404 with the spec message for another prefix', () => {
    expect(parseSubmitUri('/submitx/a')).toMatchObject({ ok: false, status: 404, message: 'unknown URI prefix' });
  });
  it('counts an empty element (trailing slash) and reports the difference', () => {
    expect(parseSubmitUri('/submit/test/test/1/')).toMatchObject({ ok: false, status: 400, message: 'Entry in document_id place is not a valid UUID' });
    expect(parseSubmitUri('/submit/test/test/1/2c3a0767-d84a-4d02-8a92-fa54a3376048/')).toMatchObject({
      ok: false,
      status: 400,
      message: 'Found 1 more path elements in the URI than expected for this endpoint',
    });
    expect(parseSubmitUri('/submit/test//1/2c3a0767-d84a-4d02-8a92-fa54a3376048')).toMatchObject({ ok: false, status: 400 });
  });
  it('rejects a version that is not 1-9 digits', () => {
    expect(parseSubmitUri('/submit/test/test/v1/2c3a0767-d84a-4d02-8a92-fa54a3376048')).toMatchObject({ ok: false, status: 400 });
    expect(parseSubmitUri('/submit/test/test/1234567890/2c3a0767-d84a-4d02-8a92-fa54a3376048')).toMatchObject({ ok: false, status: 400 });
  });
  it('rejects names over 64 characters or percent-encoded', () => {
    expect(parseSubmitUri(`/submit/${'a'.repeat(65)}/test/1/2c3a0767-d84a-4d02-8a92-fa54a3376048`)).toMatchObject({ ok: false, status: 400 });
    expect(parseSubmitUri('/submit/Test%20Space/test/1/2c3a0767-d84a-4d02-8a92-fa54a3376048')).toMatchObject({ ok: false, status: 400 });
  });
  it('414 for a path over 10 240 bytes', () => {
    expect(parseSubmitUri(`/submit/${'a'.repeat(10_240)}`)).toMatchObject({ ok: false, status: 414 });
  });
  it('keeps the parsed part of a rejected URI', () => {
    expect(parseSubmitUri('/submit/test/test/1/not-a-uuid')).toMatchObject({ partial: { namespace: 'test', doctype: 'test', version: '1', docid: 'not-a-uuid' } });
  });
});
