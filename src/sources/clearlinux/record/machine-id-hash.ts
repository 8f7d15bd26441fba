import { createHmac } from 'node:crypto';

/** Hex characters kept of the HMAC: 64 bits, enough to tell the machines of one table apart. */
export const MACHINE_ID_HASH_LENGTH = 16;

/**
 * A machine id as roles below support see it (pure): HMAC-SHA256 under this installation's secret,
 * truncated. Stable within an installation (the same machine is the same row in the MCE table and in
 * records.csv, and can be matched across exports), but not linkable to the client's id or across installations.
 */
export function hashMachineId(secret: Buffer, machineId: string): string {
  return createHmac('sha256', secret).update(machineId, 'utf8').digest('hex').slice(0, MACHINE_ID_HASH_LENGTH);
}
