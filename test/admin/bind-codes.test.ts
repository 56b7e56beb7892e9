// Bind codes: readable alphabet, stored hashed, single use, expire after 10 minutes; on both engines.
import { createHash } from 'node:crypto';
import { BindCode } from '../../entities';
import {
  BIND_CODE_TTL_MS,
  createBindCode,
  normalizeBindCode,
  redeemBindCode,
} from '../../src/admin/bind-codes';
import { addUser } from '../../src/admin/users';
import { describeEachEngine, resetDb } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 2);

describeEachEngine('bind codes', (db) => {
  beforeEach(async () => {
    await resetDb(db());
    await addUser(db().ds, { login: 'li.lei', password: 'correct horse' });
  });

  it('makes an 8-character code from an unambiguous alphabet and stores only its hash', async () => {
    const { code, expiresAt } = await createBindCode(db().ds, 'li.lei', NOW);
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$/);
    expect(expiresAt).toBe(NOW + BIND_CODE_TTL_MS);
    const rows = await db().ds.getRepository(BindCode).find();
    expect(rows.map((r) => r.codeHash)).toEqual([createHash('sha256').update(code).digest('hex')]);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('binds once: the same code a second time is refused', async () => {
    const { code } = await createBindCode(db().ds, 'li.lei', NOW);
    expect((await redeemBindCode(db().ds, code, NOW + 1000))?.login).toBe('li.lei');
    expect(await redeemBindCode(db().ds, code, NOW + 2000)).toBeNull();
  });

  it('accepts what a person types: lower case, full-width letters, spaces and dashes', async () => {
    const { code } = await createBindCode(db().ds, 'li.lei', NOW);
    const typed = `${code.slice(0, 4).toLowerCase()}－ ${code.slice(4)}`.replace(/[A-Z]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    expect(normalizeBindCode(typed)).toBe(code);
    expect((await redeemBindCode(db().ds, typed, NOW))?.login).toBe('li.lei');
  });

  it('refuses an expired code, a wrong code and an unknown user', async () => {
    const { code } = await createBindCode(db().ds, 'li.lei', NOW);
    expect(await redeemBindCode(db().ds, code, NOW + BIND_CODE_TTL_MS)).toBeNull();
    expect(await redeemBindCode(db().ds, 'ABCDEFGH', NOW)).toBeNull();
    expect(await redeemBindCode(db().ds, 'short', NOW)).toBeNull();
    await expect(createBindCode(db().ds, 'nobody', NOW)).rejects.toThrow('No user "nobody".');
  });
});
