// `sitewatch demo`: starts simulated sites and the hub, ingests on the schedule, stops cleanly on a signal.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Site } from '../../entities';
import { openDataSource } from '../../src/db/data-source';
import { processEnv } from '../../config/schema';
import { cli } from '../helpers/cli';

describe('sitewatch demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves three simulated sites, ingests them on the cron schedule and stops on a signal', async () => {
    const url = `sqlite:${join(dir, 'demo.sqlite')}`;
    const env = {
      SITEWATCH_DB: url,
      SITEWATCH_SCHEDULE_INGEST: '*/2 * * * * *',
      SITEWATCH_WEB_PORT: '0',
      SITEWATCH_LOG_LEVEL: 'silent',
    };
    let observed: { before: number[]; after: number[] } | undefined;
    const run = cli(
      ['demo', '--dir', join(dir, 'sites'), '--days', '2', '--live-every', '1s'],
      env,
      '',
      async () => {
        const ds = await openDataSource(url);
        try {
          const stamps = async () =>
            (await ds.getRepository(Site).find({ order: { code: 'ASC' } })).map(
              (s) => s.lastIngestAt ?? 0,
            );
          const before = await stamps();
          // Wait for a scheduled cycle (every 2 s) to have run on every site after the first ingest.
          for (let i = 0; i < 40; i++) {
            await new Promise((r) => setTimeout(r, 250));
            const after = await stamps();
            if (after.every((t, k) => t > before[k])) {
              observed = { before, after };
              break;
            }
          }
        } finally {
          await ds.destroy();
        }
      },
    );
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Sitewatch demo \(log: .+\/sites\/hub\.log\)\n {2}site BJ-CMCC \(北京移动彩印\): 6 servers, \d+ lines over 2 days, served at http:\/\/127\.0\.0\.1:\d+\n/,
    );
    expect(r.stdout).toMatch(
      / {2}demo admin: login "demo", password "[A-Za-z0-9_-]{12}" \(new every start\)\n/,
    );
    expect(r.stdout).toMatch(
      / {2}first ingest: 3 sites, \d+ lines, \d+ rows stored, 0 quarantined\n/,
    );
    expect(r.stdout.endsWith('Stopping…\nStopped.\n')).toBe(true);
    expect(observed).toBeDefined();
    const ds = await openDataSource(url);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM cpu_sample');
    await ds.destroy();
    expect(Number(n)).toBeGreaterThan(0);
  }, 60_000);

  it('exits with code 0 when the real process gets SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '..', '..', 'bin', 'sitewatch.js'),
        'demo',
        '--dir',
        join(dir, 'sites'),
        '--days',
        '1',
      ],
      {
        env: {
          PATH: processEnv().PATH,
          SITEWATCH_DB: `sqlite:${join(dir, 'p.sqlite')}`,
          SITEWATCH_WEB_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let sent = false;
    child.stderr.on('data', (c) => (err += String(c)));
    child.stdout.on('data', (c) => {
      out += String(c);
      if (!sent && out.includes('Ctrl-C stops everything.')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(0);
    expect(out).toContain('Stopped.\n');
    // The console is for people: the session-secret warning in words, the JSON log in the file.
    expect(out).toContain(
      '\n  note: web.sessionSecret is not set: a random one is used, so sessions end when the hub restarts\n',
    );
    expect([...out.split('\n'), ...err.split('\n')].filter((l) => l.startsWith('{'))).toEqual([]);
    expect(err).toBe('');
    const logged = readFileSync(join(dir, 'sites', 'hub.log'), 'utf8')
      .trim()
      .split('\n');
    expect(logged.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain(
      'web.sessionSecret is not set: a random one is used, so sessions end when the hub restarts',
    );
  }, 60_000);
});
