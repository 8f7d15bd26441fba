import { hashPassword, verifyPassword } from '../../../src/auth/passwords';
import { roleAtLeast, ROLES } from '../../../src/auth/roles';

describe('password hashes', () => {
  it('are self-describing scrypt strings with a salt of their own, checked against their own parameters', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$N=32768,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
    // A hash made with a lower cost (an older setting) still verifies: the parameters travel with it.
    const [, , salt] = a.split('$');
    const cheap = await new Promise<Buffer>((resolve, reject) =>
      require('node:crypto').scrypt('old password 123', Buffer.from(salt!, 'base64url'), 32, { N: 1024, r: 8, p: 1 }, (err: Error | null, key: Buffer) => (err ? reject(err) : resolve(key))),
    );
    expect(await verifyPassword('old password 123', `scrypt$N=1024,r=8,p=1$${salt}$${cheap.toString('base64url')}`)).toBe(true);
  });

  it('refuses anything that is not such a string', async () => {
    for (const stored of ['', 'plain', 'scrypt$N=1024$x$y', 'bcrypt$2b$10$abcdefghijklmnopqrstuv']) expect(await verifyPassword('plain', stored)).toBe(false);
  });
});

describe('roles', () => {
  it('are ordered viewer < analyst < support < admin', () => {
    expect(ROLES).toEqual(['viewer', 'analyst', 'support', 'admin']);
    expect(roleAtLeast('admin', 'viewer')).toBe(true);
    expect(roleAtLeast('support', 'support')).toBe(true);
    expect(roleAtLeast('analyst', 'support')).toBe(false);
    expect(roleAtLeast('viewer', 'analyst')).toBe(false);
  });
});
