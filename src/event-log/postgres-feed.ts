import { EventEmitter } from 'node:events';
import { Database, Queryable } from '../database/database';
import { CheckpointMoved, readCheckpoints } from './checkpoints';
import { TelemetryEvent } from './event';
import { BatchHandler, EventFeed } from './event-feed';
import { consumes, Projector } from './projector';

/** How often a projector that only skips unrelated events persists how far it has read. */
const IDLE_CHECKPOINT_MS = 5000;

export const PostgresFeedSql = {
  /**
   * One statement, so `hi` and the rows come from one snapshot: appends are serialised (advisory lock),
   * hence every position ≤ hi is committed and the checkpoint may jump to hi when the page is short.
   */
  page: `
    WITH hi AS (SELECT coalesce(max(position), 0) AS hi FROM event_log)
    SELECT hi.hi::text AS hi, e.position::text AS position, e.payload::text AS payload
    FROM hi LEFT JOIN LATERAL (
      SELECT position, payload FROM event_log
      WHERE position > $1 AND position <= hi.hi AND ($2::text[] IS NULL OR type = ANY($2::text[]))
      ORDER BY position LIMIT $3
    ) e ON true`,
  head: `SELECT coalesce(max(position), 0)::text AS hi FROM event_log`,
} as const;

export type LogPage = Readonly<{ events: TelemetryEvent[]; position: string; full: boolean }>;

/** Reads the next page of a projector's events after `after`; `position` is where to checkpoint. */
export async function readLogPage(db: Queryable, projector: Projector, after: bigint, limit: number): Promise<LogPage> {
  const types = projector.eventTypes === '*' ? null : [...projector.eventTypes];
  const rows = await db.query<{ hi: string; position: string | null; payload: string | null }>(PostgresFeedSql.page, [
    after.toString(),
    types,
    limit,
  ]);
  const found = rows.filter((r) => r.position !== null);
  const full = found.length === limit;
  const position = full ? found[found.length - 1].position! : rows[0].hi;
  return { events: found.map((r) => JSON.parse(r.payload!) as TelemetryEvent), position: maxPosition(position, after), full };
}

function maxPosition(a: string, b: bigint): string {
  return BigInt(a) > b ? a : b.toString();
}

/**
 * The log's highest position. Callers of one tick share one query (a /metrics scrape asks for every
 * projector's lag at once), issued after all of them asked, so nobody gets a head older than its call.
 */
export class LogHead {
  private next: Promise<bigint> | undefined;

  constructor(private readonly db: Queryable) {}

  read(): Promise<bigint> {
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.next = undefined;
      const [{ hi }] = await this.db.query<{ hi: string }>(PostgresFeedSql.head);
      return BigInt(hi);
    });
    return this.next;
  }
}

/**
 * Feed over the `event_log` table. It reads only when told to: by an append of a type it consumes (this
 * process's own, or another's heard through LISTEN) or by a head announcement beyond its position (the
 * log's safety poll); between those it costs nothing.
 */
export class PostgresFeed implements EventFeed {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private position = 0n;
  private projector: Projector | undefined;
  /** Set by an append that arrived while we were busy, so the next idle() returns at once. */
  private dirty = false;
  /**
   * Only appends of types this projector reads wake it: with a dozen projectors on one embedded
   * connection, waking all of them on every append cost more than the appends themselves.
   */
  private readonly onAppend = (types: ReadonlySet<string>) => {
    if ([...types].some((type) => consumes(this.projector!, type))) this.readOn();
  };
  private readonly onHead = (head: bigint) => {
    if (head > this.position) this.readOn();
  };

  constructor(
    private readonly db: Database,
    private readonly log: Readonly<{ notifications: EventEmitter; head: LogHead }>,
    private readonly options: Readonly<{ batchSize: number; onError: (err: unknown) => void }>,
  ) {}

  async start(projector: Projector, handle: BatchHandler): Promise<void> {
    this.position = (await readCheckpoints(this.db, projector.name)).get('') ?? 0n;
    this.projector = projector;
    this.running = true;
    this.log.notifications.on('appended', this.onAppend);
    this.log.notifications.on('head', this.onHead);
    this.loop = this.run(projector, handle);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.log.notifications.off('appended', this.onAppend);
    this.log.notifications.off('head', this.onHead);
    this.wake?.();
    await this.loop;
  }

  /**
   * Positions behind the log head. Unrelated appends do not wake this feed, so a projector can sit behind
   * the head with nothing of its own to do; asking for the lag wakes it to read on (catchUp, the lag gauge).
   */
  async lag(): Promise<number> {
    const head = await this.log.head.read();
    this.onHead(head);
    return Math.max(0, Number(head - this.position));
  }

  private readOn(): void {
    this.dirty = true;
    this.wake?.();
  }

  private async run(projector: Projector, handle: BatchHandler): Promise<void> {
    let failures = 0;
    let checkpointedAt = Date.now();
    while (this.running) {
      try {
        this.dirty = false;
        const page = await readLogPage(this.db, projector, this.position, this.options.batchSize);
        // Pages without events of ours only move the read position; it is persisted now and then
        // (re-reading unrelated positions after a restart is cheap and changes nothing).
        const persist = page.events.length > 0 || Date.now() - checkpointedAt >= IDLE_CHECKPOINT_MS;
        if (BigInt(page.position) > this.position) {
          if (persist) {
            await handle({ events: page.events, partition: '', position: page.position, after: this.position.toString() });
            checkpointedAt = Date.now();
          }
          this.position = BigInt(page.position);
        }
        failures = 0;
        if (!page.full) await this.idle();
      } catch (err) {
        if (err instanceof CheckpointMoved) {
          this.position = err.position;
          continue;
        }
        failures += 1;
        this.options.onError(err);
        await this.idle(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
  }

  /** Until woken, or at most `ms` (the back-off after a failure). */
  private idle(ms?: number): Promise<void> {
    if (this.dirty || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
