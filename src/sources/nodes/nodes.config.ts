import { cpus } from 'node:os';
import { ConfigError, Env, int } from '../../config/env-readers';

/**
 * Node telemetry settings (spec submissions-and-nodes.md §B.2) with upstream's real code defaults. Upstream silently fell back to
 * the default on a bad value; here a bad value refuses start-up naming the variable.
 */
export type NodesConfig = Readonly<{
  heartbeatIntervalS: number;
  clientTimeoutS: number;
  purgeIntervalS: number;
  logExpiryH: number;
  maxPendingConnections: number;
  wsMaxPayload: number;
  numThreads: number;
  dbBatchSize: number;
  dbSaveLatencyMs: number;
  /** Rows the buffer may hold before sockets are paused (backpressure, submissions-and-nodes.md §B.6). */
  bufferMaxRows: number;
  cacheUpdateTimeoutS: number;
  cacheUpdateIntervalMs: number;
  cacheExpiryS: number;
  cacheTimeoutS: number;
  assetsPath: string;
  /** Number of trusted proxies in front of the server (X-Forwarded-For, submissions-and-nodes.md §A.7 rule); 0 = socket address. */
  trustedProxies: number;
}>;

export const NODES_CONFIG = Symbol('NODES_CONFIG');

export function loadNodesConfig(env: Env): NodesConfig {
  const numThreads = int(env, 'NUM_THREADS', cpus().length * 3, 1, 4096);
  const dbBatchSize = int(env, 'DB_BATCH_SIZE', 1024, 1, 100_000);
  const config = {
    heartbeatIntervalS: int(env, 'HEARTBEAT_INTERVAL', 5, 1, 3600),
    clientTimeoutS: int(env, 'CLIENT_TIMEOUT_S', 10, 1, 86_400),
    purgeIntervalS: int(env, 'PURGE_INTERVAL_S', 600, 1, 86_400 * 30),
    logExpiryH: int(env, 'LOG_EXPIRY_H', 3, 1, 10_000_000),
    maxPendingConnections: int(env, 'MAX_PENDING_CONNECTIONS', 1024, 1, 1_000_000),
    wsMaxPayload: int(env, 'WS_MAX_PAYLOAD', 524_288, 1024, 1024 * 1024 * 1024),
    numThreads,
    dbBatchSize,
    dbSaveLatencyMs: int(env, 'DB_SAVE_LATENCY_MS', 100, 1, 600_000),
    bufferMaxRows: int(env, 'NODE_BUFFER_MAX_ROWS', Math.max(10_000, dbBatchSize * 4), 1, 10_000_000),
    cacheUpdateTimeoutS: int(env, 'CACHE_UPDATE_TIMEOUT_S', 15, 1, 86_400),
    cacheUpdateIntervalMs: int(env, 'CACHE_UPDATE_INTERVAL_MS', 1000, 1, 86_400_000),
    cacheExpiryS: int(env, 'CACHE_EXPIRY_S', 10_800, 1, 86_400 * 365),
    cacheTimeoutS: int(env, 'CACHE_TIMEOUT_S', 60, 1, 86_400),
    assetsPath: (env.ASSETS_PATH ?? '').trim() || './static',
    trustedProxies: int(env, 'TRUSTED_PROXIES', 0, 0, 100),
  };
  if (config.bufferMaxRows < config.dbBatchSize) throw new ConfigError('NODE_BUFFER_MAX_ROWS must be at least DB_BATCH_SIZE');
  return config;
}

