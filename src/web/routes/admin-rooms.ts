// Administration of room subscriptions: which WeChat group rooms (by topic) receive and may ask about which sites.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { RoomSubscription, Site, User } from '../../../entities';
import { listSites } from '../../admin/sites';
import { engineOf } from '../../db/data-source';
import { insertIgnore } from '../../db/bulk';
import { SitewatchError } from '../../errors';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireAdmin } from '../guards';
import { adminAction, adminMessages, doneOf, formatAt, parseBody, redirectDone } from './admin';
import type { WebRoute } from './types';

const addBody = z.object({
  topic: z.string().trim().min(1).max(255),
  site: z.string().trim().min(1),
});

export interface RoomJson {
  id: number;
  topic: string;
  roomId: string | null;
  site: { code: string; name: string } | null;
  createdBy: string | null;
  createdAt: number;
  createdText: string | null;
}

async function loadRooms(ds: DataSource, tz: string): Promise<RoomJson[]> {
  const subs = await ds
    .getRepository(RoomSubscription)
    .find({ order: { roomTopic: 'ASC', id: 'ASC' } });
  const siteIds = [...new Set(subs.map((s) => s.siteId))];
  const userIds = [...new Set(subs.map((s) => s.createdBy))];
  const sites = new Map(
    (siteIds.length ? await ds.getRepository(Site).findBy({ id: In(siteIds) }) : []).map((s) => [
      s.id,
      s,
    ]),
  );
  const users = new Map(
    (userIds.length ? await ds.getRepository(User).findBy({ id: In(userIds) }) : []).map((u) => [
      u.id,
      u,
    ]),
  );
  return subs.map((r) => {
    const site = sites.get(r.siteId);
    return {
      id: r.id,
      topic: r.roomTopic,
      roomId: r.roomId,
      site: site ? { code: site.code, name: site.name } : null,
      createdBy: users.get(r.createdBy)?.login ?? null,
      createdAt: r.createdAt,
      createdText: formatAt(r.createdAt, tz),
    };
  });
}

const idOf = (req: FastifyRequest): number => {
  const id = Number((req.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new SitewatchError('NOT_FOUND', 'No such room.');
  return id;
};

export const adminRoomsRoutes: WebRoute = {
  name: 'admin-rooms',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireAdmin);
    const { ds } = deps;
    const tz = deps.config.timezone;

    const page = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: { formError?: string; form?: Record<string, unknown> } = {},
    ) =>
      renderPage(
        req,
        reply,
        deps,
        'admin-rooms.eta',
        {
          title: null,
          nav: 'admin',
          section: 'rooms',
          rooms: await loadRooms(ds, tz),
          sites: (await listSites(ds)).map((s) => ({ code: s.code, name: s.name })),
          done: doneOf(req),
          formError: extra.formError ?? null,
          form: extra.form ?? {},
        },
        [adminMessages],
      );

    app.get('/admin/rooms', async (req, reply) => page(req, reply));
    app.get('/api/admin/rooms', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { rooms: await loadRooms(ds, tz) };
    });

    adminAction(app, {
      path: '/rooms',
      async run(req) {
        const b = parseBody(addBody, req.body);
        const site = await ds.getRepository(Site).findOne({ where: { code: b.site } });
        if (!site) throw new SitewatchError('USAGE', `site: no site "${b.site}"`);
        // A room already known by topic keeps its id; otherwise the bot finds the room by topic.
        const known = (await ds.query(
          'SELECT room_id FROM room_subscription WHERE room_topic = ? AND room_id IS NOT NULL LIMIT 1',
          [b.topic],
        )) as { room_id: string }[];
        // INSERT IGNORE on the unique (topic, site): two admins adding the same room at once get one row.
        const added = await insertIgnore(
          ds.manager,
          engineOf(ds),
          'room_subscription',
          ['room_topic', 'room_id', 'site_id', 'created_by', 'created_at'],
          [[b.topic, known[0]?.room_id ?? null, site.id, userOf(req).id, deps.now()]],
        );
        if (added === 0)
          throw new SitewatchError(
            'CONFLICT',
            `Room "${b.topic}" already subscribes to site "${site.code}".`,
          );
        const row = await ds
          .getRepository(RoomSubscription)
          .findOneOrFail({ where: { roomTopic: b.topic, siteId: site.id } });
        req.log.info(
          { admin: userOf(req).login, room: b.topic, site: site.code },
          'room subscription added',
        );
        return row.id;
      },
      json: async (id) => ({ room: (await loadRooms(ds, tz)).find((r) => r.id === id) }),
      done: (_req, reply) => redirectDone(reply, '/admin/rooms', 'roomAdded'),
      failed: (req, reply, message) => {
        const { topic, site } = (req.body ?? {}) as Record<string, unknown>;
        return page(req, reply, { formError: message, form: { topic, site } });
      },
    });

    adminAction(app, {
      path: '/rooms/:id/delete',
      async run(req) {
        const id = idOf(req);
        const repo = ds.getRepository(RoomSubscription);
        const sub = await repo.findOne({ where: { id } });
        if (!sub) throw new SitewatchError('NOT_FOUND', `No room subscription #${id}.`);
        await repo.delete({ id });
        req.log.info(
          { admin: userOf(req).login, room: sub.roomTopic, siteId: sub.siteId },
          'room subscription removed',
        );
        return id;
      },
      json: (id) => ({ removed: id }),
      done: (_req, reply) => redirectDone(reply, '/admin/rooms', 'roomRemoved'),
      failed: (req, reply, message) => page(req, reply, { formError: message }),
    });
  },
};
