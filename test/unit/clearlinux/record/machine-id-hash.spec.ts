import { createHmac } from 'node:crypto';
import { hashMachineId, MACHINE_ID_HASH_LENGTH } from '../../../../src/sources/clearlinux/record/machine-id-hash';

describe('machine id hash (below the support role)', () => {
  const secret = Buffer.alloc(32, 9);
  const id = '66c196ce4222dd761470da5e7e35f6f1';

  it('is HMAC-SHA256 under the installation secret, truncated to 16 hex characters', () => {
    expect(MACHINE_ID_HASH_LENGTH).toBe(16);
    expect(hashMachineId(secret, id)).toBe(createHmac('sha256', secret).update(id).digest('hex').slice(0, 16));
    expect(hashMachineId(secret, id)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is stable per installation, differs across installations and ids, and never contains the id', () => {
    expect(hashMachineId(secret, id)).toBe(hashMachineId(Buffer.from(secret), id));
    expect(hashMachineId(Buffer.alloc(32, 8), id)).not.toBe(hashMachineId(secret, id));
    expect(hashMachineId(secret, `${id.slice(0, -1)}2`)).not.toBe(hashMachineId(secret, id));
    expect(id).not.toContain(hashMachineId(secret, id));
  });
});
