import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a customer typed into the Fuel settings tab (spec fuelstats.md §7.1); only ever held encrypted outside memory. */
export type CustomerContact = Readonly<{
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  phone?: string;
  job_title?: string;
  country?: string;
  comment?: string;
}>;

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * AES-256-GCM for customer contacts. The ciphertext text is `v1.<key id>.<iv>.<tag>.<data>` (base64url);
 * the key id (first 8 hex of the key's SHA-256) tells a rotated key apart from tampering, and the report
 * uuid is bound as additional data so a ciphertext copied onto another report does not decrypt.
 */
export class ContactCipher {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`contact encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  encrypt(contact: CustomerContact, boundTo: string): string {
    return this.seal(JSON.stringify(contact), boundTo);
  }

  decrypt(sealed: string, boundTo: string): CustomerContact {
    return JSON.parse(this.open(sealed, boundTo)) as CustomerContact;
  }

  /** Other secrets at rest (webhook signing secrets) use the same key. */
  sealSecret(secret: string, boundTo: string): string {
    return this.seal(secret, boundTo);
  }

  openSecret(sealed: string, boundTo: string): string {
    return this.open(sealed, boundTo);
  }

  private seal(text: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  private open(sealed: string, boundTo: string): string {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || data === undefined) throw new ContactDecryptionError('unknown ciphertext format');
    if (keyId !== this.keyId) throw new ContactDecryptionError(`sealed with key ${keyId}, the configured key is ${this.keyId}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new ContactDecryptionError('ciphertext does not authenticate');
    }
  }

  /**
   * CONTACT_ENCRYPTION_KEY (base64 of 32 bytes), or a key generated once into DATA_DIR/contact-key (mode
   * 0600), as the admin token is. Losing that file makes the stored contacts unreadable: back it up, or set
   * the variable (required when several instances share a database).
   */
  static resolve(configured: string | undefined, dataDir: string): { cipher: ContactCipher; generatedAt?: string } {
    if (configured) return { cipher: new ContactCipher(parseKey(configured)) };
    const file = join(dataDir, 'contact-key');
    if (existsSync(file)) return { cipher: new ContactCipher(parseKey(readFileSync(file, 'utf8').trim())), generatedAt: file };
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(KEY_BYTES);
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return { cipher: new ContactCipher(key), generatedAt: file };
  }
}

export class ContactDecryptionError extends Error {}

export function parseKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`CONTACT_ENCRYPTION_KEY must be base64 of ${KEY_BYTES} bytes (e.g. \`openssl rand -base64 32\`)`);
  return key;
}
