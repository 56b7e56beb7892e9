// Administration of sites: list with last ingest and error, add, edit URL / encoding / time zone / name / token, enable or disable.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Site } from '../../../entities';
import { addSite, listSites, siteInput } from '../../admin/sites';
import { SitewatchError } from '../../errors';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireAdmin } from '../guards';
import {
  adminAction,
  adminMessages,
  doneOf,
  flag,
  formatAt,
  optionalText,
  parseBody,
  redirectDone,
  zodMessage,
} from './admin';
import type { WebRoute } from './types';

export const ENCODINGS = ['auto', 'utf8', 'gbk', 'gb18030'];

const addBody = z.object({
  code: z.string().trim(),
  name: z.string().trim(),
  baseUrl: z.string().trim(),
  encoding: z.string().trim().default('auto'),
  timezone: optionalText.optional(),
  token: optionalText.optional(),
});

const editBody = z.object({
  name: z.string().trim().optional(),
  baseUrl: z.string().trim().optional(),
  encoding: z.string().trim().optional(),
  timezone: optionalText.optional(),
  /** A new token; empty or absent keeps the current one. */
  token: optionalText.optional(),
  clearToken: flag.optional(),
});

const enabledBody = z.object({ enabled: flag });

const editable = siteInput
  .pick({ name: true, baseUrl: true, encoding: true, timezone: true, authToken: true })
  .partial();

export interface SiteAdminJson {
  code: string;
  name: string;
  baseUrl: string;
  encoding: string;
  timezone: string | null;
  enabled: boolean;
  /** Whether a token is set; the token itself is never shown. */
  tokenSet: boolean;
  lastIngestAt: number | null;
  lastIngestText: string | null;
  lastSuccessAt: number | null;
  lastSuccessText: string | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastErrorText: string | null;
}

function siteJson(s: Site, defaultTz: string): SiteAdminJson {
  const tz = s.timezone ?? defaultTz;
  return {
    code: s.code,
    name: s.name,
    baseUrl: s.baseUrl,
    encoding: s.encoding,
    timezone: s.timezone,
    enabled: s.enabled,
    tokenSet: s.authToken !== null && s.authToken !== '',
    lastIngestAt: s.lastIngestAt,
    lastIngestText: formatAt(s.lastIngestAt, tz),
    lastSuccessAt: s.lastSuccessAt,
    lastSuccessText: formatAt(s.lastSuccessAt, tz),
    lastError: s.lastError,
    lastErrorAt: s.lastErrorAt,
    lastErrorText: formatAt(s.lastErrorAt, tz),
  };
}

async function findSite(ds: DataSource, code: string): Promise<Site> {
  const site = await ds.getRepository(Site).findOne({ where: { code } });
  if (!site) throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
  return site;
}

/** Change what an admin may edit; fields absent from `b` stay as they are. */
async function editSite(ds: DataSource, code: string, b: z.output<typeof editBody>): Promise<Site> {
  const site = await findSite(ds, code);
  const patch: Record<string, unknown> = {};
  if (b.name !== undefined) patch.name = b.name;
  if (b.baseUrl !== undefined) patch.baseUrl = b.baseUrl;
  if (b.encoding !== undefined) patch.encoding = b.encoding;
  if (b.timezone !== undefined) patch.timezone = b.timezone;
  if (b.clearToken) patch.authToken = null;
  else if (b.token) patch.authToken = b.token;
  const parsed = editable.safeParse(patch);
  if (!parsed.success) throw new SitewatchError('USAGE', zodMessage(parsed.error));
  if (Object.keys(parsed.data).length > 0)
    await ds.getRepository(Site).update({ id: site.id }, parsed.data);
  return ds.getRepository(Site).findOneByOrFail({ id: site.id });
}

const codeOf = (req: FastifyRequest) => (req.params as { code: string }).code;

