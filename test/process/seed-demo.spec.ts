import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo, SeedOptions, SeedReport, startOfUtcDay } from '../../src/cli/seed/seed-demo.run';
import { demoUuid } from '../../src/cli/seed/demo-fuel';
import { DEFAULT_TELEMETRY_ID } from '../../src/sources/clearlinux/ingest/record-parser';
import { freePort, PlatformProcess, startPlatform } from '../support/platform-process';

const TOKEN = 'seed-demo-admin-token-0123';
const auth = { authorization: `Bearer ${TOKEN}` };
const ROOT = join(__dirname, '..', '..');

const options = (url: string): SeedOptions => ({
  url,
  seed: 7,
  anchor: startOfUtcDay(new Date()),
  clearLinux: { count: 120, days: 14, telemetryId: DEFAULT_TELEMETRY_ID },
  fuelInstallations: 3,
  submissions: 10,
  nodeSessions: 3,
  token: TOKEN,
  concurrency: 4,
});

type Counts = Readonly<{ records: number; fuel: unknown; submissions: { accepted: number; duplicates: number; errors: Record<string, number> }; nodes: number; failureReports: number }>;

/**
 * `seed:demo` against the real platform process on the embedded database: every source's API and console
 * page has data after one run, and a second run (same seed, same day) is answered as duplicates and stores
 * nothing new; a send that fails makes the CLI exit non-zero and say what failed.
 */
describe('seed:demo against a running platform', () => {
  let dataDir: string;
  let platform: PlatformProcess | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tp-seed-'));
    // info: startPlatform waits for the "listening on" line
    // The demo is what `npm start` shows: the embedded database, even in the CI stages that set DATABASE_URL
    // (a shared server database would also hold other tests' instances' settings).
    platform = await startPlatform({ DATA_DIR: dataDir, LOG_LEVEL: 'info', PROJECTOR_POLL_MS: '50', DATABASE_URL: undefined, KAFKA_BROKERS: undefined }, TOKEN, 280_000);
  }, 300_000);
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(`${platform!.base}${path}`, { headers: auth });
    return { status: res.status, text: await res.text() };
  };
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as T;
  };
  const counts = async (): Promise<Counts> => ({
    records: (await json<{ records: unknown[] }>('/api/records?limit=1000')).records.length,
    fuel: await json('/api/v1/json/summary'),
    submissions: await json('/api/submissions/stats'),
    nodes: (await json<{ peer_id: string | null }[]>('/nodes')).filter((n) => n.peer_id).length,
    failureReports: (await json<{ failure_reports: unknown[] }>('/api/support/failure-reports')).failure_reports.length,
  });
  /** Projections run behind the log: poll until two reads 1 s apart agree and `ready` holds. */
  const settled = async (ready: (c: Counts) => boolean): Promise<Counts> => {
    let last = '';
    for (let i = 0; i < 60; i++) {
      const c = await counts();
      const now = JSON.stringify(c);
      if (now === last && ready(c)) return c;
      last = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`counts did not settle: ${last}`);
  };

  let first: SeedReport;
  let afterFirst: Counts;

  it('fills every source on the first run, without failures', async () => {
    const lines: string[] = [];
    first = await seedDemo({ ...options(platform!.base), progress: (l) => lines.push(l) });
    expect(first.failed).toBe(0);
    expect(first.sources.clearlinux.created).toBe(120);
    expect(first.sources.fuel.created).toBe(3 * 3 + 1);
    expect(first.sources.submissions.accepted).toBe(first.sources.submissions.sent);
    expect(first.sources.nodes.created).toBe(3);
    expect(lines.some((l) => /^clearlinux: 120\/120 sent/.test(l))).toBe(true);

    afterFirst = await settled((c) => c.records === 120 && c.nodes === 3 && c.failureReports === 1);
    expect(afterFirst.fuel).toMatchObject({ installation_structures: { total: 3 }, action_logs: { total: 3 * 15 }, oswl_stats: { total: 3 * 6 } });
    expect(afterFirst.submissions.accepted).toBeGreaterThan(0);
    expect(afterFirst.submissions.errors).toMatchObject({ json: 1, schema: 1, schema_missing: 2 });

    const pages: [string, string][] = [
      ['/console/clearlinux/records', 'org.clearlinux/'],
      ['/console/clearlinux/crashes', 'crash'],
      ['/console/fuel/reports', 'Fuel'],
      ['/console/support/failure-reports', demoUuid('fuel-demo-failure:7')],
      ['/console/submissions', 'test'],
      ['/console/submissions/errors', 'changesetID'],
      ['/console/nodes', 'demo-validator-alice'],
    ];
    for (const [path, marker] of pages) {
      const page = await get(path);
      expect([path, page.status]).toEqual([path, 200]);
      expect([path, page.text.includes(marker)]).toEqual([path, true]);
    }
  }, 300_000);

  it('is answered as duplicates on a second run and stores nothing twice', async () => {
    const second = await seedDemo(options(platform!.base));
    expect(second.failed).toBe(0);
    for (const source of ['clearlinux', 'fuel', 'nodes'] as const) {
      expect([source, second.sources[source].created, second.sources[source].duplicate]).toEqual([source, 0, first.sources[source].sent]);
    }
    const afterSecond = await settled((c) => c.submissions.duplicates === second.sources.submissions.sent);
    // submissions answer a resend 200 and keep only a metadata-only "duplicate" record of it (spec submissions-and-nodes.md §A.6)
    expect({ ...afterSecond, submissions: { ...afterSecond.submissions, duplicates: 0 } }).toEqual({ ...afterFirst, submissions: { ...afterFirst.submissions, duplicates: 0 } });
  }, 300_000);

  it('counts every send as failed when nothing listens, and the CLI exits 1 naming them', async () => {
    const port = await freePort();
    const report = await seedDemo({ ...options(`http://127.0.0.1:${port}`), clearLinux: { ...options('').clearLinux, count: 5 } });
    expect(report.failed).toBe(report.sources.clearlinux.sent + report.sources.fuel.sent + report.sources.submissions.sent + report.sources.nodes.sent);
    expect(report.sources.clearlinux.failures[0]).toMatch(/ECONNREFUSED/);

    const cli = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/cli/seed-demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, SEED_URL: `http://127.0.0.1:${port}`, SEED_COUNT: '3', SEED_FUEL: '1', SEED_SUBMISSIONS: '1', SEED_NODES: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d));
    cli.stderr.on('data', (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/sends failed/);
    expect(out).toMatch(/clearlinux: clearlinux record #0 .*ECONNREFUSED/);
  });

  it('retries a 503 after its Retry-After, then gives up and reports the failure', async () => {
    let hits = 0;
    const server: Server = createServer((req, res) => {
      hits++;
      req.resume();
      // the first answer asks for a second's wait; the rest for none, so the bound is reached quickly
      res.writeHead(503, { 'retry-after': hits === 1 ? '1' : '0', 'content-type': 'application/json' }).end('{"message":"busy"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const report = await seedDemo({
        ...options(`http://127.0.0.1:${port}`),
        clearLinux: { ...options('').clearLinux, count: 1 },
        fuelInstallations: 0,
        submissions: 0,
        nodeSessions: 0,
        concurrency: 1,
        retry: { attempts: 3, maxWaitMs: 5_000, defaultWaitMs: 10 },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(report.sources.clearlinux).toMatchObject({ sent: 1, failed: 1, retries: 2 });
      expect(report.sources.clearlinux.failures[0]).toMatch(/HTTP 503/);
      expect(hits).toBe(3);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
