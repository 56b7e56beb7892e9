// Administration of room subscriptions: which group rooms (WeChat by topic, WeCom by chatid) receive and may ask about which sites.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { Site, User } from '../../../entities';
import { listRoomSubscriptions, subscribeRoom, unsubscribeRoom } from '../../admin/rooms';
import { listSites } from '../../admin/sites';
import { SitewatchError } from '../../errors';
import { chatsSeen } from '../../queries/recipients';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireAdmin } from '../guards';
import { adminAction, adminMessages, doneOf, formatAt, parseBody, redirectDone } from './admin';
import type { WebRoute } from './types';

const addBody = z.object({
  transport: z.enum(['wechat', 'wecom']).default('wechat'),
  topic: z.string().trim().min(1).max(255),
  site: z.string().trim().min(1),
});

export interface RoomJson {
  id: number;
  transport: string;
  topic: string;
  /** False for a WeCom chat that never talked to the robot: WeCom refuses pushes to it. */
  seen: boolean;
  roomId: string | null;
  site: { code: string; name: string } | null;
  createdBy: string | null;
  createdAt: number;
  createdText: string | null;
}

async function loadRooms(ds: DataSource, tz: string): Promise<RoomJson[]> {
  const subs = await listRoomSubscriptions(ds);
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
  const seen = await chatsSeen(ds.manager, 'wecom');
  return subs.map((r) => {
    const site = sites.get(r.siteId);
    return {
      id: r.id,
      transport: r.transport,
      topic: r.roomTopic,
      seen: r.transport !== 'wecom' || seen.has(r.roomTopic),
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
        // The portal does not know the room's id: one known from the topic's other subscriptions is kept.
        const { added, subscription } = await subscribeRoom(ds, {
          transport: b.transport,
          topic: b.topic,
          roomId: null,
          siteId: site.id,
          by: userOf(req).id,
          now: deps.now(),
        });
        if (!added)
          throw new SitewatchError(
            'CONFLICT',
            `Room "${b.topic}" (${b.transport}) already subscribes to site "${site.code}".`,
          );
        req.log.info(
          { admin: userOf(req).login, transport: b.transport, room: b.topic, site: site.code },
          'room subscription added',
        );
        return subscription.id;
      },
      json: async (id) => ({ room: (await loadRooms(ds, tz)).find((r) => r.id === id) }),
      done: (_req, reply) => redirectDone(reply, '/admin/rooms', 'roomAdded'),
      failed: (req, reply, message) => {
        const { transport, topic, site } = (req.body ?? {}) as Record<string, unknown>;
        return page(req, reply, { formError: message, form: { transport, topic, site } });
      },
    });

    adminAction(app, {
      path: '/rooms/:id/delete',
      async run(req) {
        const id = idOf(req);
        const sub = await unsubscribeRoom(ds, { id });
        if (!sub) throw new SitewatchError('NOT_FOUND', `No room subscription #${id}.`);
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
