import { PUBLIC_READ_ROUTE_NAMES, PublicReadRouteName } from './public-read-routes';
import { bool, ConfigError, Env, int, list, matching, minLength, oneOf, optionalUrl, str } from './env-readers';

export { ConfigError };

/**
 * What start-up does with a projector whose code version differs from the version its rows were written
 * by: rebuild it from the log in the background (the others start at once; its pages show the replay's
 * progress), refuse to start (the operator replays when it suits them), or leave the rows as they are
 * (for the replay command itself, which rebuilds the one projector it was asked for).
 */
export const VERSION_CHANGE_POLICIES = ['rebuild', 'refuse', 'ignore'] as const;
export type VersionChangePolicy = (typeof VERSION_CHANGE_POLICIES)[number];

/**
 * One typed configuration object, read once from the environment. Every value has a documented default
 * (README "Configuration"); an invalid value stops start-up with a one-line message naming the variable.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `json`: one JSON object per line (for a log shipper); `pretty`/`text`: coloured lines for a terminal. */
export const LOG_FORMATS = ['json', 'pretty', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
  logFormat: LogFormat;
  /** On SIGTERM/SIGINT, a stop that has not finished after this long is given up: the process exits 1. */
  shutdownTimeoutS: number;
  /** Open sockets the HTTP server accepts at once (HTTP_MAX_CONNECTIONS); more are closed on accept. */
  maxConnections: number;
  /** Bearer token for console/admin; when unset a random one is generated into DATA_DIR/admin-token. */
  adminToken?: string;
  /** Micro-batching of appends: at most this many events per write, waiting at most this long for more. */
  appendBatchMaxEvents: number;
  appendBatchMaxWaitMs: number;
  /** Appends that are not durable within this time answer 503 (clients retry). */
  appendTimeoutMs: number;
  projectorBatchSize: number;
  /**
   * Safety poll of the log head for appends the projectors were not told about (they are woken in-process
   * and, on an external database, by LISTEN/NOTIFY), so it can be long. Embedded: at least 10 s.
   */
  projectorPollMs: number;
  /** A projector whose code version differs from its rows': rebuild it at start-up, or refuse to start. */
  projectorVersionChange: VersionChangePolicy;
  /** How long appends are deduplicated by event id when the log itself cannot (Kafka mode). */
  dedupeWindowHours: number;
  rollupRefreshIntervalS: number;
  /** Accept re-installing continuous aggregates as plain views (moving to a server without them); off: refuse to start. */
  rollupAllowDowngrade: boolean;
  /**
   * Instances sharing a database look this often for leases (projectors, singleton jobs) whose holder died
   * or that balancing moves: the longest a kill -9'd instance's work waits for a new owner.
   */
  leaseCheckMs: number;
  /** Read routes reopened to anonymous clients (upstream clients that never sent a credential); none by default. */
  publicReadRoutes: readonly PublicReadRouteName[];
  /** A console session ends this long after sign-in, whatever its use. */
  sessionTtlHours: number;
  /** Proxies in front that set X-Forwarded-For/-Proto: with one or more, a forwarded `https` marks the session cookie Secure. */
  trustedProxies: number;
}>;


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
    host: str(env, 'HOST', '127.0.0.1'),
    databaseUrl,
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 1000),
    kafkaBrokers,
    kafkaTopicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
    kafkaClientId: str(env, 'KAFKA_CLIENT_ID', 'telemetry-platform'),
    kafkaTopicPrefix: matching(env, 'KAFKA_TOPIC_PREFIX', /^[A-Za-z0-9._-]{0,100}$/, 'letters, digits, ".", "_" or "-"'),
    dataDir: str(env, 'DATA_DIR', './data'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', LOG_FORMATS, 'json'),
    shutdownTimeoutS: int(env, 'SHUTDOWN_TIMEOUT_S', 10, 1, 3600),
    maxConnections: int(env, 'HTTP_MAX_CONNECTIONS', 4096, 1, 1_000_000),
    adminToken: env.ADMIN_TOKEN ? minLength(env, 'ADMIN_TOKEN', 16) : undefined,
    appendBatchMaxEvents: int(env, 'APPEND_BATCH_MAX_EVENTS', 500, 1, 100000),
    appendBatchMaxWaitMs: int(env, 'APPEND_BATCH_MAX_WAIT_MS', 2, 0, 1000),
    appendTimeoutMs: int(env, 'APPEND_TIMEOUT_MS', 5000, 100, 600000),
    projectorBatchSize: int(env, 'PROJECTOR_BATCH_SIZE', 1000, 1, 100000),
    projectorPollMs: int(env, 'PROJECTOR_POLL_MS', 30000, 10, 600000),
    projectorVersionChange: oneOf(env, 'PROJECTOR_VERSION_CHANGE', VERSION_CHANGE_POLICIES, 'rebuild'),
    dedupeWindowHours: int(env, 'DEDUPE_WINDOW_HOURS', 48, 24, 100000),
    rollupRefreshIntervalS: int(env, 'ROLLUP_REFRESH_INTERVAL_S', 60, 1, 86400),
    rollupAllowDowngrade: bool(env, 'ROLLUP_ALLOW_DOWNGRADE', false),
    leaseCheckMs: int(env, 'LEASE_CHECK_MS', 5000, 100, 600000),
    publicReadRoutes: publicReadRoutes(env),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 366),
    trustedProxies: int(env, 'TRUSTED_PROXIES', 0, 0, 100),
  };
}

function publicReadRoutes(env: Env): PublicReadRouteName[] {
  const names = list(env, 'PUBLIC_READ_ROUTES');
  for (const name of names) {
    if (!(PUBLIC_READ_ROUTE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(`PUBLIC_READ_ROUTES: unknown route name "${name}"; known: ${PUBLIC_READ_ROUTE_NAMES.join(', ')}`);
    }
  }
  return names as PublicReadRouteName[];
}

export type RuntimeMode = 'embedded' | 'external' | 'full';

/** The mode is derived, never configured separately, so it cannot disagree with the settings. */
export function runtimeMode(config: Pick<AppConfig, 'databaseUrl' | 'kafkaBrokers'>): RuntimeMode {
  if (!config.databaseUrl) return 'embedded';
  return config.kafkaBrokers.length > 0 ? 'full' : 'external';
}
