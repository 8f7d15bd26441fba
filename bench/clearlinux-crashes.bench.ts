import { randomBytes } from 'node:crypto';
import { EventLog } from '../src/event-log/event-log';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import { CrashesQueryService } from '../src/sources/clearlinux/crashes/crashes.query-service';
import { parseCrashFilter } from '../src/sources/clearlinux/crashes/crashes.query';
import { normaliseHeaderEntries } from '../src/sources/clearlinux/record/header-names';
import { NEVER_GUILTY_MARKED, neverGuiltyEdited } from '../src/sources/clearlinux/crashes/never-guilty/never-guilty.events';
import { parseV2Record } from '../src/sources/clearlinux/ingest/record-parser';
import { recordAccepted } from '../src/sources/clearlinux/record/record.events';
import { RegroupService } from '../src/sources/clearlinux/crashes/regroup.service';
import { modeOf, percentile, report, startBenchApp } from './support';

/**
 * Crash processing: live projection of BENCH_CRASHES crash records (appended straight to the log),
 * one regroup (never-guilty edit → full replay of the crashes projector), and top-guilty latency
 * (rollup refresh + query). Mode from DATABASE_URL/KAFKA_BROKERS; bounded by the record count.
 */
export async function benchClearLinuxCrashes(): Promise<void> {
  const n = Number(process.env.BENCH_CRASHES ?? 5000);
  const { app, config, close } = await startBenchApp();
  try {
    const log = app.get(EventLog);
    const runtime = app.get(ProjectorRuntime);
    const t0 = Date.now();
    for (let i = 0; i < n; i += 500) {
      await log.append(Array.from({ length: Math.min(500, n - i) }, (_, j) => crashEvent(i + j)));
    }
    await runtime.catchUp(['clearlinux-crashes'], 600_000);
    const projectMs = Date.now() - t0;

    const regroup = app.get(RegroupService);
    const t1 = Date.now();
    await log.append([neverGuiltyEdited(NEVER_GUILTY_MARKED, [{ function: 'raise()', module: '/usr/lib64/libc.so.6' }], new Date().toISOString())]);
    regroup.request('bench');
    const status = await regroup.settled();
    const regroupMs = Date.now() - t1;

    const query = app.get(CrashesQueryService);
    const filter = parseCrashFilter(new URLSearchParams(), new Date());
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const s = process.hrtime.bigint();
      await query.topGuilty(filter.window);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    report({
      bench: 'clearlinux-crashes',
      mode: modeOf(config),
      crashes: n,
      projectMs,
      projectedPerSecond: Math.round((n / projectMs) * 1000),
      regroupState: status.state,
      regroupMs,
      regroupedPerSecond: Math.round((n / regroupMs) * 1000),
      groupsChanged: status.diff?.changes.length,
      topGuiltyP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      topGuiltyP99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    });
  } finally {
    await close();
  }
}

const FUNCTIONS = Array.from({ length: 40 }, (_, i) => `fn_${i}()`);

function crashEvent(i: number) {
  const fn = FUNCTIONS[i % FUNCTIONS.length];
  const payload = `Process: /usr/bin/app${i % 7}\nPID: ${i}\nSignal: 11\n\nBacktrace (TID ${i}):\n#0 raise() - [/usr/lib64/libc.so.6]\n#1 ${fn} - [/usr/bin/app${i % 7}] - a.c:${i}\n#2 main() - [/usr/bin/app${i % 7}]\n#3 _start() - [/usr/bin/app${i % 7}]\n`;
  const headers = normaliseHeaderEntries(
    Object.entries({
      record_format_version: '4', classification: 'org.clearlinux/crash/clr', severity: '3', machine_id: randomBytes(16).toString('hex'),
      creation_timestamp: String(Math.floor(Date.now() / 1000)), arch: 'x86_64', host_type: 'blank|blank|blank', build: String(31000 + (i % 12)),
      kernel_version: '5.0.7-744.native', payload_format_version: '1', system_name: 'clear-linux-os', board_name: 'b', cpu_model: 'c',
      bios_version: 'v', event_id: randomBytes(16).toString('hex'), 'X-Telemetry-TID': '6907c830-eed9-4ce9-81ae-76daf8d88f0f',
    }),
  );
  return recordAccepted(parseV2Record(headers, payload), 1_000_000 + i, new Date().toISOString(), { protocol: 'v2', headers, payload });
}
