// The composition root: the hub starts its parts (with the bot on the mock puppet) and stops them in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { addSite } from '../src/admin/sites';
import { createApp } from '../src/main';
import { silentLogger } from '../src/log';
import { testConfig } from './helpers/db';

describe('createApp', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-app-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('wires the bot with the configured puppet, answers its health, and stops cleanly', async () => {
    const config = testConfig({
      db: { url: `sqlite:${join(dir, 'hub.sqlite')}` },
      bot: {
        enabled: true,
        puppet: 'wechaty-puppet-mock',
        name: join(dir, 'bot'),
        prefix: '/',
        sendIntervalMs: 10,
      },
    });
    const app = await createApp(config, silentLogger);
    expect(app.bot).not.toBeNull();
    expect(app.scheduler.jobs().map((j) => j.name)).toEqual([
      'ingest',
      'notify',
      'reminders',
      'retention',
      'report-zones',
      'daily-report',
    ]);
    await app.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(['starting', 'scanning', 'online', 'offline']).toContain(app.bot!.health().state);
    expect(app.bot!.health().queueLength).toBe(0);
    await app.stop();
    await app.stop();
  });

  it('schedules the daily report in each zone the sites use, a zone added later without a restart', async () => {
    const config = testConfig({ db: { url: `sqlite:${join(dir, 'hub.sqlite')}` } });
    const first = await createApp(config, silentLogger, { bot: false });
    await addSite(first.ds, {
      code: 'TK01',
      name: '东京',
      baseUrl: 'http://tk01',
      timezone: 'Asia/Tokyo',
    });
    await first.stop();
    const app = await createApp(config, silentLogger, { bot: false });
    const reports = () => app.scheduler.jobs().filter((j) => j.name.startsWith('daily-report'));
    try {
      expect(reports().map((j) => [j.name, j.timezone])).toEqual([
        ['daily-report', 'Asia/Shanghai'],
        ['daily-report@Asia/Tokyo', 'Asia/Tokyo'],
      ]);
      await addSite(app.ds, {
        code: 'BER1',
        name: '柏林',
        baseUrl: 'http://ber1',
        timezone: 'Europe/Berlin',
      });
      expect(await app.scheduler.runNow('report-zones')).toBe(true);
      expect(reports().map((j) => [j.name, j.schedule, j.timezone])).toEqual([
        ['daily-report', '0 9 * * *', 'Asia/Shanghai'],
        ['daily-report@Asia/Tokyo', '0 9 * * *', 'Asia/Tokyo'],
        ['daily-report@Europe/Berlin', '0 9 * * *', 'Europe/Berlin'],
      ]);
    } finally {
      await app.stop();
    }
  });

  it('leaves the bot out when told to, and runs no jobs for `sitewatch bot`', async () => {
    const config = testConfig({ db: { url: `sqlite:${join(dir, 'hub.sqlite')}` } });
    const noBot = await createApp(config, silentLogger, { bot: false });
    expect(noBot.bot).toBeNull();
    await noBot.stop();
    const botOnly = await createApp(
      testConfig({
        db: { url: `sqlite:${join(dir, 'hub.sqlite')}` },
        bot: {
          enabled: true,
          puppet: 'wechaty-puppet-mock',
          name: join(dir, 'b2'),
          prefix: '',
          sendIntervalMs: 10,
        },
      }),
      silentLogger,
      { schedule: false },
    );
    expect(botOnly.scheduler.jobs()).toEqual([]);
    await botOnly.stop();
  });

  it('a start that fails halfway (the portal port taken) closes the database and the render pool', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const { port } = taken.address() as AddressInfo;
    try {
      const config = testConfig({
        db: { url: `sqlite:${join(dir, 'hub.sqlite')}` },
        web: { enabled: true, host: '127.0.0.1', port },
      });
      const app = await createApp(config, silentLogger, { bot: false });
      await expect(app.start()).rejects.toThrow(/EADDRINUSE/);
      expect(app.ds.isInitialized).toBe(false);
      await expect(app.renderer.render({ series: [] })).rejects.toThrow('chart renderer is closed');
      await app.stop();
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
