// `npm run demo`: simulated sites served on loopback, registered with a demo admin, and the hub running on them.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaults } from '../../config/defaults';
import type { Config } from '../../config/schema';
import { Site, User } from '../../entities';
import { addSite } from '../admin/sites';
import { addUser, setPassword } from '../admin/users';
import { type FileServer, startFileServer } from '../agent/serve';
import { parseDbUrl } from '../db/data-source';
import type { Logger } from '../log';
import { type App, createApp } from '../main';
import { simulate, startLive } from '../simulate/simulator';
import { summarize } from '../ingest/ingest-service';

export interface DemoSite {
  code: string;
  name: string;
  servers: number;
  seed: number;
}

export const DEMO_SITES: DemoSite[] = [
  { code: 'BJ-CMCC', name: '北京移动彩印', servers: 6, seed: 11 },
  { code: 'SH-CUCC', name: '上海联通彩印', servers: 4, seed: 22 },
  { code: 'GZ-CTCC', name: '广州电信彩印', servers: 3, seed: 33 },
];

export interface DemoOptions {
  config: Config;
  log: Logger;
  /** Where the simulated sites write their files. */
  dir: string;
  days: number;
  /** How often the simulated sites append new samples. */
  liveEveryMs: number;
  out: (s: string) => void;
  now?: () => number;
}

export interface Demo {
  app: App;
  sites: { code: string; url: string }[];
  login: string;
  password: string;
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<Demo> {
  const now = o.now ?? Date.now;
  const tz = o.config.timezone;
  // A fresh clone has no ./data yet: the demo makes the folder of the default database, and no other.
  if (o.config.db.url === defaults.db.url)
    mkdirSync(dirname(parseDbUrl(defaults.db.url).file!), { recursive: true });
  // No WeChat network here: the demo shows the bot's answers on the console (`sitewatch chat`).
  const app = await createApp(o.config, o.log, { bot: false });
  const servers: FileServer[] = [];
  const lives: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const l of lives.splice(0)) await l.stop();
    await app.stop();
    for (const s of servers.splice(0)) await s.close();
  };
  try {
    const sites: { code: string; url: string }[] = [];
    for (const d of DEMO_SITES) {
      const dir = resolve(join(o.dir, d.code));
      const sim = {
        dir,
        site: d.code,
        servers: d.servers,
        days: o.days,
        seed: d.seed,
        tz,
        now: now(),
      };
      const r = await simulate(sim);
      lives.push(startLive({ ...sim, everyMs: o.liveEveryMs, now }));
      const server = await startFileServer({ dir, host: '127.0.0.1', port: 0, log: o.log });
      servers.push(server);
      // Ports change between runs: the demo's sites follow their servers.
      const repo = app.ds.getRepository(Site);
      const existing = await repo.findOne({ where: { code: d.code } });
      if (existing) await repo.update({ id: existing.id }, { baseUrl: server.url, enabled: true });
      else await addSite(app.ds, { code: d.code, name: d.name, baseUrl: server.url });
      sites.push({ code: d.code, url: server.url });
      o.out(
        `  site ${d.code} (${d.name}): ${d.servers} servers, ${r.lines} lines over ${o.days} days, served at ${server.url}\n`,
      );
    }
    const login = 'demo';
    const password = randomBytes(9).toString('base64url');
    if (await app.ds.getRepository(User).findOne({ where: { login } }))
      await setPassword(app.ds, login, password);
    else await addUser(app.ds, { login, password, displayName: '演示管理员', role: 'admin' });
    o.out(`  demo admin: login "${login}", password "${password}" (new every start)\n`);

    const results = await app.ingest.run();
    const t = summarize(results.flatMap((r) => r.files));
    o.out(
      `  first ingest: ${results.length} sites, ${t.lines} lines, ${t.inserted} rows stored, ${t.quarantined} quarantined\n`,
    );
    await app.start();
    o.out(
      `  hub running: ingest on "${o.config.schedule.ingest}" (${tz}); database ${o.config.db.url}\n`,
    );
    const url = app.webUrl();
    if (url) o.out(`  web portal: ${url}  (log in as "${login}")\n`);
    return { app, sites, login, password, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
