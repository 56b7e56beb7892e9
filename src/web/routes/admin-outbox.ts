// Administration of the notification outbox: counts per status, failed then pending messages, payloads, and retrying a failure.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { In, type DataSource } from 'typeorm';
import { Site, type OutboxStatus } from '../../../entities';
import { SitewatchError } from '../../errors';
import {
  type OutboxRow,
  getOutboxMessage,
  listOutbox,
  outboxCounts,
  retryMessage,
} from '../../outbox/store';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireAdmin } from '../guards';
import { adminAction, adminMessages, doneOf, formatAt, redirectDone } from './admin';
import type { WebRoute } from './types';

export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];
/** Without a status filter, what needs a person comes first (as in `sitewatch outbox list`). */
const LIST_ORDER: OutboxStatus[] = ['failed', 'pending', 'sending', 'sent'];
const LIMIT = 200;

export interface OutboxJson {
  id: number;
  channel: string;
  recipient: string;
  kind: string;
  site: string | null;
  status: OutboxStatus;
  attempts: number;
  /** Parts already delivered (text before image): a retry sends only the rest. */
  partsSent: number;
  nextTryAt: number | null;
  nextTryText: string | null;
  lastError: string | null;
  createdAt: number;
  createdText: string | null;
  sentAt: number | null;
  payload: string;
}

/** The payload pretty-printed when it is JSON, else as stored. */
function prettyPayload(p: string): string {
  try {
    return JSON.stringify(JSON.parse(p), null, 2);
  } catch {
    return p;
  }
}

async function toJson(ds: DataSource, rows: OutboxRow[], tz: string): Promise<OutboxJson[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.siteId === null ? [] : [r.siteId])))];
  const codes = new Map(
    (ids.length ? await ds.getRepository(Site).findBy({ id: In(ids) }) : []).map((s) => [
      s.id,
      s.code,
    ]),
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: r.recipient,
    kind: r.kind,
    site: r.siteId === null ? null : (codes.get(r.siteId) ?? `#${r.siteId}`),
    status: r.status,
    attempts: r.attempts,
    partsSent: r.partsSent,
    nextTryAt: r.status === 'pending' ? r.nextTryAt : null,
    nextTryText: r.status === 'pending' ? formatAt(r.nextTryAt, tz) : null,
    lastError: r.lastError,
    createdAt: r.createdAt,
    createdText: formatAt(r.createdAt, tz),
    sentAt: r.sentAt,
    payload: prettyPayload(r.payload),
  }));
}

function statusOf(req: FastifyRequest): OutboxStatus | null {
  const s = (req.query as { status?: unknown }).status;
  return typeof s === 'string' && (OUTBOX_STATUSES as string[]).includes(s)
    ? (s as OutboxStatus)
    : null;
}

async function load(ds: DataSource, status: OutboxStatus | null, tz: string) {
  const rows: OutboxRow[] = [];
  for (const s of status ? [status] : LIST_ORDER) {
    if (rows.length >= LIMIT) break;
    rows.push(...(await listOutbox(ds, { status: s, limit: LIMIT - rows.length })));
  }
  return { counts: await outboxCounts(ds), messages: await toJson(ds, rows, tz) };
}

const idOf = (req: FastifyRequest): number => {
  const id = Number((req.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new SitewatchError('NOT_FOUND', 'No such outbox message.');
  return id;
};

export const adminOutboxRoutes: WebRoute = {
  name: 'admin-outbox',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireAdmin);
    const { ds } = deps;
    const tz = deps.config.timezone;
    const retry = deps.retryNotification ?? ((id: number) => retryMessage(ds, id, deps.now()));

    const page = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: { formError?: string } = {},
    ) => {
      const status = statusOf(req);
      return renderPage(
        req,
        reply,
        deps,
        'admin-outbox.eta',
        {
          title: null,
          nav: 'admin',
          section: 'outbox',
          status,
          statuses: LIST_ORDER,
          ...(await load(ds, status, tz)),
          done: doneOf(req),
          formError: extra.formError ?? null,
        },
        [adminMessages],
      );
    };

    app.get('/admin/outbox', async (req, reply) => page(req, reply));
    app.get('/api/admin/outbox', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return load(ds, statusOf(req), tz);
    });
    app.get('/api/admin/outbox/:id', async (req, reply) => {
      const id = idOf(req);
      const m = await getOutboxMessage(ds, id);
      if (!m) throw new SitewatchError('NOT_FOUND', `No outbox message #${id}.`);
      reply.header('cache-control', 'no-store');
      return { message: (await toJson(ds, [m], tz))[0] };
    });

    adminAction(app, {
      path: '/outbox/:id/retry',
      async run(req) {
        const id = idOf(req);
        const m = await getOutboxMessage(ds, id);
        if (!m) throw new SitewatchError('NOT_FOUND', `No outbox message #${id}.`);
        if (!(await retry(id)))
          throw new SitewatchError(
            'CONFLICT',
            `Message #${id} is ${m.status}; only failed or pending messages can be retried.`,
          );
        req.log.info({ admin: userOf(req).login, message: id }, 'outbox message retried');
        const after = await getOutboxMessage(ds, id);
        return (await toJson(ds, after ? [after] : [m], tz))[0];
      },
      json: (m) => ({ message: m }),
      done: (_req, reply) => redirectDone(reply, '/admin/outbox', 'retried'),
      failed: (req, reply, message) => page(req, reply, { formError: message }),
    });
  },
};
