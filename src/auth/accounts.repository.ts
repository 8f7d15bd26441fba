import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import type { Role } from './roles';

export type ApiTokenRow = Readonly<{
  id: string;
  name: string;
  role: Role;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}>;

export type UserRow = Readonly<{ id: string; name: string; role: Role; created_at: string; removed_at: string | null }>;

export type SessionSubject = Readonly<{ kind: 'bootstrap' | 'token' | 'user'; id: string; name: string; role: Role }>;

const TOKEN_COLUMNS = `id, name, role, created_at, expires_at, revoked_at, last_used_at`;
const USER_COLUMNS = `id, name, role, created_at, removed_at`;

/** API tokens, people and console sessions (tables of migrations/Migration20261204180000_accounts). */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: Database) {}

  async insertToken(token: { id: string; name: string; role: Role; hash: Buffer; expiresAt: Date | null }): Promise<void> {
    await this.db.query(`INSERT INTO api_tokens (id, name, role, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`, [token.id, token.name, token.role, token.hash, token.expiresAt]);
  }

  tokens(): Promise<ApiTokenRow[]> {
    return this.db.query<ApiTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, id`);
  }

  /** A token that is neither revoked nor expired, by the hash of its value; records that it was used. */
  async activeTokenByHash(hash: Buffer): Promise<ApiTokenRow | undefined> {
    const [row] = await this.db.query<ApiTokenRow>(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        RETURNING ${TOKEN_COLUMNS}`,
      [hash],
    );
    return row;
  }

  /** Revokes the token and every session opened with it; false when there is no such current token. */
  async revokeToken(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id]);
      await tx.query(`UPDATE sessions SET revoked_at = now() WHERE subject_kind = 'token' AND subject_id = $1 AND revoked_at IS NULL`, [id]);
      return rows.length > 0;
    });
  }

  /** false when a current account already has the name. */
  async insertUser(user: { id: string; name: string; role: Role; passwordHash: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO users (id, name, role, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) WHERE removed_at IS NULL DO NOTHING RETURNING id`,
      [user.id, user.name, user.role, user.passwordHash],
    );
    return rows.length > 0;
  }

  users(): Promise<UserRow[]> {
    return this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE removed_at IS NULL ORDER BY name`);
  }

  async currentUserByName(name: string): Promise<(UserRow & { password_hash: string }) | undefined> {
    const [row] = await this.db.query<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE name = $1 AND removed_at IS NULL`, [name]);
    return row;
  }

  /** Removes the account (the row stays for the names in past records) and ends its sessions. */
  async removeUser(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`UPDATE users SET removed_at = now() WHERE id = $1 AND removed_at IS NULL RETURNING id`, [id]);
      await tx.query(`UPDATE sessions SET revoked_at = now() WHERE subject_kind = 'user' AND subject_id = $1 AND revoked_at IS NULL`, [id]);
      return rows.length > 0;
    });
  }

  async insertSession(session: { idHash: Buffer; subject: SessionSubject; expiresAt: Date }): Promise<void> {
    await this.db.query(`INSERT INTO sessions (id_hash, subject_kind, subject_id, role, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      session.idHash,
      session.subject.kind,
      session.subject.id,
      session.subject.role,
      session.expiresAt,
    ]);
  }

  /**
   * The subject of a session that is neither revoked nor expired, and whose account or token is still
   * current (removal revokes the sessions too; this also covers a token that expired meanwhile).
   */
  async activeSession(idHash: Buffer): Promise<SessionSubject | undefined> {
    const [row] = await this.db.query<SessionSubject>(
      `SELECT s.subject_kind AS kind, s.subject_id AS id, s.role, COALESCE(u.name, t.name, 'bootstrap admin') AS name
         FROM sessions s
         LEFT JOIN users u ON s.subject_kind = 'user' AND u.id::text = s.subject_id
         LEFT JOIN api_tokens t ON s.subject_kind = 'token' AND t.id::text = s.subject_id
        WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND (s.subject_kind = 'bootstrap'
               OR (s.subject_kind = 'user' AND u.removed_at IS NULL AND u.id IS NOT NULL)
               OR (s.subject_kind = 'token' AND t.revoked_at IS NULL AND t.id IS NOT NULL AND (t.expires_at IS NULL OR t.expires_at > now())))`,
      [idHash],
    );
    return row;
  }

  async revokeSession(idHash: Buffer): Promise<void> {
    await this.db.query(`UPDATE sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL`, [idHash]);
  }
}
