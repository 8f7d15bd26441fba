/**
 * One typed configuration object, read once from the environment. Every value has a documented default
 * (README "Configuration"); an invalid value stops start-up with a one-line message naming the variable.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type AppConfig = Readonly<{
  port: number;
  host: string;
  databaseUrl?: string;
  dbPoolSize: number;
  kafkaBrokers: readonly string[];
  kafkaTopicPartitions: number;
  kafkaClientId: string;
  /** Prepended to every topic name, so several installations (or test runs) can share one cluster. */
  kafkaTopicPrefix: string;
  dataDir: string;
  logLevel: LogLevel;
  /** Bearer token for console/admin; when unset a random one is generated into DATA_DIR/admin-token. */
  adminToken?: string;
  /** Micro-batching of appends: at most this many events per write, waiting at most this long for more. */
  appendBatchMaxEvents: number;
  appendBatchMaxWaitMs: number;
  /** Appends that are not durable within this time answer 503 (clients retry). */
  appendTimeoutMs: number;
  projectorBatchSize: number;
  projectorPollMs: number;
  /** How long appends are deduplicated by event id when the log itself cannot (Kafka mode). */
  dedupeWindowHours: number;
  rollupRefreshIntervalS: number;
}>;

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): AppConfig {
  const databaseUrl = optionalUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const kafkaBrokers = list(env, 'KAFKA_BROKERS');
  if (kafkaBrokers.length > 0 && !databaseUrl) {
    throw new ConfigError('KAFKA_BROKERS needs DATABASE_URL: projections and checkpoints live in an external database');
  }
  for (const broker of kafkaBrokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) throw new ConfigError(`KAFKA_BROKERS must be host:port[,host:port], got "${broker}"`);
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    databaseUrl,
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 1000),
    kafkaBrokers,
    kafkaTopicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
    kafkaClientId: str(env, 'KAFKA_CLIENT_ID', 'telemetry-platform'),
    kafkaTopicPrefix: matching(env, 'KAFKA_TOPIC_PREFIX', /^[A-Za-z0-9._-]{0,100}$/, 'letters, digits, ".", "_" or "-"'),
    dataDir: str(env, 'DATA_DIR', './data'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    adminToken: env.ADMIN_TOKEN ? minLength(env, 'ADMIN_TOKEN', 16) : undefined,
    appendBatchMaxEvents: int(env, 'APPEND_BATCH_MAX_EVENTS', 500, 1, 100000),
    appendBatchMaxWaitMs: int(env, 'APPEND_BATCH_MAX_WAIT_MS', 2, 0, 1000),
    appendTimeoutMs: int(env, 'APPEND_TIMEOUT_MS', 5000, 100, 600000),
    projectorBatchSize: int(env, 'PROJECTOR_BATCH_SIZE', 1000, 1, 100000),
    projectorPollMs: int(env, 'PROJECTOR_POLL_MS', 500, 10, 600000),
    dedupeWindowHours: int(env, 'DEDUPE_WINDOW_HOURS', 48, 24, 100000),
    rollupRefreshIntervalS: int(env, 'ROLLUP_REFRESH_INTERVAL_S', 60, 1, 86400),
  };
}

export type RuntimeMode = 'embedded' | 'external' | 'full';

/** The mode is derived, never configured separately, so it cannot disagree with the settings. */
export function runtimeMode(config: Pick<AppConfig, 'databaseUrl' | 'kafkaBrokers'>): RuntimeMode {
  if (!config.databaseUrl) return 'embedded';
  return config.kafkaBrokers.length > 0 ? 'full' : 'external';
}

function raw(env: Env, key: string): string {
  return (env[key] ?? '').trim();
}

function str(env: Env, key: string, fallback: string): string {
  return raw(env, key) || fallback;
}

function matching(env: Env, key: string, pattern: RegExp, what: string): string {
  const value = raw(env, key);
  if (!pattern.test(value)) throw new ConfigError(`${key} must be ${what}, got "${value}"`);
  return value;
}

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const value = raw(env, key);
  if (value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${key} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function list(env: Env, key: string): string[] {
  return raw(env, key)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, key).toLowerCase();
  if (value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function optionalUrl(env: Env, key: string, protocols: string[]): string | undefined {
  const value = raw(env, key);
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${key} must be a URL like postgres://user@host:5432/db`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${key} must start with ${protocols.join(' or ')}//`);
  return value;
}

function minLength(env: Env, key: string, min: number): string {
  const value = raw(env, key);
  if (value.length < min) throw new ConfigError(`${key} must be at least ${min} characters long`);
  return value;
}
