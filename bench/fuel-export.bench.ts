import { get } from 'node:http';
import { Database } from '../src/database/database';
import { BENCH_ADMIN_TOKEN, modeOf, report, startBenchApp } from './support';

const NODES_PER_INSTALLATION = 100;
const INSTALLATIONS_PER_INSERT = 200;

/** A compact 9.x-shaped node (hardware summary, one disk, one interface); `id` is set per node. ~600 bytes. */
const NODE_TEMPLATE = {
  group_id: 1, status: 'ready', online: true, os: 'ubuntu', roles: ['compute', 'ceph-osd'], pending_roles: [], pending_addition: false, pending_deletion: false,
  manufacturer: 'Dell Inc.', nic_interfaces: [{ id: 1 }, { id: 2 }], bond_interfaces: [],
  meta: {
    system: { manufacturer: 'Dell Inc.', product: 'PowerEdge R630', family: 'Not Specified', version: '1.2' },
    cpu: { real: 2, total: 32, spec: [{ frequency: 2600, model: 'Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz' }] },
    memory: { total: 137438953472, slots: 8, maximum_capacity: 274877906944 },
    disks: [{ model: 'PERC H730P Mini', name: 'sda', removable: '0', size: 599550590976 }],
    interfaces: [{ name: 'eth0', driver: 'ixgbe', current_speed: 10000, max_speed: 10000, pxe: true, state: 'up' }],
  },
};

/** A compact vm resource as the 9.x sender white-lists it; `id` is set per VM. */
const VM_TEMPLATE = {
  status: 'ACTIVE', tenant_id: '6b9f0b2d8c1e4f3a9d7c5b3a1e0f2d4c', host_id: '4e5f000000000000000000000000000000000000000000000000000000000001',
  created_at: '2016-06-01T08:01:11Z', power_state: 1, flavor_id: '2', image_id: '7d3a0c4e-0000-4000-8000-000000000001',
};
/** A record every third day: the days between are gap-filled from the horizon. */
const OSWL_RECORD_EVERY_DAYS = 3;

type MemorySample = Readonly<{ rss: number; heapUsed: number }>;
type Download = { status: number; rows: number; bytes: number; seconds: number; baselineRss: number; samples: MemorySample[] };

/**
 * GETs `path` over loopback, counting rows and bytes, while sampling this process's RSS (app, database client
 * and reader) every 250 ms, so a flat RSS across the export shows nothing is buffered.
 */
async function download(baseUrl: string, path: string): Promise<Download> {
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  const samples: MemorySample[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ rss, heapUsed });
  }, 250);
  try {
    const { rows, bytes, status } = await new Promise<{ rows: number; bytes: number; status: number }>((resolve, reject) => {
      get({ host: '127.0.0.1', port: Number(new URL(baseUrl).port), path, headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } }, (res) => {
        let rowCount = 0;
        let byteCount = 0;
        res.on('data', (chunk: Buffer) => {
          byteCount += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rowCount++;
        });
        res.on('end', () => resolve({ rows: rowCount - 1, bytes: byteCount, status: res.statusCode ?? 0 }));
        res.on('error', reject);
      }).on('error', reject);
    });
    return { status, rows, bytes, seconds: (Date.now() - started) / 1000, baselineRss, samples };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (b: number) => Math.round(b / 1048576);

function downloadNumbers(d: Download) {
  const at = (fraction: number, key: keyof MemorySample = 'rss') =>
    mb(d.samples[Math.min(d.samples.length - 1, Math.floor(d.samples.length * fraction))]?.[key] ?? NaN);
  return {
    status: d.status,
    rowsExported: d.rows,
    megabytes: mb(d.bytes),
    seconds: Math.round(d.seconds * 10) / 10,
    rowsPerSecond: Math.round(d.rows / d.seconds),
    baselineRssMb: mb(d.baselineRss),
    peakRssMb: mb(Math.max(d.baselineRss, ...d.samples.map((s) => s.rss))),
    rssMbAt10_50_90pct: [at(0.1), at(0.5), at(0.9)],
    // a growing JS heap (not the embedded database's WebAssembly memory) is what a retained result looks like
    heapUsedMbAt10_50_90pct: [at(0.1, 'heapUsed'), at(0.5, 'heapUsed'), at(0.9, 'heapUsed')],
  };
}

/**
 * nodes.csv export of BENCH_EXPORT_NODES (1,000,000; 0 skips) nodes, bulk-inserted straight into
 * fuel_installations (100 nodes per installation); then vm.csv, the OSWL time series (fuelstats.md §5.4), over
 * BENCH_EXPORT_OSWL_INSTALLATIONS (500; 0 skips) installations with BENCH_EXPORT_OSWL_VMS (20) VMs each, one
 * record every third day over BENCH_EXPORT_OSWL_DAYS (30) days (no version_info, so every installation's fallback
 * is looked up). The horizon grows with installations, not with days: more days must not raise the RSS.
 */
