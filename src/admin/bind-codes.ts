// One-time codes that bind a WeChat contact to a user: shown once, stored hashed, 10 minutes, single use.
import { createHash, randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { BindCode, User } from '../../entities';
import { execute } from '../db/bulk';
import { SitewatchError } from '../errors';

/** No 0/O, 1/I/L: codes are read off a screen and typed into a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;
export const BIND_CODE_TTL_MS = 10 * 60_000;

const hash = (code: string) => createHash('sha256').update(code).digest('hex');

/** Upper-case, full-width to ASCII, spaces and dashes dropped: what a person might type. */
export function normalizeBindCode(input: string): string {
  return input.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

export async function createBindCode(
  ds: DataSource,
  login: string,
  now = Date.now(),
): Promise<{ code: string; expiresAt: number }> {
  const user = await ds.getRepository(User).findOne({ where: { login } });
  if (!user) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const expiresAt = now + BIND_CODE_TTL_MS;
  await ds
    .getRepository(BindCode)
    .insert({ userId: user.id, codeHash: hash(code), expiresAt, usedAt: null, createdAt: now });
  return { code, expiresAt };
}

/** The user a code binds to, consuming it; null for a wrong, used or expired code. */
export async function redeemBindCode(
  ds: DataSource,
  input: string,
  now = Date.now(),
): Promise<User | null> {
  const code = normalizeBindCode(input);
  if (code.length !== LENGTH) return null;
  const row = await ds.getRepository(BindCode).findOne({ where: { codeHash: hash(code) } });
  if (!row || row.usedAt !== null || row.expiresAt <= now) return null;
  // The conditional update makes the code single-use even when two contacts race with it.
  const res = await execute(
    ds.manager,
    'UPDATE bind_code SET used_at = ? WHERE id = ? AND used_at IS NULL',
    [now, row.id],
  );
  if (!res.affected) return null;
  return ds.getRepository(User).findOne({ where: { id: row.userId } });
}
