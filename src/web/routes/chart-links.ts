// GET /charts/<id>.png?exp=&sig=: a notice's chart at its signed, expiring link, for chat clients without a session; nothing else is reachable under /charts/.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chartLinksFor } from '../../outbox/chart-links';
import type { WebRoute } from './types';

/** Canonical decimals only (no sign, no leading zero): one URL per link, and safe integers. */
const NUMBER = /^[1-9][0-9]{0,14}$/;
const FILE = /^([1-9][0-9]{0,14})\.png$/;

/**
 * Every refusal is this one answer, whatever the reason (bad or missing signature, expired, unknown
 * id, a path that is no chart), so that a refusal tells nothing about what exists.
 */
function refuse(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .header('cache-control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send('Not found');
}

export const chartLinksRoutes: WebRoute = {
  name: 'chart-links',
  register(app, deps) {
    const links = chartLinksFor(deps.ds, deps.config.web, deps.now);
    // A wildcard, so that every path under /charts/ (a traversal, an id with a suffix) gets the same
    // refusal here rather than the portal's not-found page, which names the path.
    app.get('/charts/*', async (req: FastifyRequest, reply) => {
      const file = FILE.exec((req.params as { '*': string })['*']);
      const q = req.query as Record<string, unknown>;
      const exp = q.exp;
      const sig = q.sig;
      if (!links || !file || typeof exp !== 'string' || typeof sig !== 'string')
        return refuse(reply);
      if (!NUMBER.test(exp)) return refuse(reply);
      const id = Number(file[1]);
      const until = Number(exp);
      if (!links.verify(id, until, sig)) return refuse(reply);
      const png = await links.png(id);
      if (!png) return refuse(reply);
      const maxAge = Math.max(0, Math.floor((until - deps.now()) / 1000));
      return (
        reply
          .header('content-type', 'image/png')
          .header('cache-control', `private, max-age=${maxAge}`)
          .header('x-content-type-options', 'nosniff')
          // Chat clients show the image inside their own pages: helmet's same-origin would block it.
          .header('cross-origin-resource-policy', 'cross-origin')
          .header('content-disposition', `inline; filename="chart-${id}.png"`)
          .send(png)
      );
    });
  },
};
