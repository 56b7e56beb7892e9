// The dispatcher's ctx.chartLink() with a channel that takes links: one render and one stored chart per notice for all its recipients, the same signed URL for each, null without chart or without chart links.
import { createHash, createHmac } from 'node:crypto';
import { withTransaction } from '../../src/db/tx';
import { silentLogger } from '../../src/log';
import { createDispatcher } from '../../src/notify/dispatcher';
import type { Channel } from '../../src/notify/types';
import { type ChartLinks, createChartLinks } from '../../src/outbox/chart-links';
import type { Notice } from '../../src/outbox/notices';
import { enqueue } from '../../src/outbox/store';
import { createRegistry } from '../../src/registry';
import type { ChartOption } from '../../src/types/chart-option';
import { describeEachEngine, resetDb } from '../helpers/db';
import { alarmNotice, bj, botNotice, reportNotice } from './fixtures';

const T0 = bj(10, 0);
const WEEK = 7 * 24 * 3600_000;
const SECRET = 'dispatcher-link-secret-0123456789ab';
const BASE = 'https://portal.example.com';
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

function expectedUrl(id: number, exp: number): string {
  const key = createHmac('sha256', SECRET).update('sitewatch chart link v1').digest();
  const sig = createHmac('sha256', key).update(`${id}.${exp}`).digest('hex');
  return `${BASE}/charts/${id}.png?exp=${exp}&sig=${sig}`;
}

