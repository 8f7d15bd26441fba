import { readFixtureText } from '../../support/fixtures';
import { normaliseMessage, parseNodeFrame, stripNul } from '../../../src/sources/nodes/node-message';

const lines = (file: string) => readFixtureText(`nodes/${file}`).trim().split('\n');
const RECEIVED = '2026-11-23T10:00:00.000Z';

describe('parseNodeFrame / normaliseMessage (spec submissions-and-nodes.md §B.3)', () => {
  it('keeps every legacy flat fixture message as sent, with its ts as created_at', () => {
    const flat = lines('legacy-flat-messages.ndjson');
    expect(flat).toHaveLength(17);
    for (const line of flat) {
      const parsed = parseNodeFrame(line, RECEIVED);
      if (!parsed.ok) throw new Error(`rejected ${line}`);
      const original = JSON.parse(line);
      expect(parsed.message.logs).toEqual(original);
      expect(parsed.message.createdAt).toBe(original.ts);
      expect(parsed.message.tsSource).toBe('node');
      expect(parsed.message.telemetryId).toBeNull();
    }
  });

  it('unwraps every envelope fixture: payload + ts, id kept as telemetry_id, same logs as the flat form', () => {
    const flatByTs = new Map(lines('legacy-flat-messages.ndjson').map((l) => [JSON.parse(l).ts as string, JSON.parse(l)]));
    const envelopes = lines('envelope-messages.ndjson');
    expect(envelopes).toHaveLength(7);
    for (const line of envelopes) {
      const parsed = parseNodeFrame(line, RECEIVED);
      if (!parsed.ok) throw new Error(`rejected ${line}`);
      const envelope = JSON.parse(line);
      expect(parsed.message.telemetryId).toBe(1);
      expect(parsed.message.logs.msg).toBe(envelope.payload.msg);
      expect(parsed.message.logs.ts).toBe(envelope.ts);
      expect(parsed.message.logs).toEqual(flatByTs.get(envelope.ts));
    }
  });

  it('a message with a top-level msg is flat even if it has a payload field', () => {
    const m = normaliseMessage({ msg: 'x', ts: '2020-01-01T00:00:00Z', payload: { a: 1 } }, RECEIVED);
    expect(m.logs).toEqual({ msg: 'x', ts: '2020-01-01T00:00:00Z', payload: { a: 1 } });
    expect(m.telemetryId).toBeNull();
  });

  it('a frame nested too deep or with a lone surrogate is dropped as unstorable; NULs are replaced, not dropped', () => {
    const deep = '{"msg":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}';
    expect(parseNodeFrame(deep, RECEIVED)).toEqual({ ok: false, reason: 'unstorable' });
    expect(parseNodeFrame('{"msg":"x\\udfff"}', RECEIVED)).toEqual({ ok: false, reason: 'unstorable' });
    expect(parseNodeFrame('{"msg":"x\\u0000"}', RECEIVED)).toMatchObject({ ok: true, message: { logs: { msg: 'x\uFFFD' } } });
  });

  it('no ts → stored with the server time, counted no_timestamp', () => {
    expect(normaliseMessage({ msg: 'block.import' }, RECEIVED)).toMatchObject({ createdAt: RECEIVED, tsSource: 'server', timestampProblem: 'no_timestamp' });
  });

  it('ts not RFC 3339 → server time, counted bad_timestamp', () => {
    for (const ts of ['yesterday', '2020-02-14 16:59', 12345, '2020-13-45T99:00:00Z']) {
      expect([ts, normaliseMessage({ msg: 'x', ts }, RECEIVED)]).toMatchObject([ts, { createdAt: RECEIVED, tsSource: 'server', timestampProblem: 'bad_timestamp' }]);
    }
  });

  it('invalid JSON and non-objects are rejected with their reason', () => {
    expect(parseNodeFrame('{"msg":', RECEIVED)).toEqual({ ok: false, reason: 'invalid_json' });
    expect(parseNodeFrame('[1,2]', RECEIVED)).toEqual({ ok: false, reason: 'not_object' });
    expect(parseNodeFrame('"text"', RECEIVED)).toEqual({ ok: false, reason: 'not_object' });
  });

  it('replaces U+0000 (refused by jsonb) in keys and values', () => {
    expect(stripNul({ 'a\u0000': ['x\u0000y', 1, { b: '\u0000' }] })).toEqual({ 'a\uFFFD': ['x\uFFFDy', 1, { b: '\uFFFD' }] });
    const parsed = parseNodeFrame('{"msg":"a\\u0000b","ts":"2020-01-01T00:00:00Z"}', RECEIVED);
    expect(parsed.ok && parsed.message.logs.msg).toBe('a\uFFFDb');
  });
});
