// Two hubs on one MariaDB database running the real schedule: sites split between them, every notification sent once.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { addSite } from '../../src/admin/sites';
import { addUser, setNotifySettings } from '../../src/admin/users';
import { migrate, openDataSource } from '../../src/db/data-source';
import { createApp, type App } from '../../src/main';
import { dayKey, formatInstant } from '../../src/time';
import {
  createMysqlDatabase,
  mysqlAvailable,
  requireMysqlUnderCi,
  testConfig,
} from '../helpers/db';
import { startSiteServer, type SiteServer } from '../helpers/site-server';
import { captureLog } from '../helpers/log';

const TZ = 'Asia/Shanghai';
const SITES = 6;

interface Mail {
  to: string;
  subject: string;
  text: string;
}

function capture() {
  const { log, lines } = captureLog('info');
  return { log, entries: lines };
}

async function startSmtp(): Promise<{ port: number; mails: Mail[]; close: () => Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((m) => {
          for (const r of session.envelope.rcptTo)
            mails.push({ to: r.address, subject: m.subject ?? '', text: m.text ?? '' });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

const line = (site: string, name: string, node: string, raised: number, resumed: number | null) =>
  `${site}|${name}|${node}|${name} on ${node}|${formatInstant(raised, TZ)}:00|${
    resumed === null ? '' : `${formatInstant(resumed, TZ)}:00`
  }|${formatInstant(Date.now(), TZ)}:00\n`;

if (!mysqlAvailable()) requireMysqlUnderCi('two hubs');
else
  describe('two hubs on one MariaDB database [mysql]', () => {
    let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
    let site: SiteServer;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const apps: App[] = [];

    beforeAll(async () => {
      db = await createMysqlDatabase();
      site = await startSiteServer();
      smtp = await startSmtp();
      const ds = await openDataSource(db.url);
      await migrate(ds);
      const codes: string[] = [];
      for (let i = 1; i <= SITES; i++) {
        const code = `S${i}`;
        codes.push(code);
        await addSite(ds, { code, name: `站点${i}`, baseUrl: `${site.url}/${code}`, timezone: TZ });
      }
      await addUser(ds, {
        login: 'ops',
        password: 'pw-123456789',
        email: 'ops@example.com',
        sites: codes,
      });
      await setNotifySettings(ds, 'ops', { reportEmail: true });
      await ds.destroy();
    });

    afterAll(async () => {
      for (const a of apps) await a.stop();
      await smtp.close();
      await site.close();
      await db.drop();
    });

    it('splits the sites, runs each report once, and sends every notice exactly once', async () => {
      const today = dayKey(Date.now(), TZ);
      const path = (code: string) => `/${code}/sys_alarm/system_alarm_${today}.txt`;
      const t0 = Date.now() - 60 * 60_000;
      // Round 1: two open alarms per site.
      for (let i = 1; i <= SITES; i++) {
        site.put(
          path(`S${i}`),
          line(`S${i}`, 'DISK_FULL', 'db1', t0, null) + line(`S${i}`, 'LINK_DOWN', 'gw1', t0, null),
        );
      }
      const logs = [capture(), capture()];
      const config = (hub: string) =>
        testConfig({
          db: { url: db.url },
          timezone: TZ,
          cluster: { hubId: hub, leaseMs: 10_000 },
          // Every second: both hubs fire every schedule in the same seconds.
          schedule: {
            ingest: '* * * * * *',
            notify: '* * * * * *',
            reminders: '0 0 1 1 *',
            dailyReport: '* * * * * *',
            retention: '0 0 1 1 *',
          },
          selfAlarms: { enabled: false },
          // Two sites at a time per hub, so that the other hub finds sites still free.
          ingest: { concurrency: 2 },
          notify: { retryBaseMs: 200, email: { smtpUrl: `smtp://127.0.0.1:${smtp.port}` } },
          charts: { threads: 1 },
          bot: { enabled: false },
        });
      apps.push(await createApp(config('hub-a'), logs[0].log, { bot: false }));
      apps.push(await createApp(config('hub-b'), logs[1].log, { bot: false }));
      for (const a of apps) await a.start();
      await new Promise((r) => setTimeout(r, 4000));
      // Round 2: one alarm recovers on every site, and a new one appears.
      const t1 = Date.now() - 5 * 60_000;
      for (let i = 1; i <= SITES; i++) {
        site.append(
          path(`S${i}`),
          line(`S${i}`, 'LINK_DOWN', 'gw1', t0, t1) +
            line(`S${i}`, 'PROCESS_DOWN', 'app1', t1, null),
        );
      }
      await new Promise((r) => setTimeout(r, 5000));
      for (const a of apps.splice(0)) await a.stop();

      // The sites were shared out: each hub ingested some, and no site twice in one scheduled second.
      const ingested = logs.map(
        (l) => new Set(l.entries.filter((e) => e.msg === 'site ingested').map((e) => e.site)),
      );
      expect(ingested[0].size).toBeGreaterThan(0);
      expect(ingested[1].size).toBeGreaterThan(0);

      const alarmMails = smtp.mails.filter((m) => !m.subject.includes('日报'));
      const reportMails = smtp.mails.filter((m) => m.subject.includes('日报'));
      // Exactly one daily report per site.
      expect(reportMails.map((m) => m.subject).sort()).toEqual(
        Array.from({ length: SITES }, (_, i) => expect.stringContaining(`站点${i + 1}`)),
      );
      expect(new Set(reportMails.map((m) => m.subject)).size).toBe(SITES);
      // Each alarm event reported exactly once across both hubs.
      const count = (needle: RegExp) => alarmMails.filter((m) => needle.test(m.text)).length;
      for (let i = 1; i <= SITES; i++) {
        const ofSite = alarmMails.filter((m) => m.subject.includes(`站点${i}`));
        const raisedDisk = ofSite.filter((m) => /DISK_FULL/.test(m.text)).length;
        const raisedProc = ofSite.filter((m) => /PROCESS_DOWN/.test(m.text)).length;
        const link = ofSite.filter((m) => /LINK_DOWN/.test(m.text));
        expect([raisedDisk, raisedProc]).toEqual([1, 1]);
        // LINK_DOWN: its raise, and its recovery with the duration.
        expect(link).toHaveLength(2);
        expect(link.filter((m) => /已恢复，持续 55分/.test(m.text))).toHaveLength(1);
      }
      expect(count(/DISK_FULL/)).toBe(SITES);
      const ds = await openDataSource(db.url);
      const rows = (await ds.query('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')) as {
        status: string;
        n: number;
      }[];
      await ds.destroy();
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['sent', smtp.mails.length]]);
    }, 60_000);
  });
