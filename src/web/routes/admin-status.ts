// Administration: the health of every hub's chat transports (stale when a hub stopped reporting) and of the notification channels, as `sitewatch status` shows it.
import type { FastifyInstance } from 'fastify';
import { canSend } from '../../chat/transport';
import { channelDefinitions, configuredChannels } from '../../notify/channels/registry';
import {
  type HubStatus,
  type StatusProblem,
  hubStatus,
  reportedTransports,
  statusProblems,
} from '../../queries/hub-status';
import { type WebDeps, renderPage } from '../context';
import { requireAdmin } from '../guards';
import { adminMessages, formatAt } from './admin';
import type { WebRoute } from './types';

export interface StatusJson extends HubStatus {
  ok: boolean;
  problems: StatusProblem[];
}

/**
 * The status with its problems. The transports expected are those some hub reports: which ones the
 * configuration runs is known to the transport registry, a layer above the portal (`sitewatch
 * status` also names a configured transport that no hub reports).
 */
export async function loadStatus(deps: WebDeps): Promise<StatusJson> {
  const configured = new Set(configuredChannels(deps.config).map((c) => c.name));
  const s = await hubStatus(deps.ds, {
    now: deps.now(),
    channels: channelDefinitions.map((d) => ({ name: d.name, configured: configured.has(d.name) })),
  });
  const problems = statusProblems(s, { transports: reportedTransports(s), canSend });
  return { ...s, ok: problems.length === 0, problems };
}

export const adminStatusRoutes: WebRoute = {
  name: 'admin-status',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireAdmin);
    const tz = deps.config.timezone;

    app.get('/admin/status', async (req, reply) => {
      const s = await loadStatus(deps);
      return renderPage(
        req,
        reply,
        deps,
        'admin-status.eta',
        {
          title: null,
          nav: 'admin',
          section: 'status',
          done: null,
          ok: s.ok,
          problems: s.problems,
          timezone: tz,
          transports: s.transports.map((r) => ({
            ...r,
            sinceText: formatAt(r.since, tz),
            lastMessageText: formatAt(r.lastMessageAt, tz),
            updatedText: formatAt(r.updatedAt, tz),
          })),
          channels: s.channels.map((c) => ({
            ...c,
            oldestPendingText: formatAt(c.oldestPendingAt, tz),
            lastErrorText: formatAt(c.lastErrorAt, tz),
          })),
        },
        [adminMessages],
      );
    });
    app.get('/api/admin/status', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return loadStatus(deps);
    });
  },
};
