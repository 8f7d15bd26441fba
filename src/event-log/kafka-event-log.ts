import { Admin, CompressionTypes, Kafka, Producer } from 'kafkajs';
import { LogUnavailable, ServiceUnavailable } from '../common/errors';
import { Database } from '../database/database';
import { EVENT_STREAMS, TelemetryEvent } from './event';
import { BatchingEventLog, BatchingOptions } from './batching-event-log';
import { AppendOutcome, LogHealth } from './event-log';
import { EventLogMetrics } from './event-log.metrics';
import { markFirstOccurrences } from './postgres-event-log';
import { withAppendTimeout } from './with-timeout';
import { KAFKA_LOG_LEVEL, kafkaLogCreator } from '../logging/kafka-logs';

export const ClaimSql = {
  claim: `INSERT INTO event_claims (id) SELECT unnest($1::uuid[]) ON CONFLICT (id) DO NOTHING RETURNING id`,
  prune: `DELETE FROM event_claims WHERE claimed_at < now() - make_interval(hours => $1)`,
} as const;

export type KafkaEventLogOptions = BatchingOptions &
  Readonly<{ brokers: readonly string[]; clientId: string; topicPrefix: string; partitions: number; dedupeWindowHours: number }>;

export function kafkaClient(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: KAFKA_LOG_LEVEL,
    logCreator: kafkaLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

/** One admin connection shared by the projector feeds, opened on first use. */
export class LazyAdmin {
  private connected: Promise<Admin> | undefined;
  constructor(private readonly kafka: Kafka) {}

  get(): Promise<Admin> {
    this.connected ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    this.connected.catch(() => (this.connected = undefined));
    return this.connected;
  }

  async close(): Promise<void> {
    const admin = await this.connected?.catch(() => undefined);
    this.connected = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

/**
 * Event log on Kafka: idempotent producer, acks from all in-sync replicas, one topic per event family,
 * keyed by machine/installation/node. Kafka cannot refuse a duplicate id, so an append first claims its
 * id in `event_claims` inside a transaction that commits only after Kafka acknowledged the send: a
 * failed send leaves no claim (the retry is accepted), and a concurrent duplicate waits on the claim's
 * row lock and then sees it. Claims older than the dedupe window are pruned.
 */
export class KafkaEventLog extends BatchingEventLog {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    metrics: EventLogMetrics,
    private readonly options: KafkaEventLogOptions,
  ) {
    super(metrics, options);
    this.kafka = kafkaClient(options.brokers, options.clientId);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.admin = this.kafka.admin();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await ensureTopics(this.admin, this.options.partitions, this.options.topicPrefix);
    await this.producer.connect();
    this.pruneTimer = setInterval(() => {
      this.db.query(ClaimSql.prune, [this.options.dedupeWindowHours]).catch(() => undefined);
    }, 10 * 60_000);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.drain();
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  async health(): Promise<LogHealth> {
    try {
      const cluster = await withAppendTimeout(this.admin.describeCluster(), 2000, 'kafka health check');
      return { ok: true, kind: this.kind, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  protected async write(events: TelemetryEvent[]): Promise<AppendOutcome[]> {
    let claimed: Set<string>;
    try {
      claimed = await this.db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string }>(ClaimSql.claim, [events.map((e) => e.id)]);
        const fresh = new Set(rows.map((r) => r.id));
        const toSend = firstOccurrences(events.filter((e) => fresh.has(e.id)));
        if (toSend.length > 0) await this.send(toSend);
        return fresh;
      });
    } catch (err) {
      this.metrics.failures.inc({ log: this.kind });
      throw err instanceof ServiceUnavailable ? err : new LogUnavailable(undefined, undefined, err);
    }
    this.metrics.batchSize.observe(events.length);
    return markFirstOccurrences(events, claimed, this.metrics);
  }

  private async send(events: TelemetryEvent[]): Promise<void> {
    const byStream = new Map<string, TelemetryEvent[]>();
    for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    await this.producer.sendBatch({
      acks: -1,
      timeout: this.options.timeoutMs,
      compression: CompressionTypes.None,
      topicMessages: [...byStream].map(([stream, list]) => ({
        topic: this.options.topicPrefix + stream,
        messages: list.map((e) => ({ key: e.key ?? e.id, value: JSON.stringify(e), headers: { type: e.type } })),
      })),
    });
  }
}

function firstOccurrences(events: TelemetryEvent[]): TelemetryEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

export async function ensureTopics(admin: Admin, partitions: number, prefix: string): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = EVENT_STREAMS.map((stream) => prefix + stream).filter((t) => !existing.has(t));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    // replication factor: the broker's default.replication.factor, so a real cluster gets its own policy
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, configEntries: [{ name: 'max.message.bytes', value: String(MAX_EVENT_BYTES) }] })),
  });
}

/**
 * The largest message our topics take. An event carries its whole request (a /submit document of up to
 * SUBMIT_MAX_BODY_BYTES as base64, a Fuel batch of up to 34 MiB of JSON): at the broker's default of 1 MiB an
 * accepted request above it would be answered 503 on every retry, for ever.
 */
const MAX_EVENT_BYTES = 64 * 1024 * 1024;

/** Removes every topic whose name starts with `prefix` (throw-away test and benchmark runs). */
export async function deleteTopics(brokers: readonly string[], prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete topics without a prefix');
  const admin = kafkaClient(brokers, 'topic-cleanup').admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
