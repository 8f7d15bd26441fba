import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Duplex } from 'node:stream';
import { MIGRATIONS } from '../../migrations';

/** `connect` replaces the TCP socket of every connection (the embedded database is in-process). */
export type OrmSettings = Readonly<{ url: string; poolSize: number; connect?: () => Duplex }>;

/** MikroORM owns the only connection pool; in embedded mode its size is exactly 1. */
export function ormConfig({ url, poolSize, connect }: OrmSettings) {
  return defineConfig({
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, silent: true },
    pool: { min: poolSize === 1 ? 1 : 0, max: poolSize },
    // An unreachable database must fail a request quickly (→ 503) instead of queueing for a minute.
    driverOptions: { acquireConnectionTimeout: 5000, ...(connect ? { connection: { stream: connect } } : {}) },
    allowGlobalContext: true,
    debug: false,
  });
}

export async function openOrm(settings: OrmSettings): Promise<MikroORM> {
  return MikroORM.init(ormConfig(settings));
}

export async function runMigrations(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
