import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { DirectorySchemas } from '../common/directory-schemas';
import { Conflict, InvalidInput, NotFound } from '../common/errors';
import { AccountsRepository, ApiTokenRow, UserRow } from './accounts.repository';
import { Authenticator } from './authenticator';
import { hashPassword } from './passwords';
import { newSecret, secretHash } from './principal';
import type { Role } from './roles';

export type AuthSchemaId = 'auth/token.v1' | 'auth/user.v1';

/** Every `schemas/auth/*.json` (token and user bodies of the admin API). */
@Injectable()
export class AuthSchemas extends DirectorySchemas<AuthSchemaId> {
  constructor() {
    super('auth');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Creating, listing and revoking API tokens and people's accounts: the admin API and `npm run user` both
 * come here. The CLI has no Authenticator (no cache to empty: it is another process).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly schemas: AuthSchemas,
    @Optional() private readonly authenticator?: Authenticator,
  ) {}

  /** The token value is in this answer only; the database keeps its SHA-256. */
  async createToken(input: unknown): Promise<{ id: string; name: string; role: Role; expires_at: string | null; token: string }> {
    this.schemas.assert('auth/token.v1', input);
    const body = input as { name: string; role: Role; expires_at?: string | null };
    const expiresAt = body.expires_at == null ? null : futureDate(body.expires_at);
    const id = randomUUID();
    const token = newSecret();
    await this.accounts.insertToken({ id, name: body.name, role: body.role, hash: secretHash(token), expiresAt });
    return { id, name: body.name, role: body.role, expires_at: expiresAt?.toISOString() ?? null, token };
  }

  tokens(): Promise<ApiTokenRow[]> {
    return this.accounts.tokens();
  }

  async revokeToken(id: string): Promise<void> {
    const revoked = UUID.test(id) && (await this.accounts.revokeToken(id));
    this.authenticator?.forgetAll();
    if (!revoked) throw new NotFound(`token ${id} not found (or already revoked)`, 'not_found');
  }

  async createUser(input: unknown): Promise<{ id: string; name: string; role: Role }> {
    this.schemas.assert('auth/user.v1', input);
    const body = input as { name: string; role: Role; password: string };
    const id = randomUUID();
    const created = await this.accounts.insertUser({ id, name: body.name, role: body.role, passwordHash: await hashPassword(body.password) });
    if (!created) throw new Conflict(`/name: an account named ${body.name} exists`, 'name_taken');
    return { id, name: body.name, role: body.role };
  }

  users(): Promise<UserRow[]> {
    return this.accounts.users();
  }

  async removeUser(id: string): Promise<void> {
    const removed = UUID.test(id) && (await this.accounts.removeUser(id));
    this.authenticator?.forgetAll();
    if (!removed) throw new NotFound(`user ${id} not found`, 'not_found');
  }
}

function futureDate(text: string): Date {
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at.getTime())) throw new InvalidInput('/expires_at: must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z', 'schema');
  if (at.getTime() <= Date.now()) throw new InvalidInput('/expires_at: must be in the future', 'schema');
  return at;
}
