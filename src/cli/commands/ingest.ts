// `sitewatch ingest`: fetch now, with per-file counts; alarms go through the notifier as in the hub, and what it queued is sent or left for a hub.
import { type Command, Option } from 'commander';
import type { DataSource } from 'typeorm';
import { loadAlarmDict } from '../../../config/alarm-dict';
import { type AlarmPath, type CheckOutcome, createAlarmPath } from '../../alarm-path';
import { createLeases, defaultHubId } from '../../cluster/leases';
import { SitewatchError } from '../../errors';
import { summarize } from '../../ingest/ingest-service';
import { configuredChannels } from '../../notify/channels/registry';
import type { SweepResult } from '../../notify/dispatcher';
import { createChartRenderer } from '../../render/chart-renderer';
import { isDayKey } from '../../time';
import { EXIT, Exit, type CliContext } from '../context';
import { table } from '../io';

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('fetch and store new lines of the site files now')
    .option('--site <site_id>', 'only this site')
    .addOption(new Option('--date <YYYYmmdd>', 'exactly this day').conflicts('days'))
    .addOption(new Option('--days <N>', 'the last N days including today').conflicts('date'))
    .option('--no-send', 'queue the notifications for a running hub instead of sending them now')
    .option('--no-checks', "skip Sitewatch's own checks (missing files, silent servers…)")
    .action(
      (o: { site?: string; date?: string; days?: string; send: boolean; checks: boolean }) => {
        if (o.date !== undefined && !isDayKey(o.date))
          throw new SitewatchError('USAGE', `--date "${o.date}" is not a day written as YYYYmmdd.`);
        const days = o.days === undefined ? undefined : Number(o.days);
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 366)) {
          throw new SitewatchError(
            'USAGE',
            `--days "${o.days}" must be a whole number from 1 to 366.`,
          );
        }
        return ctx.withDb(async (ds) => {
          const cfg = ctx.config();
          const log = ctx.log({ quiet: true });
          const leases = createLeases({
            ds,
            owner: cfg.cluster.hubId ?? defaultHubId(),
            ttlMs: cfg.cluster.leaseMs,
          });
          // Notices carry a chart; the pool is started only when this command sends.
          const renderer = o.send ? createChartRenderer({ ...cfg.charts, log }) : null;
          // No bot runs here: WeChat notices are queued (when the bot is enabled) for a hub that has it.
          const path = createAlarmPath({
            ds,
            config: cfg,
            log,
            dict: loadAlarmDict(cfg.alarms.dictPath),
            leases,
            recipients: configuredChannels(cfg),
            chatSenders: {},
            renderer,
            now: Date.now,
            siteLeases: false,
          });
          try {
            await ingestAndNotify(ctx, ds, path, o, days);
          } finally {
            for (const c of path.notifications.channels.list()) await c.close?.();
            await renderer?.close();
          }
        });
      },
    );
}

async function ingestAndNotify(
  ctx: CliContext,
  ds: DataSource,
  path: AlarmPath,
  o: { site?: string; date?: string; send: boolean; checks: boolean },
  days: number | undefined,
): Promise<void> {
  const results = await path.ingest.run({ site: o.site, date: o.date, days });
  if (results.length === 0) return void ctx.out('No enabled sites.\n');
  const rows: (string | number)[][] = [
    [
      'SITE',
      'FILE',
      'OUTCOME',
      'LINES',
      'INSERTED',
      'DUPLICATE',
      'UPDATED',
      'QUARANTINED',
      'BYTES',
    ],
  ];
  let missing = 0;
  for (const r of results) {
    for (const f of r.files) {
      if (f.outcome === 'missing') {
        missing++;
        continue;
      }
      rows.push([
        r.site,
        f.file,
        f.outcome + (f.resets ? ` (reset ${f.resets})` : ''),
        f.lines,
        f.inserted,
        f.duplicate,
        f.updated,
        f.quarantined,
        f.bytes,
      ]);
    }
  }
  if (rows.length > 1) ctx.out(table(rows));
  if (missing > 0) ctx.out(`${missing} file(s) not published yet (404).\n`);
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) ctx.out(`${r.site}: FAILED ${r.error}\n`);
  const t = summarize(results.flatMap((r) => r.files));
  ctx.out(
    `Total: ${results.length} site(s), ${failed.length} failed; lines ${t.lines}, inserted ${t.inserted}, duplicate ${t.duplicate}, updated ${t.updated}, quarantined ${t.quarantined}, bytes ${t.bytes}\n`,
  );
  const alarms = path.counts();
  ctx.out(
    `Alarms: ${alarms.raised} raised, ${alarms.resolved} resolved (notifications queued with them).\n`,
  );
  const checks: CheckOutcome | null = o.checks ? await path.notifications.checks() : null;
  ctx.out(`${checksLine(checks)}\n`);
  const here = path.notifications.channels.list().map((c) => c.name);
  const sent = o.send && here.length > 0 ? await path.notifications.dispatcher.runOnce() : null;
  ctx.out(`${notificationsLine(o.send, here, sent, await unsentByChannel(ds))}\n`);
  if (failed.length > 0) throw new Exit(EXIT.partial);
}

function checksLine(c: CheckOutcome | null): string {
  if (c === null) return "Sitewatch's own checks: not run (--no-checks).";
  if (!c.ran)
    return `Sitewatch's own checks: not run here, hub ${c.holder ? `"${c.holder}"` : 'another hub'} is running them now.`;
  return `Sitewatch's own checks: ${c.raised} raised, ${c.resolved} resolved, ${c.stale} alarm(s) gone stale.`;
}

async function unsentByChannel(ds: DataSource): Promise<Map<string, number>> {
  const rows = (await ds.query(
    "SELECT channel, COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending') GROUP BY channel ORDER BY channel",
  )) as { channel: string; n: number | string }[];
  return new Map(rows.map((r) => [r.channel, Number(r.n)]));
}

/** What was sent now and what waits for a hub: a channel this command lacks is sent by a hub that has it. */
function notificationsLine(
  send: boolean,
  here: string[],
  sent: SweepResult | null,
  unsent: Map<string, number>,
): string {
  const list = (m: [string, number][]) => m.map(([c, n]) => `${c} ${n}`).join(', ');
  const total = (m: [string, number][]) => m.reduce((t, [, n]) => t + n, 0);
  const all = [...unsent];
  if (!send)
    return all.length === 0
      ? 'Notifications: not sent (--no-send); none waiting.'
      : `Notifications: not sent (--no-send); ${total(all)} wait in the outbox for a running hub (${list(all)}).`;
  const mine = all.filter(([c]) => here.includes(c));
  const hubs = all.filter(([c]) => !here.includes(c));
  const parts = [
    here.length === 0
      ? 'none sent here (no email or WeCom channel is configured)'
      : `${sent?.sent ?? 0} sent (${here.join(', ')}), ${sent?.retrying ?? 0} to retry, ${sent?.failed ?? 0} failed`,
  ];
  if (mine.length > 0) parts.push(`${total(mine)} due later (${list(mine)})`);
  if (hubs.length > 0)
    parts.push(
      `${total(hubs)} left for a running hub (${list(hubs)}${hubs.some(([c]) => c === 'wechat') ? ': WeChat is sent by the hub that runs the bot' : ''})`,
    );
  return `Notifications: ${parts.join('; ')}.`;
}
