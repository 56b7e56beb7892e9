// Unit tests for scrypt password hashing: hash format, right and wrong passwords, malformed stored strings.
import { scryptSync } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../src/auth/password';

const FORMAT = /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/;

/** A stored string built independently of hashPassword, with the given parameters. */
function stored(password: string, salt: Buffer, N: number, r: number, p: number, len = 32): string {
  const key = scryptSync(password, salt, len, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

describe('hashPassword', () => {
  it('writes scrypt$N$r$p$salt$key with a 16-byte salt and a 32-byte key', async () => {
    const h = await hashPassword('correct horse');
    expect(h).toMatch(FORMAT);
    const [, , , , salt, key] = h.split('$');
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  it('derives the key with scrypt(N=16384, r=8, p=1) over the stored salt', async () => {
    const h = await hashPassword('correct horse');
    const [, , , , salt, key] = h.split('$');
    const expected = scryptSync('correct horse', Buffer.from(salt, 'base64'), 32, {
      N: 16384,
      r: 8,
      p: 1,
    });
    expect(key).toBe(expected.toString('base64'));
  });

  it('uses a fresh salt each time', async () => {
    const [h1, h2] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(h1).not.toBe(h2);
    expect(h1.split('$')[4]).not.toBe(h2.split('$')[4]);
  });
});

describe('verifyPassword', () => {
  let h: string;
  beforeAll(async () => {
    h = await hashPassword('s3cret-Pässwörd');
  });

  it('accepts the right password', async () => {
    await expect(verifyPassword('s3cret-Pässwörd', h)).resolves.toBe(true);
  });

  it.each([['s3cret-pässwörd'], ['s3cret-Pässwörd '], ['s3cret-Passwort'], ['']])(
    'rejects the wrong password %p',
    async (pw) => {
      await expect(verifyPassword(pw, h)).resolves.toBe(false);
    },
  );

  it('handles the empty password', async () => {
    const e = await hashPassword('');
    await expect(verifyPassword('', e)).resolves.toBe(true);
    await expect(verifyPassword(' ', e)).resolves.toBe(false);
  });

  it('honours the parameters carried in the stored string', async () => {
    const s = stored('pw', Buffer.from('0123456789abcdef'), 1024, 4, 2);
    await expect(verifyPassword('pw', s)).resolves.toBe(true);
    await expect(verifyPassword('pW', s)).resolves.toBe(false);
  });

  it('rejects a stored string whose key was changed', async () => {
    const parts = h.split('$');
    const key = Buffer.from(parts[5], 'base64');
    key[0] ^= 1;
    parts[5] = key.toString('base64');
    await expect(verifyPassword('s3cret-Pässwörd', parts.join('$'))).resolves.toBe(false);
  });

  it('rejects a stored string whose salt was changed', async () => {
    const parts = h.split('$');
    const salt = Buffer.from(parts[4], 'base64');
    salt[0] ^= 1;
    parts[4] = salt.toString('base64');
    await expect(verifyPassword('s3cret-Pässwörd', parts.join('$'))).resolves.toBe(false);
  });

  it.each([
    [''],
    ['plain-text-password'],
    ['scrypt$16384$8$1$c2FsdA=='],
    ['scrypt$16384$8$1$c2FsdA==$a2V5$extra'],
    ['bcrypt$16384$8$1$c2FsdA==$a2V5'],
    ['$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
  ])('returns false for the malformed stored string %p', async (s) => {
    await expect(verifyPassword('anything', s)).resolves.toBe(false);
  });

  it('returns false (does not throw) for non-numeric scrypt parameters', async () => {
    await expect(verifyPassword('anything', 'scrypt$abc$8$1$c2FsdA==$a2V5')).resolves.toBe(false);
  });

  it('returns false for a stored string with an empty key', async () => {
    // An empty key must not match every password.
    await expect(verifyPassword('anything', 'scrypt$16384$8$1$c2FsdA==$')).resolves.toBe(false);
  });
});
