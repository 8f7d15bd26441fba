import { loadConfig } from '../src/config/app-config';
import { newEventId, TelemetryEvent } from '../src/event-log/event';
import { createEventInfrastructure } from '../src/event-log/event-infrastructure';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { Metrics } from '../src/metrics/metrics';
import { benchDatabase, percentile, report } from './support';

/**
 * Event-log append throughput and ack latency at 1/16/64 concurrent writers, for the Postgres log on the
 * embedded database, on DATABASE_URL's server, and for the Kafka log when KAFKA_BROKERS is set.
 * Bounded: at most EVENTS_PER_RUN events or SECONDS_PER_RUN seconds per (adapter, writers) pair.
 */
const EVENTS_PER_RUN = Number(process.env.BENCH_EVENTS ?? 20_000);
const SECONDS_PER_RUN = Number(process.env.BENCH_SECONDS ?? 10);
const WRITERS = [1, 16, 64];

export async function benchEventLog(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || undefined;
  const brokers = process.env.KAFKA_BROKERS || '';
  const targets: { adapter: string; serverUrl?: string; brokers: string }[] = [{ adapter: 'postgres-embedded', brokers: '' }];
  if (serverUrl) targets.push({ adapter: 'postgres-external', serverUrl, brokers: '' });
  if (serverUrl && brokers) targets.push({ adapter: 'kafka', serverUrl, brokers });

  for (const target of targets) {
    const database = await benchDatabase(target.serverUrl);
    const topicPrefix = `bench-${Date.now()}.`;
    const config = loadConfig({ DATABASE_URL: database.label === 'external' ? 'postgres://bench' : '', KAFKA_BROKERS: target.brokers, KAFKA_CLIENT_ID: `bench-${Date.now()}`, KAFKA_TOPIC_PREFIX: topicPrefix });
    const { log } = createEventInfrastructure(config, database.db, new Metrics(false), () => undefined);
    await log.start();
    try {
      for (const writers of WRITERS) {
        const latencies: number[] = [];
        const deadline = Date.now() + SECONDS_PER_RUN * 1000;
        let issued = 0;
        const started = process.hrtime.bigint();
        const writer = async () => {
          while (issued < EVENTS_PER_RUN && Date.now() < deadline) {
            issued += 1;
            const t0 = process.hrtime.bigint();
            await log.appendOne(benchEvent());
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        };
        await Promise.all(Array.from({ length: writers }, writer));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        latencies.sort((a, b) => a - b);
        report({
          bench: 'event-log-append',
          adapter: target.adapter,
          writers,
          n: latencies.length,
          eventsPerSecond: Math.round(latencies.length / seconds),
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
        });
      }
    } finally {
      await log.stop();
      await database.drop();
      if (target.brokers) await deleteTopics(config.kafkaBrokers, topicPrefix);
    }
  }
}

function benchEvent(): TelemetryEvent {
  const id = newEventId();
  return {
    id,
    type: 'bench.event.appended',
    version: 1,
    stream: 'platform.admin',
    source: 'bench',
    key: id.slice(-6),
    receivedAt: new Date().toISOString(),
    // roughly the size of a Clear Linux record with a small payload
    data: { machineId: id.replaceAll('-', ''), classification: 'org.clearlinux/hello/world', payload: 'x'.repeat(400) },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
