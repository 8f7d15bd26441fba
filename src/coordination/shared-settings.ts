import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Queryable } from '../database/database';

export const SharedSettingsSql = {
  /** The first instance's proof wins (a concurrent first start waits on the primary key, then reads it). */
  claim: `INSERT INTO shared_settings (name, proof) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
  read: `SELECT proof FROM shared_settings WHERE name = $1`,
} as const;

/**
 * A setting instances sharing a database must agree on. `prove` makes a proof from this instance's secret
 * (stored by the first instance; it must not reveal the secret), `verify` checks a stored one against it.
 */
export type SharedSetting = Readonly<{
  name: string;
  /** Shown on a mismatch: which variable to align, and what resetting would mean. */
  variable: string;
  prove: () => string;
  verify: (proof: string) => boolean;
}>;

export class SharedSettingMismatch extends Error {
  constructor(setting: SharedSetting) {
    super(
      `${setting.variable} differs from the one the other instances sharing this database use: set the same value on every instance ` +
        `(after changing it on all of them on purpose, DELETE FROM shared_settings WHERE name = '${setting.name}' once)`,
    );
    this.name = 'SharedSettingMismatch';
  }
}

/** Stores each setting's proof if the database has none yet, else checks ours against it; throws on a mismatch. */
export async function checkSharedSettings(db: Queryable, settings: readonly SharedSetting[]): Promise<void> {
  for (const setting of settings) {
    await db.query(SharedSettingsSql.claim, [setting.name, setting.prove()]);
    const [{ proof }] = await db.query<{ proof: string }>(SharedSettingsSql.read, [setting.name]);
    if (!setting.verify(proof)) throw new SharedSettingMismatch(setting);
  }
}

/**
 * A keyed hash: HMAC-SHA256 keyed by the secret over a random salt stored beside it (`<salt>.<mac>`).
 * Without the secret it cannot be recomputed, so it neither reveals nor lets anyone test guesses cheaply
 * across databases (the salt differs).
 */
export function keyedFingerprint(name: string, variable: string, secret: string | Buffer): SharedSetting {
  const mac = (salt: string) => createHmac('sha256', secret).update(`telemetry-platform shared setting ${name} ${salt}`).digest('base64url');
  return {
    name,
    variable,
    prove: () => {
      const salt = randomBytes(16).toString('base64url');
      return `${salt}.${mac(salt)}`;
    },
    verify: (proof) => {
      const [salt, stored] = proof.split('.');
      if (!salt || !stored) return false;
      const a = Buffer.from(stored);
      const b = Buffer.from(mac(salt));
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

const CANARY = 'telemetry-platform shared setting: contact encryption key';

/**
 * The contact key as a sealed canary: AES-256-GCM under the key itself (whose id every stored contact
 * already shows), so only an instance holding the same key opens it. The cipher is passed in, not its key.
 */
export function sealedCanary(name: string, variable: string, cipher: { sealSecret(s: string, boundTo: string): string; openSecret(s: string, boundTo: string): string }): SharedSetting {
  return {
    name,
    variable,
    prove: () => cipher.sealSecret(CANARY, name),
    verify: (proof) => {
      try {
        return cipher.openSecret(proof, name) === CANARY;
      } catch {
        return false;
      }
    },
  };
}
