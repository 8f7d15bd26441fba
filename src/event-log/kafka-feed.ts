import { Consumer, Kafka } from 'kafkajs';
import { Database } from '../database/database';
import { CheckpointMoved, readCheckpoints } from './checkpoints';
import { TelemetryEvent } from './event';
import { BatchHandler, EventFeed } from './event-feed';
import { LazyAdmin } from './kafka-event-log';
import { consumes, Projector } from './projector';

/**
 * Feed from Kafka: one consumer group per projector. The database checkpoint (per topic-partition,
 * committed with the rows) is the truth; Kafka's committed offset only says where to resume fetching,
 * and messages at or below the database checkpoint are skipped, so a crash between the database commit
 * and the Kafka commit never applies an event twice.
 *
 * A rebalance hands partitions to other instances of the group, and back: the checkpoints are read again
 * from the database after every join (another member may have advanced a partition we get back), and each
 * batch is checked against the committed checkpoint under a row lock (ProjectorRuntime, shared database),
 * so a member still finishing a batch of a partition it just lost cannot make the new owner apply it twice.
 */
export class KafkaFeed implements EventFeed {
  private consumer: Consumer | undefined;
  private checkpoints = new Map<string, bigint>();
  private topics: string[] = [];
  private projectorName = '';
  /** Set by a (re)join of the group: the next batch first re-reads the database checkpoints. */
  private stale = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: LazyAdmin,
    private readonly db: Database,
    private readonly options: Readonly<{ groupPrefix: string; topicPrefix: string; onError: (err: unknown) => void }>,
  ) {}

  async start(projector: Projector, handle: BatchHandler): Promise<void> {
    this.projectorName = projector.name;
    this.checkpoints = await readCheckpoints(this.db, projector.name);
    this.topics = projector.streams.map((stream) => this.options.topicPrefix + stream);
    const consumer = this.kafka.consumer({
      groupId: `${this.options.groupPrefix}${projector.name}`,
      // How long the broker holds a fetch that finds nothing; it answers at once when a message arrives, so
      // this costs no latency. Short, every idle consumer fetched 20 times a second; long, a stopping
      // consumer waits for its pending fetch to end.
      maxWaitTimeInMs: 1000,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 30_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => this.options.onError(e.payload.error));
    // kafkajs emits this synchronously after the sync-group answer, before the first fetch of the new generation.
    consumer.on(consumer.events.GROUP_JOIN, () => (this.stale = true));
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        if (this.stale) {
          this.stale = false;
          this.checkpoints = await readCheckpoints(this.db, projector.name);
        }
        const partition = `${batch.topic}:${batch.partition}`;
        const last = batch.messages[batch.messages.length - 1].offset;
        for (;;) {
          const done = this.checkpoints.get(partition) ?? -1n;
          const fresh = batch.messages.filter((m) => BigInt(m.offset) > done);
          if (fresh.length === 0) break;
          const events = fresh
            .map((m) => JSON.parse(m.value!.toString('utf8')) as TelemetryEvent)
            .filter((e) => consumes(projector, e.type));
          try {
            await handle({ events, partition, position: last, after: done.toString() });
          } catch (err) {
            if (!(err instanceof CheckpointMoved)) throw err;
            this.checkpoints.set(partition, err.position);
            continue;
          }
          this.checkpoints.set(partition, BigInt(last));
          break;
        }
        // Without auto-resolve kafkajs fetches from the last *resolved* offset: unresolved, every fetch restarts
        // at the first one, and a partition whose backlog exceeds one fetch (1 MiB) never advances.
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }

  /**
   * Measured against the committed checkpoints in the database, not this member's copy: with several
   * instances, the partitions another member owns advance there, and read-your-writes waits (catchUp) on
   * this instance must see it.
   */
  async lag(): Promise<number> {
    const admin = await this.admin.get();
    const committed = await readCheckpoints(this.db, this.projectorName);
    let behind = 0;
    try {
      for (const topic of this.topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          const done = committed.get(`${topic}:${p.partition}`) ?? -1n;
          behind += Math.max(0, Number(BigInt(p.high) - 1n - done));
        }
      }
    } catch (err) {
      // kafkajs' admin does not reconnect a broker connection it lost ("Broker not connected" for good, seen
      // after the event loop stalled past a request timeout): the next reading starts from a new one.
      await this.admin.close();
      throw err;
    }
    return behind;
  }
}
