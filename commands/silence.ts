// Command "静默" (silence): mute a site's alarms (all, or one alarm name) for a while; without arguments, list the silences in force.
import type { Site } from '../entities';
import {
  MAX_ALARM_NAME_LENGTH,
  MAX_SILENCE_MINUTES,
  SilenceInputError,
  type SilenceRule,
  listSilences,
  parseDuration,
  silenceSite,
  unitMinutes,
} from '../src/alarms/silences';
import { duration, siteLabel, siteZone } from '../src/present/format';
import { formatInstant } from '../src/time';
import { refuse, requestSites, resolveSite } from './access';
import { NUMBER_PATTERN, looksNumeric, parseWhole } from './numbers';
import { text } from './reply';
import type { Command, CommandContext, Reply } from './types';

export const SILENCE_USAGE = `用法：静默 <局点> <时长> [告警名]，时长如 30m、2h、1d、90分钟、2小时、1天（最长 ${MAX_SILENCE_MINUTES / 1440} 天）；不写告警名则静默该局点的全部告警。`;
export const SILENCE_RANGE = `静默时长应在 1 分钟到 ${MAX_SILENCE_MINUTES / 1440} 天之间。`;

/** The chat's words for each rule the silences domain enforces. */
const RULE_REPLIES: Record<SilenceRule, { reason: string; reply: string }> = {
  duration: { reason: 'duration out of range', reply: SILENCE_RANGE },
  'alarm-name': {
    reason: 'alarm name too long',
    reply: `告警名最多 ${MAX_ALARM_NAME_LENGTH} 个字符。`,
  },
};

/** 'MM-DD HH:MM' in `tz`. */
export function shortWhen(ms: number, tz: string): string {
  return formatInstant(ms, tz).slice(5);
}

/** What a silence covers: '北京一号（BJ01）的 DISK_FULL 告警' or '北京一号（BJ01）的全部告警'. */
export function silenceTarget(site: Pick<Site, 'code' | 'name'>, alarmName: string | null): string {
  return `${siteLabel(site)}的${alarmName === null ? '全部告警' : ` ${alarmName} 告警`}`;
}

/**
 * A numbered argument such as '12' or '#12'; 'bad' for a number that cannot be an id ('0',
 * '-5', '1.5'); null when it is not a number at all.
 */
export function parseIdArg(arg: string): number | 'bad' | null {
  return parseWhole(arg.trim().replace(/^#/, ''), 1, Number.MAX_SAFE_INTEGER);
}

const DURATION_PART = new RegExp(`(${NUMBER_PATTERN})\\s*([a-z\\u4e00-\\u9fff]+)`, 'iy');

/**
 * Minutes in a duration token; 'bad' when it is written like one but a count is not a whole
 * number that fits ('-5m', '1.5h', '1e309h'); null when it is no duration.
 */
function durationArg(token: string): number | 'bad' | null {
  const minutes = parseDuration(token);
  if (minutes !== null) return minutes;
  let at = 0;
  let whole = true;
  while (at < token.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(token);
    if (!m || unitMinutes(m[2]) === null) return null;
    if (parseWhole(m[1], 0, MAX_SILENCE_MINUTES) === 'bad') whole = false;
    at = DURATION_PART.lastIndex;
  }
  return whole ? null : 'bad';
}

interface Parsed {
  site: string;
  minutes: number | 'bad';
  name: string | null;
}

/**
 * '<site…> <duration> [name…]': the first token that is a duration splits the site from the
 * alarm name ('2 小时' written apart counts too, after the site).
 */
function parseArgs(args: string): Parsed | null {
  const t = args.split(' ').filter(Boolean);
  for (let i = 0; i < t.length; i++) {
    let minutes = durationArg(t[i]);
    let used = 1;
    if (minutes === null && i > 0 && looksNumeric(t[i]) && i + 1 < t.length) {
      minutes = durationArg(t[i] + t[i + 1]);
      used = 2;
    }
    if (minutes === null) continue;
    const name = t.slice(i + used).join(' ');
    return { site: t.slice(0, i).join(' '), minutes, name: name === '' ? null : name };
  }
  return null;
}

async function listing(ctx: CommandContext): Promise<Reply[]> {
  const { deps } = ctx;
  const sites = await requestSites(ctx);
  const now = deps.now();
  const found = await listSilences(
    deps.ds,
    sites.map((s) => s.id),
    now,
  );
  if (found.length === 0) return [text(`当前没有静默。\n${SILENCE_USAGE}`)];
  const byId = new Map(sites.map((s) => [s.id, s]));
  const lines = found.map((s) => {
    const site = byId.get(s.siteId)!;
    const tz = siteZone(site, deps.config);
    return `#${s.id} ${silenceTarget(site, s.alarmName)}，至 ${shortWhen(s.endsAt, tz)}（${s.createdByName}）`;
  });
  return [text(`当前静默 ${found.length} 条：\n${lines.join('\n')}\n解除：解除静默 <静默编号>`)];
}

export const silenceCommand: Command = {
  name: '静默',
  aliases: ['silence'],
  usage: '静默 <局点> <时长> [告警名]',
  summary: `一段时间内（最长 ${MAX_SILENCE_MINUTES / 1440} 天）不推送、不提醒局点的告警，或只其中一个告警名；不写参数则列出当前静默。`,
  examples: ['静默 BJ01 2小时', '静默 BJ01 30m DISK_FULL', '静默'],
  async run(ctx) {
    if (ctx.args.trim() === '') return listing(ctx);
    const p = parseArgs(ctx.args);
    if (!p) return refuse(ctx, '静默', 'bad duration', SILENCE_USAGE);
    const { minutes } = p;
    if (minutes === 'bad' || minutes < 1 || minutes > MAX_SILENCE_MINUTES) {
      return refuse(ctx, '静默', 'duration out of range', SILENCE_RANGE);
    }
    const r = await resolveSite(ctx, '静默', p.site);
    if (!r.ok) return r.replies;
    const s = await silenceSite(ctx.deps.ds, {
      userId: ctx.caller.userId,
      siteId: r.site.id,
      minutes,
      alarmName: p.name,
      now: ctx.deps.now(),
    }).catch((err: unknown) => {
      if (err instanceof SilenceInputError) return err;
      throw err;
    });
    if (s instanceof SilenceInputError) {
      const { reason, reply } = RULE_REPLIES[s.rule];
      return refuse(ctx, '静默', reason, reply);
    }
    const tz = siteZone(r.site, ctx.deps.config);
    return [
      text(
        `已静默${silenceTarget(r.site, s.alarmName)} ${duration(minutes * 60_000)}，至 ${shortWhen(s.endsAt, tz)}（静默编号 ${s.id}）。`,
      ),
    ];
  },
};
