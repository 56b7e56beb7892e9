// Creating and listing users, which sites each manages (the one write path of user_site), ending their sessions.
import { In, type DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { Site, User, type Role } from '../../entities';
import { hashPassword } from '../auth/password';
import { execute, insertIgnore } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { affectedRows } from '../db/dialect';
import { withTransaction } from '../db/tx';
import { SitewatchError } from '../errors';

const userInput = z.object({
  login: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]+$/, 'may use letters, digits and . _ @ - only'),
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
  displayName: z.string().min(1).max(128),
  email: z.email('is not an email address').nullable(),
  role: z.enum(['admin', 'operator']),
  sites: z.array(z.string()),
});

export interface UserInput {
  login: string;
  password: string;
  displayName?: string;
  email?: string | null;
  role?: Role;
  sites?: string[];
}

export async function addUser(ds: DataSource, input: UserInput, now = Date.now()): Promise<User> {
  const parsed = userInput.safeParse({
    displayName: input.displayName ?? input.login,
    email: input.email ?? null,
    role: input.role ?? 'operator',
    sites: input.sites ?? [],
    login: input.login,
    password: input.password,
  });
  if (!parsed.success) {
    throw new SitewatchError(
      'USAGE',
      parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
    );
  }
  const d = parsed.data;
  const repo = ds.getRepository(User);
  if (await repo.findOne({ where: { login: d.login } })) {
    throw new SitewatchError('CONFLICT', `User "${d.login}" already exists.`);
  }
  const sites = d.sites.length
    ? await ds.getRepository(Site).find({ where: { code: In(d.sites) } })
    : [];
  const unknown = d.sites.filter((c) => !sites.some((s) => s.code === c));
  if (unknown.length > 0)
    throw new SitewatchError('NOT_FOUND', `No site ${unknown.map((c) => `"${c}"`).join(', ')}.`);
  const passwordHash = await hashPassword(d.password);
  return withTransaction(ds, async (em) => {
    const user = await em.save(
      em.create(User, {
        login: d.login,
        displayName: d.displayName,
        email: d.email,
        role: d.role,
        passwordHash,
        createdAt: now,
      }),
    );
    await writeUserSites(
      em,
      user.id,
      sites.map((s) => s.id),
    );
    user.sites = sites;
    return user;
  });
}

/**
 * Make the sites `userId` manages exactly `siteIds` (its user_site rows): rows are removed and added,
 * never rewritten, so concurrent calls do not fail on each other. NOT_FOUND for an unknown user or site.
 */
export function setUserSites(ds: DataSource, userId: number, siteIds: number[]): Promise<void> {
  return withTransaction(ds, (em) => writeUserSites(em, userId, siteIds));
}

async function writeUserSites(em: EntityManager, userId: number, siteIds: number[]): Promise<void> {
  const want = [...new Set(siteIds)];
  if (!(await em.exists(User, { where: { id: userId } })))
    throw new SitewatchError('NOT_FOUND', `No user #${userId}.`);
  const known = want.length ? await em.find(Site, { where: { id: In(want) } }) : [];
  const unknown = want.filter((id) => !known.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new SitewatchError('NOT_FOUND', `No site ${unknown.map((id) => `#${id}`).join(', ')}.`);
  const have = (
    (await em.query('SELECT site_id FROM user_site WHERE user_id = ?', [userId])) as {
      site_id: number | string;
    }[]
  ).map((r) => Number(r.site_id));
  const gone = have.filter((id) => !want.includes(id));
  if (gone.length > 0)
    await em.query(
      `DELETE FROM user_site WHERE user_id = ? AND site_id IN (${gone.map(() => '?').join(',')})`,
      [userId, ...gone],
    );
  const added = want.filter((id) => !have.includes(id));
  if (added.length > 0)
    await insertIgnore(
      em,
      engineOf(em.connection),
      'user_site',
      ['user_id', 'site_id'],
      added.map((id) => [userId, id]),
    );
}

/**
 * End a user's portal sessions (by web_session.user_id), except `exceptSid` (the admin's own, when
 * they reset their own password); returns how many ended.
 */
export async function endUserSessions(
  ds: DataSource,
  userId: number,
  exceptSid?: string,
): Promise<number> {
  const res =
    exceptSid === undefined
      ? await execute(ds.manager, 'DELETE FROM web_session WHERE user_id = ?', [userId])
      : await execute(ds.manager, 'DELETE FROM web_session WHERE user_id = ? AND sid <> ?', [
          userId,
          exceptSid,
        ]);
  return affectedRows(res);
}

export async function listUsers(ds: DataSource): Promise<User[]> {
  return ds.getRepository(User).find({ relations: { sites: true }, order: { login: 'ASC' } });
}

export async function setPassword(ds: DataSource, login: string, password: string): Promise<void> {
  const ok = userInput.shape.password.safeParse(password);
  if (!ok.success) throw new SitewatchError('USAGE', `password ${ok.error.issues[0].message}`);
  const res = await ds
    .getRepository(User)
    .update({ login }, { passwordHash: await hashPassword(password) });
  if (!res.affected) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
}

/** Which notifications a user gets; absent fields are left as they are. */
export interface NotifySettings {
  /** Alarm emails for the sites the user manages (needs an email address). */
  notifyEmail?: boolean;
  /** Alarm pushes to the user's bound WeChat contact. */
  notifyWechat?: boolean;
  /** The daily report by email. */
  reportEmail?: boolean;
  /** The address for both; null removes it. */
  email?: string | null;
}

/** Change a user's notification settings and return the user as stored afterwards. */
export async function setNotifySettings(
  ds: DataSource,
  login: string,
  settings: NotifySettings,
): Promise<User> {
  const repo = ds.getRepository(User);
  const user = await repo.findOne({ where: { login } });
  if (!user) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  const patch: Partial<User> = {};
  if (settings.email !== undefined) {
    const ok = userInput.shape.email.safeParse(settings.email);
    if (!ok.success) throw new SitewatchError('USAGE', `email ${ok.error.issues[0].message}`);
    patch.email = ok.data;
  }
  if (settings.notifyEmail !== undefined) patch.notifyEmail = settings.notifyEmail;
  if (settings.notifyWechat !== undefined) patch.notifyWechat = settings.notifyWechat;
  if (settings.reportEmail !== undefined) patch.reportEmail = settings.reportEmail;
  if (Object.keys(patch).length > 0) await repo.update({ id: user.id }, patch);
  return repo.findOneOrFail({ where: { id: user.id } });
}