describeEachEngine('dispatcher chart links', (db) => {
  let t = T0;
  const ds = () => db().ds;
  let seen: { recipient: string; link: string | null; again: string | null }[];
  let renders: string[];
  let linkCalls: string[];
  let failLinks: number;

  beforeEach(async () => {
    await resetDb(db());
    await ds().query('DELETE FROM chart_link');
    t = T0;
    seen = [];
    renders = [];
    linkCalls = [];
    failLinks = 0;
  });

  /** A channel like DingTalk's: it sends the chart as a link, asking for it twice. */
  const linkChannel: Channel = {
    name: 'links',
    async send(recipient, _notice, ctx) {
      const link = await ctx.chartLink();
      seen.push({ recipient, link, again: await ctx.chartLink() });
    },
  };

  function counted(links: ChartLinks): ChartLinks {
    return {
      ...links,
      link: async (digest, png) => {
        linkCalls.push(digest);
        if (failLinks > 0) {
          failLinks--;
          throw new Error('chart store is down');
        }
        return links.link(digest, png);
      },
    };
  }

  function dispatcher(chartLinks: ChartLinks | null) {
    return createDispatcher({
      ds: ds(),
      channels: createRegistry('notification channel', [linkChannel]),
      log: silentLogger,
      owner: 'hub-test',
      maxAttempts: 5,
      retryBaseMs: 1000,
      retryMaxMs: 8000,
      claimMs: 60_000,
      batch: 50,
      concurrency: 3,
      chartFor: async (n: Notice): Promise<ChartOption | null> =>
        n.kind === 'bot' ? null : { title: { text: n.kind } },
      renderChart: async (o) => {
        const title = (o.title as { text: string }).text;
        renders.push(title);
        return Buffer.from(`png of ${title}`);
      },
      chartLinks,
      now: () => t,
      random: () => 0.5,
    });
  }

  const store = () =>
    counted(
      createChartLinks({ ds: ds(), publicUrl: BASE, secret: SECRET, ttlMs: WEEK, now: () => t }),
    );

  async function queue(entries: { recipient: string; event: string; notice: Notice }[]) {
    await withTransaction(ds(), (em) =>
      enqueue(
        em,
        entries.map((e) => ({ channel: 'links', siteId: null, ...e })),
        t,
      ),
    );
  }

  const stored = async () =>
    (
      (await ds().query('SELECT id, digest, png, expires_at FROM chart_link ORDER BY id')) as {
        id: number | string;
        digest: string;
        png: Buffer;
        expires_at: number | string;
      }[]
    ).map((r) => ({
      id: Number(r.id),
      digest: r.digest,
      png: Buffer.from(r.png).toString(),
      expiresAt: Number(r.expires_at),
    }));

  const byRecipient = () => [...seen].sort((a, b) => (a.recipient < b.recipient ? -1 : 1));

  it('stores one chart per notice for all its recipients and gives each the same link', async () => {
    const alarms = alarmNotice();
    const report = reportNotice();
    await queue([
      ...['a1', 'a2', 'a3'].map((recipient) => ({ recipient, event: 'alarms:1', notice: alarms })),
      ...['r1', 'r2'].map((recipient) => ({ recipient, event: 'report:1', notice: report })),
      { recipient: 'b1', event: 'bot:1', notice: botNotice() },
    ]);
    const d = dispatcher(store());
    expect(await d.runOnce()).toEqual({ sent: 6, retrying: 0, failed: 0 });

    const rows = await stored();
    expect(rows).toEqual([
      {
        id: expect.any(Number) as number,
        digest: expect.any(String) as string,
        png: expect.any(String) as string,
        expiresAt: T0 + WEEK,
      },
      {
        id: expect.any(Number) as number,
        digest: expect.any(String) as string,
        png: expect.any(String) as string,
        expiresAt: T0 + WEEK,
      },
    ]);
    const byDigest = new Map(rows.map((r) => [r.digest, r]));
    const alarmRow = byDigest.get(sha1(JSON.stringify(alarms)))!;
    const reportRow = byDigest.get(sha1(JSON.stringify(report)))!;
    expect([alarmRow.png, reportRow.png]).toEqual(['png of alarms', 'png of report']);
    const alarmUrl = expectedUrl(alarmRow.id, T0 + WEEK);
    const reportUrl = expectedUrl(reportRow.id, T0 + WEEK);
    expect(byRecipient()).toEqual([
      { recipient: 'a1', link: alarmUrl, again: alarmUrl },
      { recipient: 'a2', link: alarmUrl, again: alarmUrl },
      { recipient: 'a3', link: alarmUrl, again: alarmUrl },
      { recipient: 'b1', link: null, again: null },
      { recipient: 'r1', link: reportUrl, again: reportUrl },
      { recipient: 'r2', link: reportUrl, again: reportUrl },
    ]);
    // Rendered and stored once per notice; the bot notice has no chart, so neither.
    expect([...renders].sort()).toEqual(['alarms', 'report']);
    expect([...linkCalls].sort()).toEqual(
      [sha1(JSON.stringify(alarms)), sha1(JSON.stringify(report))].sort(),
    );

    // The same notice to one more recipient in a later sweep (another hub, or a retry): the row
    // stored before, the same link.
    t = T0 + 60_000;
    seen = [];
    await queue([{ recipient: 'a4', event: 'alarms:1', notice: alarms }]);
    expect(await d.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(seen).toEqual([{ recipient: 'a4', link: alarmUrl, again: alarmUrl }]);
    expect(await stored()).toHaveLength(2);
  });

  it('gives null links and renders nothing without chart links (no web.publicUrl)', async () => {
    const alarms = alarmNotice();
    await queue(
      ['a1', 'a2'].map((recipient) => ({ recipient, event: 'alarms:1', notice: alarms })),
    );
    expect(await dispatcher(null).runOnce()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(byRecipient()).toEqual([
      { recipient: 'a1', link: null, again: null },
      { recipient: 'a2', link: null, again: null },
    ]);
    expect(renders).toEqual([]);
    expect(await stored()).toEqual([]);
  });

  it('retries the messages when the chart cannot be stored, and links it on the retry', async () => {
    const alarms = alarmNotice();
    await queue(
      ['a1', 'a2'].map((recipient) => ({ recipient, event: 'alarms:1', notice: alarms })),
    );
    failLinks = 1;
    const d = dispatcher(store());
    // One failed store, shared by both recipients of the notice in that sweep.
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(linkCalls).toHaveLength(1);
    const errors = (await ds().query('SELECT last_error FROM outbox ORDER BY id')) as {
      last_error: string;
    }[];
    expect(errors.map((e) => e.last_error)).toEqual(['chart store is down', 'chart store is down']);
    expect(await stored()).toEqual([]);

    t = T0 + 1000;
    expect(await d.runOnce()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const [row] = await stored();
    const url = expectedUrl(row.id, t + WEEK);
    expect(byRecipient()).toEqual([
      { recipient: 'a1', link: url, again: url },
      { recipient: 'a2', link: url, again: url },
    ]);
    expect(linkCalls).toHaveLength(2);
  });
});
