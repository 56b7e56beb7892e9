// Retention of chart links on both engines: the job deletes charts whose links have all expired, keeps the rest, and logs how many went.
import { Writable } from 'node:stream';
import { createRetentionJob, applyRetention } from '../../src/jobs/retention-job';
import { createLogger } from '../../src/log';
import { createChartLinks } from '../../src/outbox/chart-links';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const DAY = 24 * 3600_000;

describeEachEngine('chart link retention', (db) => {
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
    await ds().query('DELETE FROM chart_link');
  });

  const insert = (digest: string, expiresAt: number) =>
    ds().query('INSERT INTO chart_link (digest, png, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      digest,
      Buffer.from(`png ${digest}`),
      expiresAt - 7 * DAY,
      expiresAt,
    ]);
  const left = async () =>
    (
      (await ds().query('SELECT digest FROM chart_link ORDER BY digest')) as { digest: string }[]
    ).map((r) => r.digest);

  it('deletes expired charts with the rest of retention and logs the count', async () => {
    await insert('a-long-gone', NOW - 30 * DAY);
    await insert('b-just-gone', NOW - 1);
    await insert('c-expires-now', NOW);
    await insert('d-valid', NOW + DAY);
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString('utf8').split('\n'))
          if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    const config = testConfig();
    const job = createRetentionJob({
      ds: ds(),
      config,
      log: createLogger('info', sink),
      now: () => NOW,
    });
    await job.run({ firedAt: new Date(NOW), scheduled: true });
    expect(await left()).toEqual(['c-expires-now', 'd-valid']);
    const logged = lines.filter((l) => l.msg === 'retention applied');
    expect(logged).toHaveLength(1);
    expect((logged[0].deleted as Record<string, number>).chart_link).toBe(2);

    // A link valid until NOW is refused from NOW on, and its chart goes at the next run.
    expect((await applyRetention(ds(), config.retention, NOW + 1)).chart_link).toBe(1);
    expect(await left()).toEqual(['d-valid']);
  });

  it('never deletes a chart while a link handed out for it is valid', async () => {
    let t = NOW;
    const links = createChartLinks({
      ds: ds(),
      publicUrl: 'https://portal.example.com',
      secret: 'retention-link-secret-0123456789abc',
      ttlMs: 7 * DAY,
      now: () => t,
    });
    const digest = 'f'.repeat(40);
    const first = new URL(await links.link(digest, Buffer.from('png')));
    // Linked again late in its week: the row lives a week from then.
    t = NOW + 6 * DAY;
    const again = new URL(await links.link(digest, Buffer.from('png')));
    const exp = (u: URL) => Number(u.searchParams.get('exp'));
    expect([exp(first), exp(again)]).toEqual([NOW + 7 * DAY, NOW + 13 * DAY]);
    const retention = testConfig().retention;
    expect((await applyRetention(ds(), retention, exp(first) + 1)).chart_link).toBe(0);
    const id = Number(/\/charts\/(\d+)\.png$/.exec(first.pathname)![1]);
    expect(await links.png(id)).toEqual(Buffer.from('png'));
    expect((await applyRetention(ds(), retention, exp(again))).chart_link).toBe(0);
    expect((await applyRetention(ds(), retention, exp(again) + 1)).chart_link).toBe(1);
    expect(await left()).toEqual([]);
  });
});
