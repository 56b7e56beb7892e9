// The real wechat4u puppet through the bot while WeChat's login server is unreachable: one worded retry log, a prompt and quiet stop.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { wallClock } from '../../../src/time';
import { runTsProcess } from '../../helpers/ts-process';

/** A loopback port nothing listens on: connections to it are refused. */
async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const hhmmss = (ms: number) => {
  const w = wallClock(ms, 'Asia/Shanghai');
  return [w.hour, w.minute, w.second].map((n) => String(n).padStart(2, '0')).join(':');
};

describe('the wechat4u bot with the login server unreachable (a process of its own)', () => {
  // wechat4u has no setting for its hosts; its HTTP client goes through HTTPS_PROXY, so the login
  // server is made unreachable there: a refused loopback port, and a name that never resolves.
  it.each([
    ['ECONNREFUSED', /^ECONNREFUSED$/, async () => `http://127.0.0.1:${await refusedPort()}`],
    // Without a reachable DNS server the lookup fails as EAI_AGAIN instead.
    ['ENOTFOUND', /^(ENOTFOUND|EAI_AGAIN)$/, async () => 'http://login-proxy.invalid:9'],
  ])(
    'says once that it is unreachable (%s) and when it tries next, then stops quietly and promptly',
    async (_name, codes, proxy) => {
      const run = await runTsProcess(join(__dirname, 'unreachable-process.ts'), {
        env: { HTTPS_PROXY: await proxy() },
        timeoutMs: 25_000,
      });
      // No uncaughtException, unhandled rejection or TypeError (stderr), and it ended by itself.
      expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      // wechat4u prints what it catches as uncaught to stdout: every line there is our JSON log.
      const lines = run.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return { notJson: l };
          }
        });
      expect(lines.filter((l) => 'notJson' in l)).toEqual([]);

      const said = lines.filter((l) => Number(l.level) >= 40);
      expect(said).toHaveLength(1);
      const [down] = said;
      const next = Number(down.nextAttemptAt);
      expect(down).toMatchObject({ host: 'login.wx.qq.com', delayMs: 50 });
      const code = String(down.code);
      expect(code).toMatch(codes);
      // Said when the attempt was scheduled, 50 ms before it.
      expect(next).toBeGreaterThan(Number(down.time));
      expect(next).toBeLessThanOrEqual(Number(down.time) + 50);
      expect(down.msg).toBe(
        `WeChat login server unreachable (login.wx.qq.com: ${code}); next attempt at ${hhmmss(next)} (in 50 ms)`,
      );
      // The further attempts of the same outage are not said again (debug only).
      const again = lines.filter((l) => l.msg === 'wechat login server still unreachable');
      expect(again.length).toBeGreaterThanOrEqual(2);

      const stopped = lines.find((l) => l.msg === 'scenario: bot stopped');
      expect(stopped).toMatchObject({ restarts: expect.any(Number) });
      expect(Number(stopped!.restarts)).toBeGreaterThanOrEqual(3);
      expect(Number(stopped!.stopMs)).toBeLessThan(1000);
    },
    30_000,
  );
});
