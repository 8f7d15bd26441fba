import { hashMachineId } from '../../src/sources/clearlinux/record/machine-id-hash';
import type { TestApp } from './app';

/** How the app shows machine ids below the support role: hashed under the installation's secret, read from its database. */
export async function hashedMachineIds(t: TestApp): Promise<(raw: string) => string> {
  const [row] = await t.db.query<{ secret: Uint8Array }>(`SELECT secret FROM installation_secrets WHERE name = 'machine-id-hmac'`);
  const secret = Buffer.from(row.secret);
  return (raw) => hashMachineId(secret, raw);
}
