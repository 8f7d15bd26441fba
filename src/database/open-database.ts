import { AppConfig } from '../config/app-config';
import { DatabaseCapabilities, detectCapabilities } from './capabilities';
import { Database } from './database';
import { EmbeddedServer, startEmbeddedServer } from './embedded-server';
import { openOrm, runMigrations } from './orm';

export type OpenDatabase = Readonly<{
  db: Database;
  capabilities: DatabaseCapabilities;
  appliedMigrations: readonly string[];
  close: () => Promise<void>;
}>;

/**
 * Connects to DATABASE_URL, or starts the embedded TimescaleDB when it is unset; runs migrations; detects
 * what the server can do. Used by the app, the CLI and the tests, so all three see the same database.
 */
export async function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>): Promise<OpenDatabase> {
  let embedded: EmbeddedServer | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedServer(config.dataDir);
  try {
    const orm = await openOrm({ url: embedded?.url ?? config.databaseUrl!, poolSize: embedded ? 1 : config.dbPoolSize });
    const db = new Database(orm);
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
