import { Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { loadConfig } from '../../../src/config/app-config';
import { kafkaLogCreator } from '../../../src/logging/kafka-logs';
import { loggableUrl, loggerOptions, requestId } from '../../../src/logging/log-options';

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage;

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { logger: pino(loggerOptions({ logLevel: level }), sink), lines };
}

describe('log options', () => {
  it('reads LOG_FORMAT (json by default) and refuses an unknown one', () => {
    expect(loadConfig({}).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be one of json, pretty, text/);
  });

  it('keeps a sane incoming X-Request-Id and replaces anything else with a UUID', () => {
    expect(requestId(request({ 'x-request-id': 'edge-7f3a:01' }))).toBe('edge-7f3a:01');
    expect(requestId(request({ 'x-request-id': 'two words' }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(request({ 'x-request-id': 'x'.repeat(129) }))).toMatch(/^[0-9a-f-]{36}$/);
    const req = request();
    expect(requestId(req)).toBe(requestId(req));
  });

  it('redacts secret-looking query parameters in logged URLs', () => {
    expect(loggableUrl('/api/records?build=40&token=abc&contact_email=a%40b.c')).toBe('/api/records?build=40&token=[redacted]&contact_email=[redacted]');
    expect(loggableUrl('/healthz')).toBe('/healthz');
  });

  it('writes level names and ISO times, and redacts credentials and contact fields', () => {
    const { logger, lines } = capture();
    logger.info({ headers: { authorization: 'Bearer s3cret', cookie: 'tp_session=abc', accept: '*/*' }, report: { contact: 'ops@example.org', token: 't' } }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' }, report: { contact: '[redacted]', token: '[redacted]' } });
    expect(new Date(String(lines[0].time)).toISOString()).toBe(lines[0].time);
    expect(JSON.stringify(lines)).not.toMatch(/s3cret|tp_session=abc|ops@example/);
  });

  it("moves Nest's start-up listing of modules and routes to debug", () => {
    const info = capture('info');
    info.logger.info({ context: 'RouterExplorer' }, 'Mapped {/healthz, GET} route');
    info.logger.info({ context: 'main' }, 'listening');
    expect(info.lines.map((l) => l.msg)).toEqual(['listening']);
    const debug = capture('debug');
    debug.logger.info({ context: 'RouterExplorer' }, 'Mapped {/healthz, GET} route');
    expect(debug.lines[0]).toMatchObject({ level: 'debug', context: 'RouterExplorer' });
  });
});

describe('kafkajs log creator', () => {
  afterEach(() => jest.restoreAllMocks());
  it("writes kafkajs entries through the application's logger at their level", () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const log = kafkaLogCreator();
    log({ namespace: 'Connection', level: logLevel.WARN, label: 'WARN', log: { timestamp: 'x', message: 'broker went away', broker: 'k:9092' } });
    log({ namespace: 'Producer', level: logLevel.ERROR, label: 'ERROR', log: { timestamp: 'x', message: 'send failed' } });
    expect(warn).toHaveBeenCalledWith({ msg: 'broker went away', namespace: 'Connection', broker: 'k:9092' });
    expect(error).toHaveBeenCalledWith({ msg: 'send failed', namespace: 'Producer' });
  });
});
