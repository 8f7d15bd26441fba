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
