import { dropEarlierCopies, type Projector, type RowWrite } from '../../../event-log/projector';
import { chooseGuilty, type FramePair, findGuiltyFrame, parseCrashReport } from './backtrace';
import { isBacktraceClassification, isCrashClassification } from '../record/classification';
import { CRASH_REPROCESS_REQUESTED, type CrashReprocessRequested } from './crash-reprocess.events';
import { guiltyId } from './guilty';
import { pgTimestamp } from '../record/record-view';
import { RECORD_ACCEPTED, type RecordAccepted } from '../record/record.events';

export const CRASHES_TABLE = 'crashes';

/** The never-guilty list as the projection needs it: the membership test and an identity of the list. */
export type NeverGuiltyView = Readonly<{ isNeverGuilty: (frame: FramePair) => boolean; hash: string }>;
export const CRASHES_PROJECTOR = 'clearlinux-crashes';

/**
 * Pure: one crash record (the seven classes of clearlinux.md §7.1) → one `crashes` row; any other record → nothing.
 * Only the four backtrace classes are parsed (clearlinux.md §7.1: the other crash classes are counted, never parsed),
 * so their frames are `[]` and their guilty is null. A backtrace record without frames also has no
 * guilty (clearlinux.md §7.4 step 4: "the record remains unprocessed").
 */
export function projectCrash(event: RecordAccepted, list: NeverGuiltyView): RowWrite[] {
  const d = event.data;
  if (!isCrashClassification(d.classification)) return [];
  const parsed = isBacktraceClassification(d.classification);
  const report = parsed ? parseCrashReport(d.payload) : null;
  const guilty = parsed ? findGuiltyFrame(d.payload, list.isNeverGuilty) : null;
  return [
    {
      kind: 'insert',
      table: CRASHES_TABLE,
      rows: [
        {
          record_id: d.id,
          log_event_id: event.id,
          classification: d.classification,
          machine_id: d.machineId,
          os_name: d.osName,
          build: d.build,
          ts_capture: pgTimestamp(d.tsCapture),
          ts_reception: d.tsReception,
          program: report?.program ?? null,
          pid: report?.pid ?? null,
          signal: report?.signal ?? null,
          reason: report?.reason ?? null,
          frames: JSON.stringify(report?.frames ?? []),
          guilty_function: guilty?.function ?? null,
          guilty_module: guilty?.module ?? null,
          guilty_id: guilty ? guiltyId(guilty) : null,
          grouped_with: list.hash,
        },
      ],
      conflict: { target: ['log_event_id', 'ts_reception'], action: 'nothing' },
    },
    dropEarlierCopies(CRASHES_TABLE, event.id, d.tsReception),
  ];
}

/**
 * Pure, clearlinux.md §7.5 "apply": re-choose one crash's guilty from its stored frames with the list as it is now.
 * A record without frames keeps no guilty, as on arrival; a record purged meanwhile updates nothing.
 */
export function reprocessCrash(event: CrashReprocessRequested, list: NeverGuiltyView): RowWrite[] {
  const guilty = chooseGuilty(event.data.frames, list.isNeverGuilty);
  return [
    {
      kind: 'sql',
      sql: `UPDATE ${CRASHES_TABLE} SET guilty_function = $2, guilty_module = $3, guilty_id = $4, grouped_with = $5
            WHERE record_id = $1::bigint`,
      params: [event.data.recordId, guilty?.function ?? null, guilty?.module ?? null, guilty ? guiltyId(guilty) : null, list.hash],
    },
  ];
}

/**
 * The crashes projector reads the never-guilty list from `list()` at the moment each event is
 * projected, i.e. the list as it is NOW, not as it was when the record arrived. That is deliberate: a
 * replay (which empties `crashes` and re-applies every record from the log) therefore regroups every
 * crash with the list current at replay time — which is exactly what an edit of the list asks for
 * (spec clearlinux.md §7.5 "re-process all backtrace records"). The never-guilty events are not consumed here for
 * the same reason: folding them in log order would reproduce the historical list instead.
 * Rows projected live between an edit and the end of its replay may use either list; the replay that
 * every edit triggers overwrites them. Each crash row also records the list's hash (`grouped_with`),
 * so a start-up can tell that the last edit's regroup never finished.
 * An "apply" from one crash (`clearlinux.crash.reprocess-requested`) re-chooses only that record's
 * guilty with the list now; the others keep theirs until the next regroup, reset or start-up check.
 */
export function crashesProjector(list: () => NeverGuiltyView): Projector<RecordAccepted | CrashReprocessRequested> {
  return {
    name: CRASHES_PROJECTOR,
    streams: ['telemetry.records', 'platform.admin'],
    // 2: a second copy of an event (Kafka) replaces the first instead of standing beside it.
    version: 2,
    eventTypes: [RECORD_ACCEPTED, CRASH_REPROCESS_REQUESTED],
    tables: [CRASHES_TABLE],
    project: (event) => (event.type === CRASH_REPROCESS_REQUESTED ? reprocessCrash(event, list()) : projectCrash(event, list())),
  };
}
