// The ingest health page and API: per site and file the last fetch, bytes and rows, and the latest quarantined lines.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Site } from '../../../entities';
import { count } from '../../present/format';
import { visibleSites } from '../../queries';
import { latestQuarantined, recentCursors } from '../../queries/web-ingest';
import { type WebDeps, renderPage, siteFor, userOf } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import { parseInput, timeText, tzOf } from './site';
import type { WebRoute } from './types';

/** File days listed per site. */
export const INGEST_DAYS = 3;
export const QUARANTINE_DEFAULT_LIMIT = 50;
export const QUARANTINE_MAX_LIMIT = 500;
/** Raw quarantined lines are cut to this many characters (they can be 64 KiB). */
export const RAW_SHOWN = 500;

export const ingestMessages: Messages = {
  zh: {
    ingestTitle: '采集状态',
    allSites: '全部局点',
    filter: '筛选',
    site: '局点',
    lastIngest: '最近采集',
    lastSuccess: '最近成功',
    lastError: '最近错误',
    file: '文件',
    fileDate: '日期',
    fetchedAt: '最近拉取',
    status: '状态',
    bytes: '已读字节',
    lines: '行数',
    inserted: '新增',
    duplicate: '重复',
    quarantined: '隔离',
    error: '错误',
    noFiles: '还没有采集记录。',
    quarantineTitle: '最近隔离的行',
    noQuarantine: '没有隔离的行。',
    lineNo: '行号',
    reason: '原因',
    raw: '原文',
    at: '时间',
  },
  en: {
    ingestTitle: 'Ingest health',
    allSites: 'All sites',
    filter: 'Filter',
    site: 'Site',
    lastIngest: 'Last ingest',
    lastSuccess: 'Last success',
    lastError: 'Last error',
    file: 'File',
    fileDate: 'Day',
    fetchedAt: 'Last fetch',
    status: 'Status',
    bytes: 'Bytes read',
    lines: 'Lines',
    inserted: 'Inserted',
    duplicate: 'Duplicate',
    quarantined: 'Quarantined',
    error: 'Error',
    noFiles: 'Nothing ingested yet.',
    quarantineTitle: 'Latest quarantined lines',
    noQuarantine: 'No quarantined lines.',
    lineNo: 'Line',
    reason: 'Reason',
    raw: 'Raw text',
    at: 'When',
  },
};

const blank = (v: unknown) => (v === '' ? undefined : v);
const ingestQuery = z.object({
  site: z.preprocess(blank, z.string().max(64).optional()),
  limit: z.preprocess(
    blank,
    z.coerce
      .number()
      .int()
      .min(1)
      .max(QUARANTINE_MAX_LIMIT)
      .optional()
      .default(QUARANTINE_DEFAULT_LIMIT),
  ),
});

async function ingestData(req: FastifyRequest, deps: WebDeps) {
  const q = parseInput(ingestQuery, req.query);
  const user = userOf(req);
  const all = await visibleSites(deps.ds, { userId: user.id, role: user.role });
  const sites: Site[] = q.site ? [await siteFor(req, deps, q.site)] : all;
  const ids = sites.map((s) => s.id);
  const [cursors, lines] = await Promise.all([
    recentCursors(deps.ds, ids, INGEST_DAYS),
    latestQuarantined(deps.ds, ids, q.limit),
  ]);
  const byId = new Map(sites.map((s) => [s.id, s]));
  return {
    filter: { site: q.site ?? null, limit: q.limit },
    sites: sites.map((s) => {
      const tz = tzOf(s, deps);
      return {
        code: s.code,
        name: s.name,
        lastIngestAt: s.lastIngestAt,
        lastIngestText: timeText(s.lastIngestAt, tz),
        lastSuccessAt: s.lastSuccessAt,
        lastSuccessText: timeText(s.lastSuccessAt, tz),
        lastError: s.lastError,
        lastErrorAt: s.lastErrorAt,
        lastErrorText: timeText(s.lastErrorAt, tz),
        files: cursors
          .filter((c) => c.siteId === s.id)
          .map((c) => ({
            file: c.file,
            kind: c.kind,
            date: `${c.fileDate.slice(0, 4)}-${c.fileDate.slice(4, 6)}-${c.fileDate.slice(6)}`,
            state: c.state,
            lastFetchAt: c.lastFetchAt,
            lastFetchText: timeText(c.lastFetchAt, tz),
            status: c.lastStatus,
            bytesRead: c.bytesRead,
            lines: c.lineNo,
            rowsInserted: c.rowsInserted,
            rowsDuplicate: c.rowsDuplicate,
            rowsQuarantined: c.rowsQuarantined,
            lastError: c.lastError,
          })),
      };
    }),
    quarantined: lines.map((l) => {
      const site = byId.get(l.siteId)!;
      return {
        id: l.id,
        site: site.code,
        siteName: site.name,
        file: l.file,
        lineNo: l.lineNo,
        reason: l.reason,
        raw: l.raw.length > RAW_SHOWN ? `${l.raw.slice(0, RAW_SHOWN)}…` : l.raw,
        createdAt: l.createdAt,
        createdText: timeText(l.createdAt, tzOf(site, deps)),
      };
    }),
    siteChoices: all.map((s) => ({ code: s.code, name: s.name })),
  };
}

export const ingestRoutes: WebRoute = {
  name: 'ingest',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);

    app.get('/ingest', async (req, reply) => {
      const data = await ingestData(req, deps);
      return renderPage(
        req,
        reply,
        deps,
        'ingest.eta',
        { title: null, nav: 'ingest', count, ...data },
        [ingestMessages],
      );
    });

    app.get('/api/ingest', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return ingestData(req, deps);
    });
  },
};
