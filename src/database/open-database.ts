import { AppConfig } from '../config/app-config';
import { DatabaseCapabilities, detectCapabilities } from './capabilities';
import { Database } from './database';
import { EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database';
import { openOrm, runMigrations } from './orm';

export type OpenDatabase = Readonly<{
  db: Database;
  capabilities: DatabaseCapabilities;
  appliedMigrations: readonly string[];
  close: () => Promise<void>;
}>;

/** Names the embedded database's user and database for `pg`; host and port are never dialled. */
const EMBEDDED_URL = 'postgres://postgres@embedded/postgres';
/**
 * The embedded database has one connection and no server-side statement_timeout: a statement unanswered
 * this long means the connection is lost, and it is replaced (callers waiting for durability got their 503
 * after APPEND_TIMEOUT_MS already). Long enough for the slowest legitimate work (a rollup refresh).
 * Exported for the soak test, which holds every request to this bound.
 */
export const EMBEDDED_STATEMENT_WATCHDOG_MS = 30_000;

/**
 * Connects to DATABASE_URL, or starts the embedded TimescaleDB when it is unset; runs migrations; detects
 * what the server can do. Used by the app, the CLI and the tests, so all three see the same database.
 */
export async function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedDatabase(config.dataDir);
  try {
    const orm = await openOrm(
      embedded
        ? { url: EMBEDDED_URL, poolSize: 1, connect: embedded.connect }
        : { url: config.databaseUrl!, poolSize: config.dbPoolSize },
    );
    const db = new Database(orm, embedded ? { statementWatchdogMs: EMBEDDED_STATEMENT_WATCHDOG_MS } : {});
    const appliedMigrations = await runMigrations(orm);
    const capabilities = await detectCapabilities(db, embedded ? 'embedded' : 'external');
    return {
      db,
      capabilities,
      appliedMigrations,
      close: async () => {
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}
