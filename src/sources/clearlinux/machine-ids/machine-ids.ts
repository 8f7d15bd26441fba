import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { roleAtLeast } from '../../../auth/roles';
import { installationSecret } from '../../../coordination/installation-secrets';
import { Database } from '../../../database/database';
import { hashMachineId } from '../record/machine-id-hash';

/** Raw machine ids identify machines: the support role and above see them, every other reader their hashes. */
export function showsRawMachineIds(request: FastifyRequest): boolean {
  return request.principal !== undefined && roleAtLeast(request.principal.role, 'support');
}

/**
 * The one place that decides how a machine id is shown: raw for support and above, hashed below
 * (hashMachineId). The caller says which with `showRawMachineIds` (showsRawMachineIds of the request).
 */
@Injectable()
export class MachineIds implements OnModuleInit {
  private secret: Buffer | undefined;

  constructor(private readonly db: Database) {}

  async onModuleInit(): Promise<void> {
    this.secret = await installationSecret(this.db, 'machine-id-hmac');
  }

  /** How machine ids are shown to a reader; `showRawMachineIds` is true only for support and above. */
  shownAs(showRawMachineIds: boolean): (machineId: string) => string {
    if (showRawMachineIds) return (id) => id;
    const secret = this.secret;
    if (!secret) throw new Error('machine-id secret not loaded yet');
    return (id) => hashMachineId(secret, id);
  }
}

@Module({ providers: [MachineIds], exports: [MachineIds] })
export class MachineIdsModule {}
