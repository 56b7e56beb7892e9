// The WeChat bot on the real wechat4u puppet while the login server cannot be reached (see unreachable.test.ts): retries, then stops; prints its JSON log and exits by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createOutgoingQueue } from '../../../src/chat/outgoing-queue';
import { createLogger } from '../../../src/log';
import { createWechatBot } from '../../../src/transports/wechaty/bot';

/** Attempts (the first and its restarts) before the bot is stopped. */
const ATTEMPTS = 4;

// Anything on stderr fails the test: these say why the process is not clean.
process.on('uncaughtException', (err) => process.stderr.write(`uncaughtException ${err.stack}\n`));
process.on('unhandledRejection', (err) =>
  process.stderr.write(`unhandledRejection ${err instanceof Error ? err.stack : String(err)}\n`),
);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-wechat4u-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const log = createLogger(
    'debug',
    new Writable({ write: (c, _e, cb) => (process.stdout.write(String(c)), cb()) }),
  );
  const bot = createWechatBot({
    name: join(dir, 'bot'),
    receive: async () => [],
    queue: createOutgoingQueue({ transport: 'wechat', log }),
    log,
    qrOut: null,
    restartDelayMs: 50,
    timezone: 'Asia/Shanghai',
  });
  await bot.start();
  const until = Date.now() + 15_000;
  while (bot.health().restarts < ATTEMPTS - 1) {
    if (Date.now() > until) throw new Error(`only ${bot.health().restarts} restarts in 15 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const t = Date.now();
  await bot.stop();
  log.info({ stopMs: Date.now() - t, restarts: bot.health().restarts }, 'scenario: bot stopped');
  // Nothing of the bot may keep the process alive: it ends on its own, or this says so.
  setTimeout(() => {
    process.stderr.write('still running 5 s after the bot stopped\n');
    process.exit(3);
  }, 5_000).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(`scenario failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
