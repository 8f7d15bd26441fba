import { AppConfig } from '../config/app-config';
import { Leases, LocalLeases } from '../coordination/leases';
import { PostgresLeases } from '../coordination/postgres-leases';
import { Database } from '../database/database';
import { Metrics } from '../metrics/metrics';
import { archiverProjector } from './archiver.projector';
import { EventLog } from './event-log';
import { eventLogMetrics } from './event-log.metrics';
import { KafkaEventLog, LazyAdmin, kafkaClient } from './kafka-event-log';
import { KafkaFeed } from './kafka-feed';
import { PostgresEventLog } from './postgres-event-log';
import { PostgresFeed } from './postgres-feed';
import { ProjectorRuntime } from './projector-runtime';

/** `leases`: started after the runtime registered its projectors, stopped after it (PlatformModule). */
export type EventInfrastructure = Readonly<{ log: EventLog; runtime: ProjectorRuntime; leases: Leases }>;

const EMBEDDED_SAFETY_POLL_MS = 10_000;

type Settings = Pick<
  AppConfig,
  | 'databaseUrl'
  | 'kafkaBrokers'
  | 'kafkaClientId'
  | 'kafkaTopicPrefix'
  | 'kafkaTopicPartitions'
  | 'appendBatchMaxEvents'
  | 'appendBatchMaxWaitMs'
  | 'appendTimeoutMs'
  | 'projectorBatchSize'
  | 'projectorPollMs'
  | 'projectorVersionChange'
  | 'dedupeWindowHours'
  | 'leaseCheckMs'
>;

/** Picks the adapter pair for the configured mode; nothing else in the code knows which one is active. */
export function createEventInfrastructure(config: Settings, db: Database, metrics: Metrics, onError: (err: unknown) => void): EventInfrastructure {
  const logMetrics = eventLogMetrics(metrics);
  const leaseStatements = metrics.counter('telemetry_lease_statements_total', 'Statements of the lease session (instances sharing a database)');
  // One process owns an embedded database (DATA_DIR lock); on a shared one, advisory-lock leases decide.
  const leases: Leases = config.databaseUrl
    ? new PostgresLeases(config.databaseUrl, {
        checkMs: config.leaseCheckMs,
        onError: (lease, err) => onError(new Error(`${lease}: ${(err as Error).message}`)),
        onStatement: () => leaseStatements.inc(),
      })
    : new LocalLeases((lease, err) => onError(new Error(`${lease}: ${(err as Error).message}`)));
  metrics.gauge('telemetry_leases_held', 'Leases (projectors, singleton jobs) this instance holds now', ['lease'], function () {
    this.reset();
    for (const lease of leases.heldLeases()) this.set({ lease }, 1);
  });
  const guardCheckpoints = config.databaseUrl !== undefined;
  const batching = { batchMaxEvents: config.appendBatchMaxEvents, batchMaxWaitMs: config.appendBatchMaxWaitMs, timeoutMs: config.appendTimeoutMs };
  if (config.kafkaBrokers.length === 0) {
    // External PostgreSQL: other instances may append, and LISTEN/NOTIFY tells us at once. Embedded: no
    // other process can open the database (and PGlite has a single connection to spare for a listener),
    // so in-process wake-ups see every append and the head poll is only a slow safety net there.
    const log = new PostgresEventLog(db, logMetrics, {
      ...batching,
      sharedDatabaseUrl: config.databaseUrl,
      headPollMs: config.databaseUrl ? config.projectorPollMs : Math.max(config.projectorPollMs, EMBEDDED_SAFETY_POLL_MS),
    });
    const feedOptions = { batchSize: config.projectorBatchSize, onError };
    const runtime = new ProjectorRuntime(db, () => new PostgresFeed(db, log, feedOptions), metrics, {
      batchSize: config.projectorBatchSize,
      replayPartition: '',
      onVersionChange: config.projectorVersionChange,
      leases,
      guardCheckpoints,
    });
    return { log, runtime, leases };
  }

  const log = new KafkaEventLog(db, logMetrics, {
    ...batching,
    brokers: config.kafkaBrokers,
    clientId: config.kafkaClientId,
    topicPrefix: config.kafkaTopicPrefix,
    partitions: config.kafkaTopicPartitions,
    dedupeWindowHours: config.dedupeWindowHours,
  });
  const kafka = kafkaClient(config.kafkaBrokers, `${config.kafkaClientId}-projectors`);
  const admin = new LazyAdmin(kafka);
  const runtime: ProjectorRuntime = new ProjectorRuntime(
    db,
    () => new KafkaFeed(kafka, admin, db, { groupPrefix: `${config.kafkaClientId}.`, topicPrefix: config.kafkaTopicPrefix, onError }),
    metrics,
    {
      batchSize: config.projectorBatchSize,
      replayPartition: 'replay',
      onVersionChange: config.projectorVersionChange,
      // Replay reads event_log: everything the live consumer already applied must be archived first.
      beforeReplay: () => runtime.catchUp([archiverProjector.name], 120_000),
      afterStop: () => admin.close(),
      // Consumer groups split the partitions between instances: every projector runs everywhere.
      guardCheckpoints,
    },
  );
  runtime.register(archiverProjector);
  return { log, runtime, leases };
}
