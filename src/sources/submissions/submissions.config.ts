import { ConfigError, Env, int } from '../../config/env-readers';

/** Settings of the generic submission endpoint (spec submissions-and-nodes.md §A.4, §A.6); README "Generic document submission". */
export type SubmissionsConfig = Readonly<{
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  oversizeStatus: 413 | 202;
  dedupeWindowS: number;
  /** CSV ranges GeoIP database (spec submissions-and-nodes.md §A.7); unset or absent → geo unknown. */
  geoipDbPath: string | undefined;
  /** A city smaller than this is dropped from the geo fields. */
  geoipCityMinPopulation: number;
  /** Proxies in front of the server: the client is the X-Forwarded-For entry this far from the end; 0 = socket. */
  trustedProxies: number;
}>;

export const SUBMISSIONS_CONFIG = Symbol('SUBMISSIONS_CONFIG');

export function loadSubmissionsConfig(env: Env): SubmissionsConfig {
  const oversize = int(env, 'SUBMIT_OVERSIZE_STATUS', 413, 100, 599);
  if (oversize !== 413 && oversize !== 202) throw new ConfigError(`SUBMIT_OVERSIZE_STATUS must be 413 or 202, got ${oversize}`);
  return {
    maxBodyBytes: int(env, 'SUBMIT_MAX_BODY_BYTES', 1_048_576, 1, 32 * 1024 * 1024),
    maxDecompressedBytes: int(env, 'SUBMIT_MAX_DECOMPRESSED_BYTES', 8_388_608, 1, 1024 * 1024 * 1024),
    oversizeStatus: oversize,
    dedupeWindowS: int(env, 'SUBMIT_DEDUPE_WINDOW_S', 600, 1, 100 * 365 * 86400),
    geoipDbPath: (env.GEOIP_DB_PATH ?? '').trim() || undefined,
    geoipCityMinPopulation: int(env, 'GEOIP_CITY_MIN_POPULATION', 15_000, 0, 1_000_000_000),
    trustedProxies: int(env, 'TRUSTED_PROXIES', 0, 0, 100),
  };
}

