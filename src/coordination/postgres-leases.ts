import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { LeaseBook, StartWork } from './leases';
import { planLeases } from './lease-balance';

/** First key of every lease's advisory lock (the second is a hash of the lease name); the event log's own append lock is a one-key lock. */
export const LEASE_LOCK_CLASS = 0x54504c53 & 0x7fffffff; // "TPLS"
/** How the lease session shows up in pg_stat_activity; live instances are counted by this prefix. */
export const LEASE_APPLICATION_PREFIX = 'telemetry-platform leases ';
/** Wakes every instance's lease look at once: one joined, gave leases up, or stopped. */
export const LEASES_CHANNEL = 'telemetry_leases';

export const LeaseSql = {
  /** Everything one look needs, in one statement over two in-memory views (no table, no WAL, no lock wait). */
  look: `
    SELECT pg_backend_pid() AS me,
      coalesce((SELECT json_agg(a.pid) FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.application_name LIKE ($2 || '%')), '[]') AS instances,
      coalesce((SELECT json_agg(json_build_object('key', l.objid::bigint, 'pid', l.pid)) FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = $1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())), '[]') AS held`,
  acquire: `SELECT k AS key, pg_try_advisory_lock($1::int, k) AS got FROM unnest($2::int[]) AS k`,
  release: `SELECT pg_advisory_unlock($1::int, k) FROM unnest($2::int[]) AS k`,
  notify: `SELECT pg_notify('${LEASES_CHANNEL}', $1)`,
} as const;

/** The second advisory-lock key of a lease: 31 bits of the name's SHA-256 (a positive int4, so pg_locks' oid reads back the same). */
export function leaseKey(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fffffff;
}

export type PostgresLeasesOptions = Readonly<{
  /** How often an instance looks for leases to take (a dead holder's) or to give up (balancing). */
  checkMs: number;
  onError: (lease: string, err: unknown) => void;
  /** Counts every statement of the lease session (`telemetry_lease_statements_total`). */
  onStatement?: () => void;
}>;

/**
 * Leases as session-level advisory locks (`pg_try_advisory_lock`) held on one dedicated connection per
 * instance, outside the pool.
 *
 * Why advisory locks rather than a lease row with heartbeat and expiry: the server frees them the moment
 * the session ends, so a kill -9 (the kernel closes the socket) or a stop hands a lease over without
 * waiting for an expiry, and nothing has to be written to keep one: holding costs no statement at all.
 * A row with an expiry would need a write (WAL) per heartbeat and a takeover only after the expiry.
 * The price: a transaction-pooling proxy (PgBouncer in transaction mode) between us and the server would
 * break them; DATABASE_URL must reach PostgreSQL directly or through session pooling.
 *
 * Cost: one look every LEASE_CHECK_MS (default 5 s) per instance, one statement that reads only the
 * in-memory views pg_locks and pg_stat_activity; a try-lock/unlock statement only when something changes.
 * That is 0.2 statements/s per instance while idle, and the look is how a dead instance's leases are
 * found (its locks vanished): a takeover after kill -9 takes at most one LEASE_CHECK_MS plus the start of
 * the work. A clean stop, a give-up and a new instance NOTIFY the others, who look at once.
 *
 * Losing the session (server restart, network) loses every lock: all work stops at once and the session
 * is re-opened with back-off. Work still committing when its lease moved is harmless for projectors: each
 * batch re-checks the checkpoint row under a row lock (ProjectorRuntime), so nothing is applied twice.
 */
export class PostgresLeases extends LeaseBook {
  private readonly logger = new Logger('leases');
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> = Promise.resolve();
  private again = false;
  private stopped = true;
  private failures = 0;
  private freeBefore = new Set<string>();
  private readonly keys = new Map<number, string>();
  private readonly applicationName = `${LEASE_APPLICATION_PREFIX}${hostname().slice(0, 24)}:${process.pid}`;

  constructor(
    private readonly url: string,
    private readonly options: PostgresLeasesOptions,
  ) {
    super(options.onError);
  }

  get running(): boolean {
    return !this.stopped;
  }

  runWhileHeld(name: string, start: StartWork): void {
    const key = leaseKey(name);
    const clash = this.keys.get(key);
    if (clash !== undefined) throw new Error(`leases ${clash} and ${name} hash to the same lock key; rename one`);
    this.register(name, start);
    this.keys.set(key, name);
    if (!this.stopped) this.lookSoon();
  }

