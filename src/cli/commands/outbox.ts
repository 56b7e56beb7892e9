// `sitewatch outbox …`: the notification queue: what waits, what failed and why, and putting failed messages back.
import { Option, type Command } from 'commander';
import { In, type DataSource } from 'typeorm';
import { Site, type OutboxStatus } from '../../../entities';
import { SitewatchError } from '../../errors';
import {
  type OutboxRow,
  getOutboxMessage,
  listOutbox,
  outboxCounts,
  retryMessage,
} from '../../outbox/store';
import { chatSeen } from '../../queries/recipients';
import { formatInstant } from '../../time';
import { table } from '../io';
import type { CliContext } from '../context';
import { positiveInt } from './alarm';

const STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];
/** Without --status, the listing order: what needs a person first. */
const LIST_ORDER: OutboxStatus[] = ['failed', 'pending', 'sending', 'sent'];
/** listOutbox's largest page. */
const PAGE = 10_000;

const oneLine = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

async function siteId(ds: DataSource, code: string | undefined): Promise<number | undefined> {
  if (code === undefined) return undefined;
  const s = await ds.getRepository(Site).findOne({ where: { code } });
  if (!s) throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
  return s.id;
}

export function registerOutbox(program: Command, ctx: CliContext): void {
  const outbox = program
    .command('outbox')
    .description(
      'notifications queued, sent and failed (default: list; times in the configured zone)',
    );
  const at = (ms: number | null) => (ms === null ? '-' : formatInstant(ms, ctx.config().timezone));
  const siteCodes = async (ds: DataSource, rows: OutboxRow[]) => {
    const ids = [...new Set(rows.flatMap((r) => (r.siteId === null ? [] : [r.siteId])))];
    const sites = ids.length ? await ds.getRepository(Site).find({ where: { id: In(ids) } }) : [];
    return new Map(sites.map((s) => [s.id, s.code]));
  };

  outbox
    .command('list', { isDefault: true })
    .description(
      'messages: without --status failed ones first, then pending, sending and sent, newest first within each',
    )
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--channel <name>', 'only this channel (email, wechat, wecom…)')
    .option('--site <site_id>', 'only this site')
    .option('--limit <N>', 'at most N messages', '50')
    .action((o: { status?: OutboxStatus; channel?: string; site?: string; limit: string }) =>
      ctx.withDb(async (ds) => {
        const limit = Math.min(positiveInt(o.limit, '--limit'), PAGE);
        const filter = { channel: o.channel, siteId: await siteId(ds, o.site) };
        const rows: OutboxRow[] = [];
        for (const status of o.status ? [o.status] : LIST_ORDER) {
          if (rows.length >= limit) break;
          rows.push(...(await listOutbox(ds, { ...filter, status, limit: limit - rows.length })));
        }
        if (rows.length === 0) return void ctx.out('No messages.\n');
        const codes = await siteCodes(ds, rows);
        ctx.out(
          table([
            [
              'ID',
              'CHANNEL',
              'RECIPIENT',
              'KIND',
              'SITE',
              'STATUS',
              'ATTEMPTS',
              'NEXT TRY',
              'LAST ERROR',
            ],
            ...rows.map((r) => [
              r.id,
              r.channel,
              r.recipient,
              r.kind,
              r.siteId === null ? '-' : (codes.get(r.siteId) ?? `#${r.siteId}`),
              r.status,
              r.attempts,
              r.status === 'pending' ? at(r.nextTryAt) : '-',
              r.lastError ? oneLine(r.lastError, 80) : '-',
            ]),
          ]),
        );
        const failed = rows.filter((r) => r.status === 'failed').length;
        if (failed > 0)
          ctx.out(
            `${failed} message(s) above failed for good; after fixing the cause: sitewatch outbox retry <id> | --failed\n`,
          );
      }),
    );

  outbox
    .command('show <id>')
    .description('one message with its payload')
    .action((idArg: string) =>
      ctx.withDb(async (ds) => {
        const id = positiveInt(idArg, 'Message id');
        const m = await getOutboxMessage(ds, id);
        if (!m) throw new SitewatchError('NOT_FOUND', `No outbox message #${id}.`);
        const site =
          m.siteId === null
            ? null
            : await ds.getRepository(Site).findOne({ where: { id: m.siteId } });
        const note = await wecomChatNote(ds, m.channel, m.recipient);
        let payload: string;
        try {
          payload = JSON.stringify(JSON.parse(m.payload), null, 2);
        } catch {
          payload = m.payload;
        }
        ctx.out(
          table([
            ['message:', `#${m.id}`],
            ['channel:', m.channel],
            ['recipient:', m.recipient],
            ['kind:', m.kind],
            [
              'site:',
              site ? `${site.code} (${site.name})` : m.siteId === null ? '-' : `#${m.siteId}`,
            ],
            ['status:', m.status],
            ['attempts:', m.attempts],
            ['parts sent:', m.partsSent],
            ['next try:', m.status === 'pending' ? at(m.nextTryAt) : '-'],
            ['created:', at(m.createdAt)],
            ['sent:', at(m.sentAt)],
            ['last error:', m.lastError ?? '-'],
            ...(note ? [['note:', note] as [string, string]] : []),
          ]) + `payload:\n${payload}\n`,
        );
      }),
    );

  outbox
    .command('retry [id]')
    .description('put a failed message (or with --failed every failed one) back in the queue now')
    .option('--failed', 'every failed message')
    .option('--channel <name>', 'with --failed: only this channel')
    .action((idArg: string | undefined, o: { failed?: boolean; channel?: string }) =>
      ctx.withDb(async (ds) => {
        if ((idArg === undefined) === !o.failed)
          throw new SitewatchError('USAGE', 'Give a message id or --failed (not both).');
        if (o.channel && !o.failed)
          throw new SitewatchError('USAGE', '--channel goes with --failed only.');
        const now = Date.now();
        if (idArg !== undefined) {
          const id = positiveInt(idArg, 'Message id');
          const m = await getOutboxMessage(ds, id);
          if (!m) throw new SitewatchError('NOT_FOUND', `No outbox message #${id}.`);
          if (!(await retryMessage(ds, id, now)))
            throw new SitewatchError(
              'CONFLICT',
              `Message #${id} is ${m.status}; only failed or pending messages can be retried.`,
            );
          return void ctx.out(`Message #${id} (${m.status}) is queued to be sent now.\n`);
        }
        let queued = 0;
        for (;;) {
          const rows = await listOutbox(ds, { status: 'failed', channel: o.channel, limit: PAGE });
          let batch = 0;
          for (const r of rows) if (await retryMessage(ds, r.id, now)) batch++;
          queued += batch;
          if (rows.length < PAGE || batch === 0) break;
        }
        ctx.out(
          queued === 0
            ? 'No failed messages.\n'
            : `${queued} failed message(s) queued to be sent now.\n`,
        );
      }),
    );

  outbox
    .command('stats')
    .description('number of messages per status')
    .action(() =>
      ctx.withDb(async (ds) => {
        const counts = await outboxCounts(ds);
        ctx.out(table([['STATUS', 'COUNT'], ...STATUSES.map((s) => [s, counts[s]])]));
      }),
    );
}

/**
 * For a WeCom robot message to a chat that never talked to the robot: WeCom refuses pushes to it
 * (its rule), so the message waits or fails until someone @-mentions the robot there.
 */
async function wecomChatNote(
  ds: DataSource,
  channel: string,
  recipient: string,
): Promise<string | null> {
  if (channel !== 'wecom-bot' || !recipient.startsWith('room:')) return null;
  const chatId = recipient.slice('room:'.length);
  if (await chatSeen(ds.manager, 'wecom', chatId)) return null;
  return `WeCom chat ${chatId} has never talked to the robot; WeCom lets a robot push only to chats that did: @-mention the robot there once, then sitewatch outbox retry <id>`;
}
