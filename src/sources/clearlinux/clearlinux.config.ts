import { Env, bool, int } from '../../config/env-readers';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './ingest/payload-decoding';
import { DEFAULT_TELEMETRY_ID } from './ingest/record-parser';

/** Retention settings (spec clearlinux.md §10). `filtered`: field → value → days (0 = this filter never deletes). */
export type PurgeConfig = Readonly<{
  enabled: boolean;
  maxDaysKeepUnfiltered: number;
  filtered: Readonly<Partial<Record<PurgeField, Readonly<Record<string, number>>>>>;
}>;

export const PURGE_FIELDS = ['severity', 'classification', 'machine_id'] as const;
export type PurgeField = (typeof PURGE_FIELDS)[number];

export const CLEARLINUX_CONFIG = Symbol('CLEARLINUX_CONFIG');

export type ClearLinuxConfig = Readonly<{
  /** X-Telemetry-TID every record must carry (clearlinux.md §3.1). */
  telemetryId: string;
  /** Decoded payload limit (clearlinux.md §3.6). */
  maxPayloadBytes: number;
  /** How long a duplicate POST waits for the first copy to be projected before answering 503. */
  duplicateWaitMs: number;
  purge: PurgeConfig;
}>;

/** clearlinux.md §10 default: hello-world records live one day. */
export const DEFAULT_PURGE_FILTERED: PurgeConfig['filtered'] = { classification: { 'org.clearlinux/hello/world': 1 } };

/**
 * Environment → config (read once by the module). Variables (README "Clear Linux collector"):
 * CLR_TELEMETRY_ID, CLR_MAX_PAYLOAD_BYTES, CLR_DUPLICATE_WAIT_MS, CLR_PURGE_ENABLED,
 * CLR_PURGE_MAX_DAYS_KEEP_UNFILTERED, CLR_PURGE_FILTERED_RECORDS (JSON map).
 */
export function loadClearLinuxConfig(env: Env): ClearLinuxConfig {
  return {
    telemetryId: (env.CLR_TELEMETRY_ID ?? '').trim() || DEFAULT_TELEMETRY_ID,
    maxPayloadBytes: int(env, 'CLR_MAX_PAYLOAD_BYTES', DEFAULT_MAX_PAYLOAD_BYTES, 1, 64 * 1024 * 1024),
    duplicateWaitMs: int(env, 'CLR_DUPLICATE_WAIT_MS', 5000, 0, 60_000),
    purge: {
      enabled: bool(env, 'CLR_PURGE_ENABLED', true),
      maxDaysKeepUnfiltered: int(env, 'CLR_PURGE_MAX_DAYS_KEEP_UNFILTERED', 35, 0, 100_000),
      filtered: purgeFiltered(env.CLR_PURGE_FILTERED_RECORDS),
    },
  };
}

/** `{"severity": {"1": 5}, "classification": {"org.clearlinux/mce/*": 0}}`; unknown fields are refused. */
export function purgeFiltered(raw: string | undefined): PurgeConfig['filtered'] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PURGE_FILTERED;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('CLR_PURGE_FILTERED_RECORDS must be a JSON object');
  }
  if (!isObject(parsed)) throw new Error('CLR_PURGE_FILTERED_RECORDS must be a JSON object');
  const out: Partial<Record<PurgeField, Record<string, number>>> = {};
  for (const [field, values] of Object.entries(parsed)) {
    if (!(PURGE_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`CLR_PURGE_FILTERED_RECORDS: unsupported field "${field}" (use ${PURGE_FIELDS.join(', ')})`);
    }
    if (!isObject(values)) throw new Error(`CLR_PURGE_FILTERED_RECORDS.${field} must be an object of value → days`);
    const map: Record<string, number> = {};
    for (const [value, days] of Object.entries(values)) {
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) {
        throw new Error(`CLR_PURGE_FILTERED_RECORDS.${field}["${value}"] must be a whole number of days`);
      }
      map[value] = days;
    }
    out[field as PurgeField] = map;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

