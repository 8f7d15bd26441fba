import { Migration } from '@mikro-orm/migrations';

/**
 * Who may sign in: people (name + password) and API tokens, each with a role, and the console sessions they
 * open. Only hashes are stored: a token's or a session id's SHA-256 (they are random, 32 bytes), a password's
 * scrypt hash with its own salt. Rows are never deleted, so "acknowledged by" names stay resolvable.
 */
export class Migration20261204180000Accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE api_tokens (
        id           uuid        PRIMARY KEY,
        name         text        NOT NULL,
        role         text        NOT NULL CHECK (role IN ('viewer', 'analyst', 'support', 'admin')),
        token_hash   bytea       NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz,
        revoked_at   timestamptz,
        last_used_at timestamptz
      );`);
    this.addSql(`
      CREATE TABLE users (
        id            uuid        PRIMARY KEY,
        name          text        NOT NULL,
        role          text        NOT NULL CHECK (role IN ('viewer', 'analyst', 'support', 'admin')),
        password_hash text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        removed_at    timestamptz
      );`);
    // A removed person's name may be given to a new account; two current accounts never share one.
    this.addSql(`CREATE UNIQUE INDEX users_current_name ON users (name) WHERE removed_at IS NULL;`);
    this.addSql(`
      CREATE TABLE sessions (
        id_hash      bytea       PRIMARY KEY,
        subject_kind text        NOT NULL CHECK (subject_kind IN ('user', 'token', 'bootstrap')),
        subject_id   text        NOT NULL,
        role         text        NOT NULL CHECK (role IN ('viewer', 'analyst', 'support', 'admin')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        revoked_at   timestamptz
      );`);
    this.addSql(`CREATE INDEX sessions_subject ON sessions (subject_kind, subject_id) WHERE revoked_at IS NULL;`);
  }
}
