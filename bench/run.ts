import 'reflect-metadata';
import { benchAnalyticsViews } from './analytics-views.bench';
import { benchClearLinuxIngest } from './clearlinux-ingest.bench';
import { benchClearLinuxRecordsApi } from './clearlinux-records-api.bench';
import { benchClearLinuxCrashes } from './clearlinux-crashes.bench';
import { benchEventLog } from './event-log.bench';
import { benchFuelExport } from './fuel-export.bench';
import { benchFuelIngest } from './fuel-ingest.bench';
import { benchFailureAlerts } from './failure-alerts.bench';
import { benchIdle } from './idle.bench';
import { benchIngestVsCeiling } from './ingest-vs-ceiling.bench';
import { benchNodeWs } from './node-ws.bench';
import { benchScaleOut } from './scale-out.bench';
import { benchStart } from './start.bench';
import { benchSubmit } from './submit.bench';

/**
 * `npm run bench [-- name...]`: runs the named benchmarks (default: all). Each prints JSON lines of
 * numbers and asserts nothing. External servers come from DATABASE_URL / KAFKA_BROKERS.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  'event-log': benchEventLog,
  'clearlinux-ingest': benchClearLinuxIngest,
  'clearlinux-records-api': benchClearLinuxRecordsApi,
  'clearlinux-crashes': benchClearLinuxCrashes,
  'analytics-views': benchAnalyticsViews,
  'fuel-ingest': benchFuelIngest,
  'fuel-export': benchFuelExport,
  'failure-alerts': benchFailureAlerts,
  submit: benchSubmit,
  'node-ws': benchNodeWs,
  'scale-out': benchScaleOut,
  idle: benchIdle,
  'ingest-vs-ceiling': benchIngestVsCeiling,
  start: benchStart,
};

async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const names = selected.length > 0 ? selected : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown bench "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    await bench();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
