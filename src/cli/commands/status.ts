// `sitewatch status`: every hub's chat transports and every notification channel, from the database; exit 1 when a configured transport cannot send or a message failed.
import type { Command } from 'commander';
import { createTransportRegistry } from '../../chat-transports';
import { canSend } from '../../chat/transport';
import { channelDefinitions, configuredChannels } from '../../notify/channels/registry';
import {
  type HubStatus,
  type StatusProblem,
  hubStatus,
  statusProblems,
} from '../../queries/hub-status';
import { formatInstant } from '../../time';
import { EXIT, Exit, type CliContext } from '../context';
import { table } from '../io';

/** An age in plain words: '8 s', '12 min', '2 h 5 min', '3 d 4 h'. */
function age(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const oneLine = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** 'a', 'a and b', 'a, b and c'. */
function words(list: string[]): string {
  return list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

function problemText(p: StatusProblem): string {
  switch (p.kind) {
    case 'unreported':
      return `no hub reports ${p.transport}`;
    case 'cannot-send':
      return `${p.transport} cannot send (${p.hubs.map((h) => `${h.hub} ${h.stale ? 'stale' : h.state}`).join(', ')})`;
    case 'failed':
      return `${p.failed} failed ${p.channel} message(s)`;
  }
}

/** The one line that says whether all is well, and if not, why. */
function summaryLine(expected: string[], problems: StatusProblem[]): string {
  if (problems.length > 0) return `Not OK: ${problems.map(problemText).join('; ')}.`;
  const transports =
    expected.length === 0 ? 'no chat transport is configured' : `${words(expected)} can send`;
  return `OK: ${transports}; no failed messages.`;
}

function render(s: HubStatus, expected: string[], tz: string): string {
  const at = (ms: number | null) => (ms === null ? '-' : formatInstant(ms, tz));
  const rows: (string | number)[][] = s.transports.map((r) => [
    r.transport,
    r.hub,
    r.state,
    at(r.since),
    r.holder ?? '-',
    at(r.lastMessageAt),
    r.queueLength,
    r.restarts,
    `${age(s.now - r.updatedAt)} ago${r.stale ? ', stale' : ''}`,
  ]);
  for (const t of expected)
    if (!s.transports.some((r) => r.transport === t))
      rows.push([t, '-', 'not reported', '-', '-', '-', '-', '-', 'never']);
  const transports =
    rows.length === 0
      ? 'No chat transport is configured or reported.\n'
      : table([
          [
            'TRANSPORT',
            'HUB',
            'STATE',
            'SINCE',
            'HOLDER',
            'LAST MESSAGE',
            'QUEUE',
            'RESTARTS',
            'REPORTED',
          ],
          ...rows,
        ]);
  const channels = table([
    [
      'CHANNEL',
      'CONFIGURED',
      'PENDING',
      'SENDING',
      'FAILED',
      'SENT 24H',
      'OLDEST PENDING',
      'LAST ERROR',
    ],
    ...s.channels.map((c) => [
      c.name,
      c.configured ? 'yes' : 'no',
      c.pending,
      c.sending,
      c.failed,
      c.sent24h,
      c.oldestPendingAt === null ? '-' : age(s.now - c.oldestPendingAt),
      c.lastError === null ? '-' : oneLine(c.lastError, 80),
    ]),
  ]);
  return `Transports (times in ${tz}):\n${transports}\nChannels:\n${channels}`;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      "health of every hub's chat transports and of the notification channels; exit 1 when a configured transport cannot send or a message failed",
    )
    .option('--json', 'print the status as JSON')
    .action((o: { json?: boolean }) =>
      ctx.withDb(async (ds) => {
        const config = ctx.config();
        const tz = config.timezone;
        const configured = new Set(configuredChannels(config).map((c) => c.name));
        const expected = createTransportRegistry()
          .list()
          .filter((k) => k.inHub(config, undefined))
          .map((k) => k.name);
        const s = await hubStatus(ds, {
          now: Date.now(),
          channels: channelDefinitions.map((d) => ({
            name: d.name,
            configured: configured.has(d.name),
          })),
        });
        const problems = statusProblems(s, { transports: expected, canSend });
        const summary = summaryLine(expected, problems);
        if (o.json)
          ctx.out(
            `${JSON.stringify(
              {
                ok: problems.length === 0,
                summary,
                now: s.now,
                timezone: tz,
                expectedTransports: expected,
                transports: s.transports,
                channels: s.channels,
                problems,
              },
              null,
              2,
            )}\n`,
          );
        else ctx.out(`${render(s, expected, tz)}${summary}\n`);
        if (problems.length > 0) throw new Exit(EXIT.partial);
      }),
    );
}
