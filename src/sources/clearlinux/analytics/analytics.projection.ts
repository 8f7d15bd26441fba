import type { Projector, RowWrite } from '../../../event-log/projector';
import { pgTimestamp } from '../record/record-view';
import { RECORD_ACCEPTED, type RecordAccepted } from '../record/record.events';
import { mceKindOf, parseMcelog } from './mcelog';

export const MCE_EVENTS_TABLE = 'clr_mce_events';
export const HEARTBEATS_TABLE = 'clr_heartbeats';
export const HEARTBEAT_CLASSIFICATION = 'org.clearlinux/heartbeat/ping';
export const CLEAR_LINUX_OS = 'clear-linux-os';

/** MCE and thermal events per UTC capture day, build and kind (MCE charts, Thermal). */
export const MCE_DAILY_TABLE = 'clr_mce_daily';
export const MCE_MACHINE_BUILDS_TABLE = 'clr_mce_machine_builds';
export const MCE_MACHINE_TOTALS_TABLE = 'clr_mce_machine_totals';
export const POPULATION_MACHINES_TABLE = 'clr_population_machines';
/** Rows of the machine table per (build, external), kept by its triggers (migration 20261123154000). */
export const POPULATION_TOTALS_TABLE = 'clr_population_totals';

const MCE_COLUMNS = [
  'record_id', 'log_event_id', 'ts_capture', 'ts_reception', 'machine_id', 'build', 'kind', 'cpu', 'bank', 'socket_id',
  'apic_id', 'mci_status', 'mcg_status', 'error_text', 'mca', 'transaction', 'cpu_vendor', 'cpu_family', 'cpu_model',
] as const;

const INSERT_MCE_EVENT = `
      INSERT INTO ${MCE_EVENTS_TABLE} (${MCE_COLUMNS.join(', ')}) VALUES (${MCE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
      ON CONFLICT (log_event_id, ts_reception) DO NOTHING
      RETURNING clr_utc_year(ts_capture) AS year, time_bucket(interval '1 day', ts_capture) AS day, machine_id, build, kind`;
const COUNT_PER_DAY = `
      INSERT INTO ${MCE_DAILY_TABLE} (bucket, build, kind, events) SELECT day, build, kind, 1 FROM e
      ON CONFLICT (bucket, build, kind) DO UPDATE SET events = ${MCE_DAILY_TABLE}.events + 1`;

export const AnalyticsProjectionSql = {
  /**
   * A machine check and, only if its row is new (not a redelivery or a re-accepted copy of the event),
   * one more for its capture day, and for its machine in its UTC capture year, per build and in total (the MCE
   * machine table).
   */
  countedMachineCheck: `
    WITH e AS (${INSERT_MCE_EVENT}),
    per_day AS (${COUNT_PER_DAY}),
    per_build AS (
      INSERT INTO ${MCE_MACHINE_BUILDS_TABLE} (year, machine_id, build, events) SELECT year, machine_id, build, 1 FROM e
      ON CONFLICT (year, machine_id, build) DO UPDATE SET events = ${MCE_MACHINE_BUILDS_TABLE}.events + 1)
    INSERT INTO ${MCE_MACHINE_TOTALS_TABLE} (year, machine_id, events) SELECT year, machine_id, 1 FROM e
    ON CONFLICT (year, machine_id) DO UPDATE SET events = ${MCE_MACHINE_TOTALS_TABLE}.events + 1`,
  /** A thermal event and, only if its row is new, one more for its capture day (thermal is not a machine check). */
  countedThermalEvent: `
    WITH e AS (${INSERT_MCE_EVENT})
    ${COUNT_PER_DAY}`,
} as const;

/**
 * Pure: the rows the MCE, Thermal and Population views read. The tables are partitioned on reception time like
 * `records`; the views count by capture time (the clock spec clearlinux.md §8.5–§8.8 uses), kept as a column.
 * Other records project nothing. Idempotent like the records projection: events are unique by
 * (log_event_id, ts_reception), counts grow only with a new event row, and a machine's latest heartbeat only
 * moves forward.
 */
export function projectAnalytics(event: RecordAccepted): RowWrite[] {
  const d = event.data;
  const tsCapture = pgTimestamp(d.tsCapture);
  const kind = mceKindOf(d.classification);
  if (kind) {
    const p = parseMcelog(d.payload);
    const row: Record<(typeof MCE_COLUMNS)[number], unknown> = {
      record_id: d.id,
      log_event_id: event.id,
      ts_capture: tsCapture,
      ts_reception: d.tsReception,
      machine_id: d.machineId,
      build: d.build,
      kind,
      cpu: p.cpu,
      bank: p.bank,
      socket_id: p.socketId,
      apic_id: p.apicId,
      mci_status: p.mciStatus,
      mcg_status: p.mcgStatus,
      error_text: p.errorText,
      mca: p.mca,
      transaction: p.transaction,
      cpu_vendor: p.cpuVendor,
      cpu_family: p.cpuFamily,
      cpu_model: p.cpuModel,
    };
    const params = MCE_COLUMNS.map((c) => row[c]);
    if (kind === 'thermal') {
      return [{ kind: 'sql', sql: AnalyticsProjectionSql.countedThermalEvent, params, tables: [MCE_EVENTS_TABLE, MCE_DAILY_TABLE] }];
    }
    return [
      {
        kind: 'sql',
        sql: AnalyticsProjectionSql.countedMachineCheck,
        params,
        tables: [MCE_EVENTS_TABLE, MCE_DAILY_TABLE, MCE_MACHINE_BUILDS_TABLE, MCE_MACHINE_TOTALS_TABLE],
      },
    ];
  }
  if (d.classification === HEARTBEAT_CLASSIFICATION && d.osName === CLEAR_LINUX_OS) {
    const machine = { machine_id: d.machineId, build: d.build, external: d.external };
    return [
      {
        kind: 'insert',
        table: HEARTBEATS_TABLE,
        rows: [{ log_event_id: event.id, ts_capture: tsCapture, ts_reception: d.tsReception, ...machine }],
        conflict: { target: ['log_event_id', 'ts_reception'], action: 'nothing' },
      },
      {
        kind: 'insert',
        table: POPULATION_MACHINES_TABLE,
        rows: [{ ...machine, last_capture: tsCapture }],
        conflict: { target: ['build', 'external', 'machine_id'], action: 'greatest', column: 'last_capture' },
      },
    ];
  }
  return [];
}

export const analyticsProjector: Projector<RecordAccepted> = {
  name: 'clearlinux-analytics',
  streams: ['telemetry.records'],
  version: 1,
  eventTypes: [RECORD_ACCEPTED],
  tables: [MCE_EVENTS_TABLE, MCE_DAILY_TABLE, MCE_MACHINE_BUILDS_TABLE, MCE_MACHINE_TOTALS_TABLE, HEARTBEATS_TABLE, POPULATION_MACHINES_TABLE, POPULATION_TOTALS_TABLE],
  project: projectAnalytics,
};
