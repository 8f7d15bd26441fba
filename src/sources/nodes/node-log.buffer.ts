import { Logger } from '@nestjs/common';
import { LogRow } from './nodes.repository';

export type BufferSink = Readonly<{
  insert(rows: readonly LogRow[]): Promise<void>;
  /** A row that still fails alone after retries: error table + `insert_failed`. */
  reject(row: LogRow, error: Error): Promise<void>;
  stored(rows: readonly LogRow[]): void;
  size(rows: number): void;
}>;

export type BufferOptions = Readonly<{
  batchSize: number;
  latencyMs: number;
  maxRows: number;
  /** Max estimated statement bytes per INSERT (the embedded server cannot take statements of 64 KiB or more). */
  maxBatchBytes?: number;
  retries?: number;
  retryDelayMs?: number;
}>;

/**
 * Batches node messages into multi-row INSERTs (spec submissions-and-nodes.md §B.6): flush when `batchSize` rows are waiting or
 * the oldest waiting row is `latencyMs` old, whichever comes first. Bounded: `full` tells the gateway to
 * pause reading its sockets (backpressure) until `onDrain` fires. A failing INSERT is retried with
 * backoff, then split in halves down to single rows, so one bad row cannot lose the batch (submissions-and-nodes.md §B.10 #6).
 */
export class NodeLogBuffer {
  private readonly logger = new Logger('nodes-buffer');
  private rows: LogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    private readonly sink: BufferSink,
    private readonly options: BufferOptions,
  ) {}

  get pending(): number {
    return this.rows.length + this.inFlight;
  }

  get full(): boolean {
    return this.pending >= this.options.maxRows;
  }

  /** Resolves once the buffer has room again (immediately if it has). */
  onDrain(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  push(row: LogRow): void {
    this.rows.push(row);
    this.sink.size(this.pending);
    if (this.rows.length >= this.options.batchSize) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.options.latencyMs);
  }

  /** Writes everything buffered so far; resolves when it is stored (or counted as failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const taken = this.rows;
    this.rows = [];
    if (taken.length === 0) return this.flushing;
    this.inFlight += taken.length;
    this.flushing = this.flushing.then(async () => {
      try {
        for (const chunk of this.chunks(taken)) await this.write(chunk);
      } finally {
        this.inFlight -= taken.length;
        this.sink.size(this.pending);
        if (!this.full) for (const wake of this.drainWaiters.splice(0)) wake();
      }
    });
    return this.flushing;
  }

  /** INSERT-sized pieces: at most `batchSize` rows and `maxBatchBytes` of JSON each. */
  private chunks(rows: readonly LogRow[]): LogRow[][] {
    const maxBytes = this.options.maxBatchBytes ?? Number.POSITIVE_INFINITY;
    const out: LogRow[][] = [];
    let current: LogRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = statementBytes(row);
      if (current.length > 0 && (current.length >= this.options.batchSize || bytes + size > maxBytes)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(row);
      bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  private async write(rows: readonly LogRow[]): Promise<void> {
    const retries = this.options.retries ?? 3;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        await this.sink.insert(rows);
        this.sink.stored(rows);
        return;
      } catch (err) {
        lastError = err as Error;
        if (rows.length > 1 && attempt >= 1) break; // split early: a bad row fails every retry
        if (attempt < retries) await sleep((this.options.retryDelayMs ?? 100) * 2 ** attempt);
      }
    }
    if (rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      await this.write(rows.slice(0, half));
      await this.write(rows.slice(half));
      return;
    }
    this.logger.warn(`node message insert failed: ${lastError?.message}`);
    try {
      await this.sink.reject(rows[0], lastError ?? new Error('insert failed'));
    } catch (err) {
      this.logger.error(`could not record a failed node message: ${(err as Error).message}`);
    }
  }
}

/** Wire size of one row in the INSERT: array-literal escaping can double the JSON, plus the other columns. */
export function statementBytes(row: LogRow): number {
  return 2 * Buffer.byteLength(row.logs) + 128;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
