import { TelemetryEvent } from './event';

export type AppendOutcome = Readonly<{ id: string; appended: boolean }>;
export type LogHealth = Readonly<{ ok: boolean; kind: EventLogKind; detail: string }>;
export type EventLogKind = 'postgres' | 'kafka';

/**
 * The event log port. `append` resolves only once every event is durable (committed in Postgres, or
 * acknowledged by all in-sync Kafka replicas); an event whose id was already appended resolves with
 * `appended: false` and is not stored again. When durability cannot be reached in time it rejects with
 * LogUnavailable, which the HTTP layer turns into 503 + Retry-After.
 */
export abstract class EventLog {
  abstract readonly kind: EventLogKind;
  abstract append(events: readonly TelemetryEvent[]): Promise<AppendOutcome[]>;
  abstract health(): Promise<LogHealth>;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  async appendOne(event: TelemetryEvent): Promise<AppendOutcome> {
    const [outcome] = await this.append([event]);
    return outcome;
  }
}