  /** Connects and takes this instance's first share before resolving (so start-up ends with work running). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    if (this.client) await this.look();
  }

  async withdraw(names: readonly string[]): Promise<void> {
    const mine = names.filter((n) => this.held.has(n));
    await Promise.all(names.map((name) => this.end(name)));
    for (const name of names) {
      this.works.delete(name);
      this.keys.delete(leaseKey(name));
    }
    await this.unlock(mine);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.looking;
    await this.withdraw([...this.works.keys()]);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      // A look unanswered this long means the session is gone (a silent network loss): drop it and its work.
      query_timeout: Math.max(10_000, this.options.checkMs * 2),
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n: Notification) => {
      if (n.channel === LEASES_CHANNEL && n.payload !== this.applicationName) this.lookSoon();
    });
    this.client = client;
    try {
      await client.connect();
      // The server notices a silently vanished client (no FIN: power loss, partition) within ~25 s instead
      // of the kernel default of hours, so its locks do not outlive it.
      await client.query(`SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`);
      await client.query(`LISTEN ${LEASES_CHANNEL}`);
      this.options.onStatement?.();
      await this.notify();
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.failures > 0) this.logger.log('lease session reconnected');
    this.failures = 0;
  }

  private lookSoon(): void {
    if (this.stopped) return;
    this.again = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.look(), 0);
    this.timer.unref();
  }

  /** One look at a time; a request while one runs runs one more right after. */
  private look(): Promise<void> {
    this.looking = this.looking.then(async () => {
      do {
        this.again = false;
        await this.lookOnce().catch((err: Error) => this.logger.warn(`lease check failed: ${err.message}`));
      } while (this.again && !this.stopped);
      if (!this.stopped && this.client) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.look(), this.options.checkMs);
        this.timer.unref();
      }
    });
    return this.looking;
  }

  private async lookOnce(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    const [row] = (await this.query(client, LeaseSql.look, [LEASE_LOCK_CLASS, LEASE_APPLICATION_PREFIX])).rows as {
      me: number;
      instances: number[];
      held: { key: number; pid: number }[];
    }[];
    const holders = new Map<string, number>();
    for (const { key, pid } of row.held) {
      const name = this.keys.get(Number(key));
      if (name !== undefined) holders.set(name, pid);
    }
    // What the server says we hold is the truth: a lock we think we hold but do not (cannot happen while
    // the session lives, but cheap to respect) stops its work.
    for (const name of [...this.held]) if (holders.get(name) !== row.me) await this.end(name);
    const wanted = [...this.works.keys()];
    const plan = planLeases({ wanted, holders, instances: row.instances, me: row.me, freeBefore: this.freeBefore }, shuffle);
    this.freeBefore = new Set(wanted.filter((n) => !holders.has(n)));

    const taken: string[] = [];
    if (plan.acquire.length > 0) {
      const got = (await this.query(client, LeaseSql.acquire, [LEASE_LOCK_CLASS, plan.acquire.map(leaseKey)])).rows as { key: number; got: boolean }[];
      for (const g of got) if (g.got) taken.push(this.keys.get(g.key)!);
      await Promise.all(taken.map((name) => this.begin(name)));
    }
    if (plan.release.length > 0) {
      await Promise.all(plan.release.map((name) => this.end(name)));
      await this.unlock(plan.release);
    }
    if (taken.length > 0 || plan.release.length > 0) {
      const parts = [taken.length > 0 ? `took ${taken.sort().join(', ')}` : '', plan.release.length > 0 ? `gave up ${plan.release.join(', ')}` : ''];
      this.logger.log(`leases: ${parts.filter(Boolean).join('; ')} (holding ${this.held.size} of ${wanted.length}, ${new Set(row.instances).size} instance(s))`);
    }
  }

  private async unlock(names: readonly string[]): Promise<void> {
    const client = this.client;
    if (!client || names.length === 0) return;
    try {
      await this.query(client, LeaseSql.release, [LEASE_LOCK_CLASS, names.map(leaseKey)]);
      await this.notify();
    } catch (err) {
      this.logger.warn(`could not give up leases ${names.join(', ')}: ${(err as Error).message}`);
    }
  }

  private async notify(): Promise<void> {
    if (this.client) await this.query(this.client, LeaseSql.notify, [this.applicationName]);
  }

  private query(client: Client, sql: string, params: unknown[]) {
    this.options.onStatement?.();
    return client.query(sql, params);
  }

  /** The session (and with it every lock) is gone: stop all work now, then reconnect with back-off. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    const held = [...this.held];
    void Promise.all(held.map((name) => this.end(name)));
    if (this.stopped) return;
    const delayMs = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
    this.failures += 1;
    this.logger.warn(`lease session lost (${err?.message ?? 'closed by the server'}); stopped ${held.length} lease(s), reconnecting in ${delayMs} ms`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect().then(() => this.client && this.look()), delayMs);
    this.timer.unref();
  }
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
