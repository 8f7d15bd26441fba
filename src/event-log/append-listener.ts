import { Logger } from '@nestjs/common';
import { Client, Notification } from 'pg';

/** NOTIFY channel of event_log appends; the payload is `<origin> <event type>` (see EventLogSql.appendAndNotify). */
export const APPENDED_CHANNEL = 'event_log_appended';
/** How the listener's connection shows up in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'telemetry-platform event-log listener';

export type AppendListenerHandlers = Readonly<{
  /** Another process committed events of these types. */
  appended: (types: ReadonlySet<string>) => void;
  /** LISTEN is (again) in effect; notifications sent while it was not were lost. */
  listening: () => void;
}>;

/**
 * One dedicated connection per process (outside the pool: a pooled connection would be handed to other
 * work and a LISTEN must stay put) that listens for appends committed by other processes sharing the
 * database. A dropped connection is re-opened with back-off. Appends of this process (`origin`) are
 * skipped: they already woke the feeds in-process.
 */
export class AppendListener {
  private readonly logger = new Logger('event-log');
  private client: Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly url: string,
    private readonly origin: string,
    private readonly handlers: AppendListenerHandlers,
  ) {}

  /** Resolves once listening or once the first attempt failed (then it keeps retrying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    this.client = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => this.onNotification(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.client !== client) return; // stopped meanwhile
    if (this.failures > 0) this.logger.log('event log listener reconnected');
    this.failures = 0;
    this.handlers.listening();
  }

  private onNotification(n: Notification): void {
    if (n.channel !== APPENDED_CHANNEL || !n.payload) return;
    const space = n.payload.indexOf(' ');
    if (space < 0 || n.payload.slice(0, space) === this.origin) return;
    this.handlers.appended(new Set([n.payload.slice(space + 1)]));
  }

  /** 'error' and 'end' both arrive for one loss (and a failed connect adds its own rejection): act once. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delayMs = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
    this.failures += 1;
    this.logger.warn(`event log listener lost its connection (${err?.message ?? 'closed by the server'}); reconnecting in ${delayMs} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
    this.retryTimer.unref();
  }
}
