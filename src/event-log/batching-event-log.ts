import { TelemetryEvent } from './event';
import { AppendOutcome, EventLog } from './event-log';
import { EventLogMetrics } from './event-log.metrics';
import { MicroBatcher } from './micro-batcher';
import { withAppendTimeout } from './with-timeout';

export type BatchingOptions = Readonly<{ batchMaxEvents: number; batchMaxWaitMs: number; timeoutMs: number }>;

/**
 * What both adapters share: concurrent appends are micro-batched into one durable write, each caller
 * waits at most `timeoutMs` (then LogUnavailable → 503), and ack latency is measured. Adapters only say
 * how one batch is made durable.
 */
export abstract class BatchingEventLog extends EventLog {
  private readonly batcher: MicroBatcher<TelemetryEvent, AppendOutcome>;

  constructor(
    protected readonly metrics: EventLogMetrics,
    private readonly batching: BatchingOptions,
  ) {
    super();
    this.batcher = new MicroBatcher((events) => this.write(events), batching.batchMaxEvents, batching.batchMaxWaitMs);
  }

  /** Writes what is still waiting in the micro-batch: `stop()` calls it before the writer closes. */
  protected drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** Makes one batch durable; resolves with one outcome per event, in order. */
  protected abstract write(events: TelemetryEvent[]): Promise<AppendOutcome[]>;

  async append(events: readonly TelemetryEvent[]): Promise<AppendOutcome[]> {
    const started = process.hrtime.bigint();
    const outcomes = await withAppendTimeout(Promise.all(events.map((e) => this.batcher.submit(e))), this.batching.timeoutMs, 'append');
    this.metrics.latency.observe({ log: this.kind }, Number(process.hrtime.bigint() - started) / 1e9);
    return outcomes;
  }
}
