import { Queryable } from '../database/database';

export const CheckpointSql = {
  read: `SELECT partition, position::text AS position FROM projector_checkpoints WHERE projector = $1`,
  write: `
    INSERT INTO projector_checkpoints (projector, partition, position, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (projector, partition) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
  reset: `DELETE FROM projector_checkpoints WHERE projector = $1 AND partition = ANY($2::text[])`,
  /** The row lock makes a second applier of the same partition (a lease or partition that just moved) wait for this commit. */
  lock: `SELECT position::text AS position FROM projector_checkpoints WHERE projector = $1 AND partition = $2 FOR UPDATE`,
  claim: `
    INSERT INTO projector_checkpoints (projector, partition, position, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (projector, partition) DO NOTHING RETURNING position::text AS position`,
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

/**
 * The committed checkpoint is past where this batch starts: another instance applied those events (it
 * held the lease or the partition before us, or still did a moment ago). The feed resumes from `position`.
 */
export class CheckpointMoved extends Error {
  constructor(
    readonly partition: string,
    readonly position: bigint,
    expected: string,
  ) {
    super(`checkpoint of ${partition || 'the log'} is at ${position}, past ${expected}: applied elsewhere, resuming from there`);
  }
}

/**
 * Inside the batch's transaction: locks the checkpoint row and fails with CheckpointMoved when it is past
 * `after` (where the batch starts). One statement per batch; on the first batch of a partition a
 * concurrent first insert is waited for by the unique index, then read like any other.
 */
export async function lockCheckpoint(tx: Queryable, projector: string, partition: string, after: string): Promise<void> {
  let rows = await tx.query<{ position: string }>(CheckpointSql.lock, [projector, partition]);
  if (rows.length === 0) {
    rows = await tx.query<{ position: string }>(CheckpointSql.claim, [projector, partition, after]);
    if (rows.length === 0) rows = await tx.query<{ position: string }>(CheckpointSql.lock, [projector, partition]);
  }
  const stored = BigInt(rows[0].position);
  if (stored > BigInt(after)) throw new CheckpointMoved(partition, stored, after);
}
