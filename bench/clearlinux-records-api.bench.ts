import { Database } from '../src/database/database';
import { BENCH_ADMIN_TOKEN, modeOf, percentile, report, startBenchApp } from './support';

/**
 * GET /api/records latency over a large records table (default 1M rows, BENCH_RECORDS): rows are
 * generated inside the database in chunks (the bulk path, not the collector), spread over the last 30
 * days across 2000 machines, 6 classifications and 20 builds; then each filter is requested
 * BENCH_REQUESTS times over HTTP and p50/p95 reported.
 */
const ROWS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const CHUNK = 50_000;

const CLASSIFICATIONS = [
  'org.clearlinux/hello/world',
  'org.clearlinux/crash/clr',
  'org.clearlinux/kernel/warning',
  'org.clearlinux/mce/corrected',
  'org.clearlinux/swupd/update',
  'org.clearlinux/thermal/critical',
];

export async function benchClearLinuxRecordsApi(): Promise<void> {
  const { app, config, baseUrl, close } = await startBenchApp();
  try {
    const db = app.get(Database);
    const loadStarted = Date.now();
    for (let from = 0; from < ROWS; from += CHUNK) await insertChunk(db, from, Math.min(ROWS, from + CHUNK));
    await db.query(`SELECT setval('clr_record_id_seq', $1)`, [ROWS + 1]);
    await db.query('ANALYZE records');
    report({ bench: 'clearlinux-records-api', phase: 'load', mode: modeOf(config), rows: ROWS, seconds: Math.round((Date.now() - loadStarted) / 1000) });

    const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    const filters: Record<string, (i: number) => string> = {
      'machine_id (≈500 rows)': (i) => `machine_id=${machineId(i * 7919)}`,
      'classification + severity, limit 100': (i) => `classification=${encodeURIComponent(CLASSIFICATIONS[i % CLASSIFICATIONS.length])}&severity=${1 + (i % 4)}&limit=100`,
      'build + created_in_days=1': (i) => `build=${31000 + (i % 20)}&created_in_days=1`,
      'from_id (last 500 ids)': () => `from_id=${ROWS - 500}`,
      'created_in_sec=3600, limit 50': () => 'created_in_sec=3600&limit=50',
      'no filter (newest 1000 in 30 days)': () => '',
    };
    for (const [name, query] of Object.entries(filters)) {
      const latencies: number[] = [];
      let rows = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const started = process.hrtime.bigint();
        const res = await fetch(`${baseUrl}/api/records?${query(i)}`, { headers });
        const body = (await res.json()) as { records: unknown[] };
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
        rows += body.records.length;
      }
      latencies.sort((a, b) => a - b);
      report({
        bench: 'clearlinux-records-api',
        mode: modeOf(config),
        rows: ROWS,
        filter: name,
        requests: REQUESTS,
        avgRowsReturned: Math.round(rows / REQUESTS),
        p50Ms: round(percentile(latencies, 50)),
        p95Ms: round(percentile(latencies, 95)),
      });
    }
  } finally {
    await close();
  }
}

function machineId(n: number): string {
  return (n % 2000).toString(16).padStart(32, '0');
}

/** Rows [from, to): ids from..to-1, received evenly over the last 30 days (newest id = newest row). */
async function insertChunk(db: Database, from: number, to: number): Promise<void> {
  await db.query(
    `INSERT INTO records (id, record_key, log_event_id, classification, domain, probe, rest, severity, machine_id, machine_type,
                          platform_vendor, platform_product, platform_version, arch, kernel_version, os_name, build,
                          record_format_version, payload_format_version, board_name, cpu_model, bios_version, event_id,
                          external, ts_capture, ts_reception, payload)
     SELECT g, 'bench-' || g, md5(g::text)::uuid, c.cls, split_part(c.cls, '/', 1), split_part(c.cls, '/', 2), split_part(c.cls, '/', 3),
            1 + g % 4, lpad(to_hex(g % 2000), 32, '0'), 'Intel Corporation|NUC6i5SYB|H81131-502',
            'Intel Corporation', 'NUC6i5SYB', 'H81131-502', 'x86_64', '5.10.12-1018.native', 'clear-linux-os', (31000 + g % 20)::text,
            4, 1, 'NUC6i5SYB|Intel Corporation', 'Intel(R) Core(TM) i5-6260U', 'SYSKLi35.86A', md5('e' || g), false,
            t.ts - interval '5 seconds', t.ts, 'payload of record ' || g
     FROM generate_series($1::bigint, $2::bigint - 1) AS g,
          LATERAL (SELECT ($3::text[])[1 + g % $4] AS cls) c,
          LATERAL (SELECT now() - interval '30 days' * (1 - g::float8 / $5) AS ts) t`,
    [from, to, CLASSIFICATIONS, CLASSIFICATIONS.length, ROWS],
  );
}

const round = (ms: number) => Math.round(ms * 100) / 100;
