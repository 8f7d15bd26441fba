import { randomBytes } from 'node:crypto';
import type { Queryable } from '../database/database';

export const InstallationSecretsSql = {
  /** The first instance's random value wins (a concurrent first start waits on the primary key, then reads it). */
  claim: `INSERT INTO installation_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
  read: `SELECT secret FROM installation_secrets WHERE name = $1`,
} as const;

/**
 * This installation's secret `name` (32 random bytes, made on first use and kept in the database, so every
 * instance sharing it agrees without configuration).
 */
export async function installationSecret(db: Queryable, name: string): Promise<Buffer> {
  await db.query(InstallationSecretsSql.claim, [name, randomBytes(32)]);
  const [row] = await db.query<{ secret: Buffer | Uint8Array }>(InstallationSecretsSql.read, [name]);
  return Buffer.from(row.secret);
}