export async function benchFuelExport(): Promise<void> {
  const nodes = Number(process.env.BENCH_EXPORT_NODES ?? 1_000_000);
  const oswlInstallations = Number(process.env.BENCH_EXPORT_OSWL_INSTALLATIONS ?? 500);
  const vms = Number(process.env.BENCH_EXPORT_OSWL_VMS ?? 20);
  const days = Number(process.env.BENCH_EXPORT_OSWL_DAYS ?? 30);
  const bench = await startBenchApp();
  try {
    const db = bench.app.get(Database);
    if (nodes > 0) {
      const installations = Math.ceil(nodes / NODES_PER_INSTALLATION);
      const loadStarted = Date.now();
      for (let first = 1; first <= installations; first += INSTALLATIONS_PER_INSERT) {
        const last = Math.min(installations, first + INSTALLATIONS_PER_INSERT - 1);
        await db.query(
          `INSERT INTO fuel_installations (master_node_uid, structure, creation_date, is_filtered, release, last_event_id)
           SELECT 'export-' || g,
                  jsonb_build_object('master_node_uid', 'export-' || g, 'clusters_num', 1, 'allocated_nodes_num', $3::int, 'unallocated_nodes_num', 0,
                    'fuel_release', jsonb_build_object('release', '9.0', 'api', '1', 'feature_groups', '[]'::jsonb, 'build_id', '495'),
                    'fuel_packages', '["fuel-nailgun-9.0.0-1.mos8460.noarch", "fuel-library9.0-9.0.0-1.mos8460.noarch"]'::jsonb,
                    'clusters', jsonb_build_array(jsonb_build_object('id', 1, 'status', 'operational', 'mode', 'ha_compact', 'nodes_num', $3::int,
                       'fuel_version', '9.0', 'release', jsonb_build_object('os', 'Ubuntu', 'name', 'Mitaka on Ubuntu 14.04', 'version', 'mitaka-9.0'),
                       'attributes', '{}'::jsonb,
                       'nodes', (SELECT jsonb_agg($4::jsonb || jsonb_build_object('id', k)) FROM generate_series(1, $3::int) k)))),
                  now(), false, '9.0', md5('export-' || g)::uuid
             FROM generate_series($1::int, $2::int) g`,
          [first, last, NODES_PER_INSTALLATION, JSON.stringify(NODE_TEMPLATE)],
        );
      }
      const loadSeconds = (Date.now() - loadStarted) / 1000;
      const d = await download(bench.baseUrl, '/api/v1/csv/nodes');
      report({ bench: 'fuel-nodes-csv-export', mode: modeOf(bench.config), nodesInserted: installations * NODES_PER_INSTALLATION, loadSeconds: Math.round(loadSeconds), ...downloadNumbers(d) });
    }
    if (oswlInstallations > 0) {
      const loadStarted = Date.now();
      await db.query(
        `INSERT INTO fuel_installations (master_node_uid, structure, creation_date, modification_date, is_filtered, release, last_event_id)
         SELECT 'oswl-' || g,
                jsonb_build_object('master_node_uid', 'oswl-' || g, 'clusters_num', 1, 'allocated_nodes_num', 3, 'unallocated_nodes_num', 0,
                  'fuel_release', jsonb_build_object('release', '9.0', 'openstack_version', 'mitaka-9.0', 'api', '1', 'feature_groups', '[]'::jsonb),
                  'clusters', jsonb_build_array(jsonb_build_object('id', 1, 'status', 'operational', 'fuel_version', '9.0',
                     'release', jsonb_build_object('os', 'Ubuntu', 'name', 'Mitaka on Ubuntu 14.04', 'version', 'mitaka-9.0')))),
                now() - make_interval(days => $2::int), now(), false, '9.0', md5('oswl-' || g)::uuid
           FROM generate_series(1, $1::int) g`,
        [oswlInstallations, days],
      );
      await db.query(
        `INSERT INTO fuel_clusters (master_node_uid, cluster_id, status, fuel_version, release_version, release_os, release_name)
         SELECT 'oswl-' || g, 1, 'operational', '9.0', 'mitaka-9.0', 'Ubuntu', 'Mitaka on Ubuntu 14.04' FROM generate_series(1, $1::int) g`,
        [oswlInstallations],
      );
      for (let day = 0; day < days; day += OSWL_RECORD_EVERY_DAYS) {
        await db.query(
          `INSERT INTO fuel_oswl (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type, resource_checksum, resource_data, event_id, received_at)
           SELECT 'oswl-' || g, $2::int, 1, (now() AT TIME ZONE 'UTC')::date - $3::int + $2::int, '10:00:00', 'vm', md5(g || '-' || $2),
                  jsonb_build_object('added', '[]'::jsonb, 'removed', '[]'::jsonb, 'modified', '[]'::jsonb,
                    'current', (SELECT jsonb_agg($4::jsonb || jsonb_build_object('id', g || '-' || k || '-' || $2)) FROM generate_series(1, $5::int) k)),
                  gen_random_uuid(), now()
             FROM generate_series(1, $1::int) g`,
          [oswlInstallations, day, days - 1, JSON.stringify(VM_TEMPLATE), vms],
        );
      }
      const loadSeconds = (Date.now() - loadStarted) / 1000;
      const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const d = await download(bench.baseUrl, `/api/v1/csv/vm?from_date=${from}`);
      report({
        bench: 'fuel-vm-csv-export',
        mode: modeOf(bench.config),
        installations: oswlInstallations,
        days,
        records: oswlInstallations * Math.ceil(days / OSWL_RECORD_EVERY_DAYS),
        expectedRows: oswlInstallations * days * vms,
        loadSeconds: Math.round(loadSeconds),
        ...downloadNumbers(d),
      });
    }
  } finally {
    await bench.close();
  }
}
