import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, SERVER_URL, TestDatabase } from '../support/database';
import { PlatformProcess, startPlatform } from '../support/platform-process';

const TOKEN = 'json-logs-admin-token-0123456789';
const SESSION_SECRET = 'tp_session=cookie-value-that-must-not-be-logged';

type LogLine = Record<string, unknown> & { level: string; time: string; msg?: string };

/**
 * The log of a real app process (src/main.ts in a child, LOG_FORMAT unset = json): every line one JSON
 * object with a level name and an ISO time, one access line per request with request id, route, status
 * and duration, the request id echoed as X-Request-Id, and no credential anywhere in the output.
 */
describe('JSON logs of the platform process', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let platform: PlatformProcess | undefined;
  let lines: LogLine[] = [];
  let output = '';
  const responses: { id: string | null; status: number }[] = [];

  beforeAll(async () => {
    const env: Record<string, string | undefined> = { LOG_LEVEL: 'info', LOG_FORMAT: undefined, KAFKA_BROKERS: undefined };
    if (SERVER_URL) {
      database = await freshDatabase();
      env.DATABASE_URL = database.url!;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tp-logs-'));
      env.DATA_DIR = dataDir;
    }
    platform = await startPlatform(env, TOKEN);
    const send = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${platform!.base}${path}`, { headers });
      await res.arrayBuffer();
      responses.push({ id: res.headers.get('x-request-id'), status: res.status });
    };
    await send('/api/admin/status', { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'trace-42.a' });
    await send('/api/admin/status', { cookie: SESSION_SECRET, 'x-request-id': 'not a sane id; drop table' });
    await send('/api/admin/status?token=query-token-that-must-not-be-logged', {});
    await send('/no/such/page', {});
    const stopped = await platform.stop();
    expect(stopped).toMatchObject({ code: 0, killed: false });
    output = platform.output();
    lines = output.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LogLine);
  });

  afterAll(async () => {
    await platform?.kill9();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one JSON object per line, each with a level name and an ISO time', () => {
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) {
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
      expect(new Date(line.time).toISOString()).toBe(line.time);
    }
    expect(lines.some((l) => String(l.msg).startsWith('listening on http://127.0.0.1:'))).toBe(true);
    expect(lines.some((l) => l.msg === 'SIGTERM: stopping (send it again to exit at once)')).toBe(true);
  });

  it('writes an access line per request with request id, route, status and duration', () => {
    const access = lines.filter((l) => l.msg?.startsWith('GET '));
    expect(access).toHaveLength(4);
    expect(access[0]).toMatchObject({ level: 'info', requestId: 'trace-42.a', method: 'GET', route: '/api/admin/status', url: '/api/admin/status', status: 200 });
    expect(typeof access[0].durationMs).toBe('number');
    expect(access[1]).toMatchObject({ route: '/api/admin/status', status: 401, requestId: responses[1].id });
    expect(access[2]).toMatchObject({ status: 401, url: '/api/admin/status?token=[redacted]' });
    expect(access[3]).toMatchObject({ status: 404, route: null, url: '/no/such/page' });
  });

  it('returns the request id as X-Request-Id, keeping a sane incoming one', () => {
    expect(responses[0]).toEqual({ id: 'trace-42.a', status: 200 });
    expect(responses[1].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(responses.map((r) => r.id)).size).toBe(4);
  });

  it('never prints the bearer token, the session cookie or a token in the query', () => {
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain('cookie-value-that-must-not-be-logged');
    expect(output).not.toContain('query-token-that-must-not-be-logged');
  });
});
