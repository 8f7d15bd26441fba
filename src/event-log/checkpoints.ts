import { Queryable } from '../database/database';

export const CheckpointSql = {
  read: `SELECT partition, position::text AS position FROM projector_checkpoints WHERE projector = $1`,
  write: `
    INSERT INTO projector_checkpoints (projector, partition, position, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (projector, partition) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
  reset: `DELETE FROM projector_checkpoints WHERE projector = $1 AND partition = ANY($2::text[])`,
} as const;

/** Position is a bigint carried as a decimal string (pg returns int8 as text; offsets exceed 2^53 in theory). */
export type Checkpoint = Readonly<{ partition: string; position: string }>;

export async function readCheckpoints(db: Queryable, projector: string): Promise<Map<string, bigint>> {
  const rows = await db.query<Checkpoint>(CheckpointSql.read, [projector]);
  return new Map(rows.map((r) => [r.partition, BigInt(r.position)]));
}

export async function writeCheckpoint(tx: Queryable, projector: string, checkpoint: Checkpoint): Promise<void> {
  await tx.query(CheckpointSql.write, [projector, checkpoint.partition, checkpoint.position]);
}

export const ProjectorVersionSql = {
  read: `SELECT projector, version FROM projector_versions`,
  write: `
    INSERT INTO projector_versions (projector, version, updated_at) VALUES ($1, $2, now())
    ON CONFLICT (projector) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
} as const;

/** The version each projector's rows were written by (absent: the projector has not started here yet). */
export async function readProjectorVersions(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.query<{ projector: string; version: number }>(ProjectorVersionSql.read);
  return new Map(rows.map((r) => [r.projector, r.version]));
}

export async function writeProjectorVersion(db: Queryable, projector: string, version: number): Promise<void> {
  await db.query(ProjectorVersionSql.write, [projector, version]);
}
