import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/env-readers';

/**
 * The bootstrap credential (role admin, beside people's accounts and API tokens): ADMIN_TOKEN, or a random
 * token generated once into DATA_DIR/admin-token (mode 0600) so a fresh `npm start` is never open to the network.
 */
/** The same floor as ADMIN_TOKEN's (config). */
export const MIN_TOKEN_LENGTH = 16;

export class AdminToken {
  private constructor(private readonly token: string) {}

  static resolve(configured: string | undefined, dataDir: string): { token: AdminToken; generatedAt?: string } {
    if (configured) return { token: new AdminToken(configured) };
    const file = join(dataDir, 'admin-token');
    if (existsSync(file)) {
      const kept = readFileSync(file, 'utf8').trim();
      // An empty or short token is guessable, and so is the session cookie derived from it.
      if (kept.length < MIN_TOKEN_LENGTH) {
        throw new ConfigError(`${file} holds a token shorter than ${MIN_TOKEN_LENGTH} characters: delete the file to have a new one generated, or set ADMIN_TOKEN`);
      }
      return { token: new AdminToken(kept), generatedAt: file };
    }
    mkdirSync(dataDir, { recursive: true });
    const token = randomBytes(24).toString('base64url');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return { token: new AdminToken(token), generatedAt: file };
  }

  static of(token: string): AdminToken {
    return new AdminToken(token);
  }

  matches(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * A MAC of the token: what instances sharing a database compare (shared_settings), never the token.
   * (It was once the session cookie; sessions are now random ids, see Authenticator.)
   */
  sessionValue(): string {
    return createHmac('sha256', this.token).update('console-session-v1').digest('base64url');
  }
}
