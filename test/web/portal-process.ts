// A portal in a process of its own on a real port, for the test that no request can end the process: prints its port; each request arrives 62 s after the one before.
import type { AddressInfo } from 'node:net';
import { REWRITE_AFTER_MS } from '../../src/web/session-store';
import { openTestDb } from '../helpers/db';
import { NOW, createTestWeb, seedPortal } from './helpers';

async function main(): Promise<void> {
  const db = await openTestDb('sqlite');
  await seedPortal(db.ds);
  let clock = NOW;
  const app = await createTestWeb(db.ds, { now: () => clock, web: { loginPerMinute: 1000 } });
  // Ahead of Fastify's own listener: every session is old enough for its row to be written again,
  // so the session plugin finishes each answer from a database callback.
  app.server.prependListener('request', () => {
    clock += REWRITE_AFTER_MS + 2_000;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening on ${(app.server.address() as AddressInfo).port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`portal process failed to start: ${String(err)}\n`);
  process.exit(2);
});
