// Registering and listing sites (used by the CLI, and later by the portal's administration).
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Site } from '../../entities';
import { timeZoneSchema } from '../../config/schema';
import { SitewatchError } from '../errors';
import { isSupportedEncoding } from '../ingest/decode';

export const siteInput = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^|\s]+$/, 'must not contain spaces or "|"'),
  name: z.string().min(1).max(128),
  baseUrl: z
    .string()
    .max(1024)
    .regex(/^(https?|file):\/\/.+/i, 'must start with http://, https:// or file://'),
  encoding: z
    .string()
    .refine(
      isSupportedEncoding,
      'is not an encoding iconv-lite knows (use auto, utf8, gbk or gb18030)',
    ),
  timezone: timeZoneSchema.nullable(),
  authToken: z.string().max(255).nullable(),
  enabled: z.boolean(),
});
export type SiteInput = z.input<typeof siteInput>;

function invalid(err: z.ZodError): SitewatchError {
  return new SitewatchError(
    'USAGE',
    err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
  );
}

export async function addSite(
  ds: DataSource,
  input: Partial<SiteInput> & Pick<SiteInput, 'code' | 'name' | 'baseUrl'>,
  now = Date.now(),
): Promise<Site> {
  const parsed = siteInput.safeParse({
    encoding: 'auto',
    timezone: null,
    authToken: null,
    enabled: true,
    ...input,
  });
  if (!parsed.success) throw invalid(parsed.error);
  const repo = ds.getRepository(Site);
  if (await repo.findOne({ where: { code: parsed.data.code } })) {
    throw new SitewatchError('CONFLICT', `Site "${parsed.data.code}" already exists.`);
  }
  return repo.save(repo.create({ ...parsed.data, createdAt: now }));
}

export async function listSites(ds: DataSource): Promise<Site[]> {
  return ds.getRepository(Site).find({ order: { code: 'ASC' } });
}