export const adminSitesRoutes: WebRoute = {
  name: 'admin-sites',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireAdmin);
    const { ds } = deps;
    const tz = deps.config.timezone;
    const load = async () => (await listSites(ds)).map((s) => siteJson(s, tz));

    const listPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: { formError?: string; form?: Record<string, unknown> } = {},
    ) =>
      renderPage(
        req,
        reply,
        deps,
        'admin-sites.eta',
        {
          title: null,
          nav: 'admin',
          section: 'sites',
          sites: await load(),
          encodings: ENCODINGS,
          defaultTz: tz,
          done: doneOf(req),
          formError: extra.formError ?? null,
          form: extra.form ?? {},
        },
        [adminMessages],
      );

    const sitePage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: { formError?: string; form?: Record<string, unknown> } = {},
    ) => {
      const site = siteJson(await findSite(ds, codeOf(req)), tz);
      return renderPage(
        req,
        reply,
        deps,
        'admin-site.eta',
        {
          title: site.code,
          nav: 'admin',
          section: 'sites',
          s: site,
          encodings: ENCODINGS,
          defaultTz: tz,
          done: doneOf(req),
          formError: extra.formError ?? null,
          form: extra.form ?? site,
        },
        [adminMessages],
      );
    };

    app.get('/admin/sites', async (req, reply) => listPage(req, reply));
    app.get('/api/admin/sites', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { sites: await load() };
    });
    app.get('/admin/sites/:code', async (req, reply) => sitePage(req, reply));
    app.get('/api/admin/sites/:code', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { site: siteJson(await findSite(ds, codeOf(req)), tz) };
    });

    const formBack = (req: FastifyRequest) => {
      // The form comes back filled in, except the token.
      const { code, name, baseUrl, encoding, timezone } = (req.body ?? {}) as Record<
        string,
        unknown
      >;
      return { code, name, baseUrl, encoding, timezone };
    };

    adminAction(app, {
      path: '/sites',
      async run(req) {
        const b = parseBody(addBody, req.body);
        const site = await addSite(
          ds,
          {
            code: b.code,
            name: b.name,
            baseUrl: b.baseUrl,
            encoding: b.encoding,
            timezone: b.timezone ?? null,
            authToken: b.token ?? null,
          },
          deps.now(),
        );
        req.log.info({ admin: userOf(req).login, site: site.code }, 'site added');
        return site;
      },
      json: (s) => ({ site: siteJson(s, tz) }),
      done: (_req, reply) => redirectDone(reply, '/admin/sites', 'siteAdded'),
      failed: (req, reply, message) =>
        listPage(req, reply, { formError: message, form: formBack(req) }),
    });

    adminAction(app, {
      path: '/sites/:code',
      async run(req) {
        const b = parseBody(editBody, req.body);
        const site = await editSite(ds, codeOf(req), b);
        req.log.info({ admin: userOf(req).login, site: site.code }, 'site edited');
        return site;
      },
      json: (s) => ({ site: siteJson(s, tz) }),
      done: (req, reply) =>
        redirectDone(reply, `/admin/sites/${encodeURIComponent(codeOf(req))}`, 'siteSaved'),
      failed: (req, reply, message) =>
        sitePage(req, reply, { formError: message, form: formBack(req) }),
    });

    adminAction(app, {
      path: '/sites/:code/enabled',
      async run(req) {
        const b = parseBody(enabledBody, req.body);
        const site = await findSite(ds, codeOf(req));
        await ds.getRepository(Site).update({ id: site.id }, { enabled: b.enabled });
        req.log.info(
          { admin: userOf(req).login, site: site.code, enabled: b.enabled },
          'site enabled set',
        );
        return ds.getRepository(Site).findOneByOrFail({ id: site.id });
      },
      json: (s) => ({ site: siteJson(s, tz) }),
      done: (_req, reply, s) =>
        redirectDone(reply, '/admin/sites', s.enabled ? 'siteEnabled' : 'siteDisabled'),
      failed: (req, reply, message) => listPage(req, reply, { formError: message }),
    });
  },
};
