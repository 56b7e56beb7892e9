// Creating and listing users, and which sites each manages.
import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { Site, User, type Role } from '../../entities';
import { hashPassword } from '../auth/password';
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
  const user = repo.create({
    login: d.login,
    displayName: d.displayName,
    email: d.email,
    role: d.role,
    passwordHash: await hashPassword(d.password),
    createdAt: now,
    sites,
  });
  return repo.save(user);
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
