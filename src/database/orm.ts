import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS } from '../../migrations';

export type OrmSettings = Readonly<{ url: string; poolSize: number }>;

/** MikroORM owns the only connection pool; in embedded mode its size is exactly 1. */
export function ormConfig({ url, poolSize }: OrmSettings) {
  return defineConfig({
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, silent: true },
    pool: { min: poolSize === 1 ? 1 : 0, max: poolSize },
    // An unreachable database must fail a request quickly (→ 503) instead of queueing for a minute.
    driverOptions: { acquireConnectionTimeout: 5000 },
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
