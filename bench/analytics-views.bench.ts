import { RollupInstaller } from '../src/database/rollup-installer';
import { Database } from '../src/database/database';
import { CLR_ROLLUPS } from '../src/sources/clearlinux/analytics/analytics.rollups';
import { BENCH_ADMIN_TOKEN, modeOf, percentile, report, startBenchApp } from './support';

/**
 * Analytics views at scale: bulk-loads BENCH_RECORDS (default 10 000 000) synthetic records straight
 * into `records` with INSERT … SELECT generate_series (batches of BENCH_BATCH), fills the analytics
 * projection tables from them in SQL (what the projector would write, minus the parsed mcelog fields),
 * refreshes the rollups, then measures each view's API answer and console page render (in-process
 * `inject`, BENCH_REPEAT sequential calls each, after one warm-up) and prints p50/p95. Embedded by
 * default; DATABASE_URL = a server on which a throw-away database is created.
 */
export async function benchAnalyticsViews(): Promise<void> {
  const n = Number(process.env.BENCH_RECORDS ?? 10_000_000);
  const batch = Number(process.env.BENCH_BATCH ?? 250_000);
  const repeat = Number(process.env.BENCH_REPEAT ?? 20);
  const days = Number(process.env.BENCH_DAYS ?? 90);
  const { app, config, close } = await startBenchApp({ ROLLUP_REFRESH_INTERVAL_S: '86400' });
  const db = app.get(Database);
  const rollups = app.get(RollupInstaller);
  const auth = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
  try {
    // Bulk path: secondary indexes are dropped for the load and rebuilt after it (timed separately).
    const indexes = await db.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'records' AND indexname LIKE 'records\\_%'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = indexname)`,
    );
    for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
    const t0 = Date.now();
    // about three records per machine and day, like a fleet sending heartbeats plus the odd crash
    const machines = Math.max(100, Math.round(n / (days * 3)));
    for (let lo = 1; lo <= n; lo += batch) await db.query(BULK_RECORDS, [lo, Math.min(n, lo + batch - 1), days, machines]);
    const loadS = (Date.now() - t0) / 1000;
    const ti = Date.now();
    for (const ix of indexes) await db.query(ix.def);
    const indexS = (Date.now() - ti) / 1000;
    const t1 = Date.now();
    for (const sql of [PROJECT_MCE, PROJECT_HEARTBEATS, ...PROJECT_MACHINES]) await db.query(sql);
    const projectS = (Date.now() - t1) / 1000;
    const t2 = Date.now();
    for (const def of Object.values(CLR_ROLLUPS)) await rollups.refresh(def.name, null, null);
    const refreshS = (Date.now() - t2) / 1000;
    const counts = await db.query<{ rows_records: number; mce: number; heartbeats: number }>(
      `SELECT (SELECT count(*) FROM records)::float8 AS rows_records, (SELECT count(*) FROM clr_mce_events)::float8 AS mce, (SELECT count(*) FROM clr_heartbeats)::float8 AS heartbeats`,
    );
    report({ bench: 'analytics-views-load', mode: modeOf(config), rollups: rollups.mode, records: n, ...counts[0], machines, loadSeconds: loadS, recordsPerSecond: Math.round(n / loadS), indexSeconds: indexS, projectSeconds: projectS, refreshSeconds: refreshS });

    // every view as it opens, plus the build filter on the two per-machine views
    for (const view of ['builds', 'stats', 'mce', 'thermal', 'population', 'mce?build=31070', 'population?build=31070']) {
      for (const [kind, url] of [['api', `/api/clearlinux/${view}`], ['page', `/console/clearlinux/${view}`]] as const) {
        const times: number[] = [];
        for (let i = 0; i <= repeat; i++) {
          const started = process.hrtime.bigint();
          const res = await app.inject({ method: 'GET', url, headers: { ...auth, accept: kind === 'page' ? 'text/html' : 'application/json' } });
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
          if (i > 0) times.push(ms); // the first call warms caches and compiles templates
        }
        times.sort((a, b) => a - b);
        report({ bench: 'analytics-views', mode: modeOf(config), rollups: rollups.mode, records: n, view, kind, calls: repeat, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)) });
      }
    }
  } finally {
    await close();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * $1..$2 = record numbers, $3 = days of history, $4 = physical machines. Deterministic pseudo-random
 * spread from the record number: reception over the last $3 days, capture up to an hour earlier, the
 * a realistic classification mix (40 % heartbeats, 8 % MCE + thermal), 8 Clear builds + 2 others, 6 platforms, machine ids rotating
 * every 3 days (md5 of machine and 3-day period), every fourth machine external.
 */
const BULK_RECORDS = `
  WITH g AS (
    SELECT i, (i * 48271) % $4::bigint AS machine,
           now() - make_interval(secs => ((i * 7919) % ($3::bigint * 86400))::float8) AS rec,
           (i * 31) % 100 AS mix
    FROM generate_series($1::bigint, $2::bigint) AS i
  ), r AS (
    SELECT i, machine, rec, rec - make_interval(secs => (i % 3600)::float8) AS cap,
      CASE WHEN mix < 40 THEN 'org.clearlinux/heartbeat/ping' WHEN mix < 55 THEN 'org.clearlinux/hello/world'
           WHEN mix < 67 THEN 'org.clearlinux/crash/clr' WHEN mix < 69 THEN 'org.clearlinux/crash/unknown'
           WHEN mix < 74 THEN 'org.clearlinux/kernel/warning' WHEN mix < 76 THEN 'org.clearlinux/kernel/bug'
           WHEN mix < 80 THEN 'org.clearlinux/mce/corrected' WHEN mix < 81 THEN 'org.clearlinux/mce/SRAO'
           WHEN mix < 82 THEN 'org.clearlinux/mce/SRAR' WHEN mix < 83 THEN 'org.clearlinux/mce/UCNA'
           WHEN mix < 87 THEN 'org.clearlinux/mce/thermal' ELSE 'org.clearlinux/swupd-client/update' END AS classification
    FROM g
  )
  INSERT INTO records (id, record_key, log_event_id, classification, domain, probe, rest, severity, machine_id, machine_type,
    arch, kernel_version, os_name, build, record_format_version, payload_format_version, board_name, cpu_model, bios_version,
    event_id, external, ts_capture, ts_reception, payload)
  SELECT i, md5(i::text), md5('e' || i)::uuid, classification, split_part(classification, '/', 1), split_part(classification, '/', 2),
    split_part(classification, '/', 3), 1 + (i % 4)::int, md5(machine || ':' || floor(extract(epoch FROM cap) / 259200)::bigint)::text,
    (ARRAY['Intel Corporation|NUC6i5SYB|H81131-502', 'Intel Corporation|NUC7i7BNH|J31169-307', 'Dell Inc.|XPS 13 9360|blank',
           'LENOVO|20HRCTO1WW|ThinkPad X1 Carbon 5th', 'QEMU|Standard PC (i440FX + PIIX, 1996)|pc-i440fx-2.8', 'blank|blank|blank'])[1 + machine % 6],
    'x86_64', '5.3.11-869.native', CASE WHEN machine % 9 = 8 THEN 'ubuntu' ELSE 'clear-linux-os' END,
    CASE WHEN machine % 9 = 8 THEN (ARRAY['18.04', '20.04'])[1 + machine % 2]
         ELSE (31000 + 10 * least(7, greatest(0, 7 - floor(extract(epoch FROM now() - rec) / 604800)::int - (machine % 3)::int)))::text END,
    4, 1, 'N/A', 'N/A', 'N/A', 'N/A', machine % 4 = 0, cap, rec, 'bench'
  FROM r`;

const PROJECT_MCE = `
  INSERT INTO clr_mce_events (record_id, log_event_id, ts_capture, ts_reception, machine_id, build, kind)
  SELECT id, log_event_id, ts_capture, ts_reception, machine_id, build, split_part(classification, '/', 3)
  FROM records WHERE classification IN ('org.clearlinux/mce/corrected', 'org.clearlinux/mce/SRAO', 'org.clearlinux/mce/SRAR',
                                        'org.clearlinux/mce/UCNA', 'org.clearlinux/mce/thermal')`;

const PROJECT_HEARTBEATS = `
  INSERT INTO clr_heartbeats (log_event_id, ts_capture, machine_id, build, external)
  SELECT log_event_id, ts_capture, machine_id, build, external
  FROM records WHERE classification = 'org.clearlinux/heartbeat/ping' AND os_name = 'clear-linux-os'`;

/** The per-machine projections, as the projector would have counted them from the two tables above. */
const PROJECT_MACHINES = [
  `INSERT INTO clr_population_machines (build, external, machine_id, last_capture)
   SELECT build, external, machine_id, max(ts_capture) FROM clr_heartbeats GROUP BY 1, 2, 3`,
  `INSERT INTO clr_mce_machine_builds (year, machine_id, build, events)
   SELECT clr_utc_year(ts_capture), machine_id, build, count(*) FROM clr_mce_events WHERE kind <> 'thermal' GROUP BY 1, 2, 3`,
  `INSERT INTO clr_mce_machine_totals (year, machine_id, events)
   SELECT year, machine_id, sum(events) FROM clr_mce_machine_builds GROUP BY 1, 2`,
];
