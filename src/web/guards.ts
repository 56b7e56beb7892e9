// Route guards: a signed-in user for every page and API call, an admin for administration.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isApi } from './context';
import { MAX_REDIRECT_LENGTH, redirectLocal } from './redirect';

/** Pages redirect to the login page (then back); API calls answer 401. */
export async function requireUser(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.session.get('user')) return;
  if (isApi(req)) {
    await reply.code(401).header('cache-control', 'no-store').send({ error: 'not signed in' });
    return;
  }
  const back = `/login?next=${encodeURIComponent(req.url)}`;
  // A page address too long to carry along still gets the login page, just not back to it.
  await redirectLocal(
    reply,
    req.method === 'GET' && back.length <= MAX_REDIRECT_LENGTH ? back : '/login',
  );
}

/** Administration: admins only; others get 403 (the error page in the layout, or `{error}` under /api/). */
export async function requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireUser(req, reply);
  if (reply.sent) return;
  if (req.session.get('user')?.role === 'admin') return;
  throw Object.assign(new Error('administrators only'), { statusCode: 403, code: 'SW_FORBIDDEN' });
}
