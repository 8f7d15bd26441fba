import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ContactCipher, ContactDecryptionError } from '../../../../src/sources/fuel/failure-reports/contact-cipher';

const contact = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', company: 'Engines', phone: '+44 1' };

describe('ContactCipher (AES-256-GCM)', () => {
  const cipher = new ContactCipher(randomBytes(32));

  it('round-trips a contact and never shows it in the sealed text', () => {
    const sealed = cipher.encrypt(contact, 'report-1');
    expect(cipher.decrypt(sealed, 'report-1')).toEqual(contact);
    for (const value of Object.values(contact)) expect(sealed).not.toContain(value);
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(contact, 'r')).not.toBe(cipher.encrypt(contact, 'r'));
  });

  it('refuses a ciphertext moved to another report, tampered with, or sealed under another key', () => {
    const sealed = cipher.encrypt(contact, 'report-1');
    expect(() => cipher.decrypt(sealed, 'report-2')).toThrow(ContactDecryptionError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x'.repeat(20)).toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'report-1')).toThrow(ContactDecryptionError);
    expect(() => new ContactCipher(randomBytes(32)).decrypt(sealed, 'report-1')).toThrow(/sealed with key/);
  });

  it('takes CONTACT_ENCRYPTION_KEY, or generates one key file (0600) and reuses it', () => {
    const key = randomBytes(32);
    expect(ContactCipher.resolve(key.toString('base64'), '/nonexistent').cipher.keyId).toBe(new ContactCipher(key).keyId);
    expect(() => ContactCipher.resolve('c2hvcnQ=', '/nonexistent')).toThrow(/32 bytes/);
    const dir = mkdtempSync(join(tmpdir(), 'tp-key-'));
    try {
      const first = ContactCipher.resolve(undefined, dir);
      expect(first.generatedAt).toBe(join(dir, 'contact-key'));
      expect(statSync(join(dir, 'contact-key')).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(join(dir, 'contact-key'), 'utf8').trim(), 'base64')).toHaveLength(32);
      const second = ContactCipher.resolve(undefined, dir);
      expect(second.cipher.decrypt(first.cipher.encrypt(contact, 'r'), 'r')).toEqual(contact);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
