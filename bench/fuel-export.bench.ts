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

/**
 * nodes.csv export of BENCH_EXPORT_NODES (1,000,000) nodes, bulk-inserted straight into
 * fuel_installations (100 nodes per installation). Streams the CSV over loopback, counting rows and
 * bytes, while sampling this process's RSS (app, database client and reader) every 250 ms, so a flat
 * RSS across the export shows nothing is buffered.
 */
export async function benchFuelExport(): Promise<void> {
  const nodes = Number(process.env.BENCH_EXPORT_NODES ?? 1_000_000);
  const installations = Math.ceil(nodes / NODES_PER_INSTALLATION);
  const bench = await startBenchApp();
  try {
    const db = bench.app.get(Database);
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
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    const samples: { at: number; rss: number; heapUsed: number; arrayBuffers: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ at: Date.now() - started, ...pick(process.memoryUsage()) }), 250);
    const { rows, bytes, status } = await new Promise<{ rows: number; bytes: number; status: number }>((resolve, reject) => {
      get({ host: '127.0.0.1', port: Number(new URL(bench.baseUrl).port), path: '/api/v1/csv/nodes', headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } }, (res) => {
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
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const mb = (b: number) => Math.round(b / 1048576);
    const at = (fraction: number, key: 'rss' | 'heapUsed' | 'arrayBuffers' = 'rss') =>
      mb(samples[Math.min(samples.length - 1, Math.floor(samples.length * fraction))]?.[key] ?? NaN);
    report({
      bench: 'fuel-nodes-csv-export',
      mode: modeOf(bench.config),
      status,
      nodesInserted: installations * NODES_PER_INSTALLATION,
      loadSeconds: Math.round(loadSeconds),
      rowsExported: rows,
      megabytes: mb(bytes),
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      baselineRssMb: mb(baselineRss),
      peakRssMb: mb(Math.max(...samples.map((s) => s.rss))),
      rssMbAt10_50_90pct: [at(0.1), at(0.5), at(0.9)],
      // the JS heap and ArrayBuffers (the embedded database's WebAssembly memory is one) tell where RSS grows
      heapUsedMbAt10_50_90pct: [at(0.1, 'heapUsed'), at(0.5, 'heapUsed'), at(0.9, 'heapUsed')],
      arrayBuffersMbAt10_50_90pct: [at(0.1, 'arrayBuffers'), at(0.5, 'arrayBuffers'), at(0.9, 'arrayBuffers')],
    });
  } finally {
    await bench.close();
  }
}

function pick(m: NodeJS.MemoryUsage): { rss: number; heapUsed: number; arrayBuffers: number } {
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}
