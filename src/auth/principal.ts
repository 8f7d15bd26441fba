import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles';

/**
 * Who a request acts as: the bootstrap admin (ADMIN_TOKEN or DATA_DIR/admin-token), an API token or a person.
 * `name` is what records of their actions show (e.g. who acknowledged a failure report).
 */
export type Principal = Readonly<{ kind: 'bootstrap' | 'token' | 'user'; id: string; name: string; role: Role }>;

export const BOOTSTRAP_PRINCIPAL: Principal = { kind: 'bootstrap', id: 'bootstrap', name: 'bootstrap admin', role: 'admin' };

/** How records of an action name who did it: a person by name, a token by name and kind, the bootstrap admin as such. */
export function actingName(principal: Principal): string {
  return principal.kind === 'token' ? `${principal.name} (token)` : principal.name;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access guard on every route that needs a credential. */
    principal?: Principal;
  }
}

/** API tokens and session ids: 32 random bytes, base64url; only their SHA-256 is stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
