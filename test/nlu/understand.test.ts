// understand's behaviour beyond single phrasings: conversations of follow-ups, unsure and ambiguous readings, what is off-topic, site zones, and privacy (a hidden site reads like a made-up one).
import { buildLexicon } from '../../src/nlu/lexicon';
import type { LexiconSource } from '../../src/queries/lexicon';
import {
  DEFAULT_RANGE_DAYS,
  DEFAULT_RANK_LIMIT,
  MAX_RANK_LIMIT,
  understand,
} from '../../src/nlu/understand';
import { FIGURES, type Intent, type Understanding } from '../../src/nlu/types';
import { CORPUS_NOW, CORPUS_SOURCE, CORPUS_TZ } from './corpus';

const lexicon = buildLexicon(CORPUS_SOURCE);
const ask = (text: string, previous: Intent | null = null, lex = lexicon) =>
  understand(text, { lexicon: lex, now: CORPUS_NOW, tz: CORPUS_TZ, previous });

function sure(u: Understanding): Intent {
  if (u.kind !== 'sure') throw new Error(`expected a sure reading, got ${JSON.stringify(u)}`);
  return u.intent;
}

/** A conversation: each question with the previous one's (sure) intent. */
function talk(...texts: string[]): Understanding[] {
  let previous: Intent | null = null;
  return texts.map((t) => {
    const u = ask(t, previous);
    if (u.kind === 'sure') previous = u.intent;
    return u;
  });
}

/** The corpus catalog without the sites in `hide` (and their servers): what another scope sees. */
function without(...hide: string[]): LexiconSource {
  return {
    sites: CORPUS_SOURCE.sites.filter((s) => !hide.includes(s.code)),
    servers: CORPUS_SOURCE.servers.filter((v) => !hide.includes(v.siteCode)),
  };
}

describe('follow-ups', () => {
  it('carry the previous question on: another site, another day, a chart, a comparison', () => {
    expect(
      talk('广州昨天新增用户多少', '那深圳呢', '前天呢', '看看图', '比上周多还是少').map(sure),
    ).toEqual([
      {
        kind: 'figures',
        sites: ['GZ-CMCC'],
        figures: ['opens'],
        time: { kind: 'day', day: '2026-12-05' },
      },
      {
        kind: 'figures',
        sites: ['SZ-CMCC'],
        figures: ['opens'],
        time: { kind: 'day', day: '2026-12-05' },
      },
      {
        kind: 'figures',
        sites: ['SZ-CMCC'],
        figures: ['opens'],
        time: { kind: 'day', day: '2026-12-04' },
      },
      {
        kind: 'figures',
        sites: ['SZ-CMCC'],
        figures: ['opens'],
        time: { kind: 'days', from: '2026-11-28', to: '2026-12-04' },
      },
      {
        kind: 'compare',
        sites: ['SZ-CMCC'],
        figures: ['opens'],
        times: [
          { kind: 'days', from: '2026-11-28', to: '2026-12-04' },
          { kind: 'days', from: '2026-11-23', to: '2026-11-29' },
        ],
      },
    ]);
  });

  it('change a server question metric by metric, then its server', () => {
    expect(talk('gw01 怎么样了', 'CPU呢', '换成内存', '最近6小时呢', 'db01呢').map(sure)).toEqual([
      { kind: 'server', server: 6 },
      { kind: 'metric', metric: 'cpu', server: 6, time: null },
      { kind: 'metric', metric: 'mem', server: 6, time: null },
      {
        kind: 'metric',
        metric: 'mem',
        server: 6,
        time: { kind: 'hours', fromMs: CORPUS_NOW - 6 * 3_600_000, toMs: CORPUS_NOW },
      },
      {
        kind: 'metric',
        metric: 'mem',
        server: 3,
        time: { kind: 'hours', fromMs: CORPUS_NOW - 6 * 3_600_000, toMs: CORPUS_NOW },
      },
    ]);
  });

  it('take a bare site as the site of the previous question, and as its status without one', () => {
    const previous = sure(ask('北京昨天退订'));
    expect(ask('广州', previous)).toEqual(ask('广州昨天退订'));
    expect(ask('广州')).toEqual({ kind: 'sure', intent: { kind: 'status', sites: ['GZ-CMCC'] } });
    expect(ask('那广州呢')).toEqual({
      kind: 'sure',
      intent: { kind: 'status', sites: ['GZ-CMCC'] },
    });
  });

  it('leave the previous question when the text asks one of its own', () => {
    const previous = sure(ask('北京昨天退订'));
    expect(ask('上海有告警吗', previous)).toEqual(ask('上海有告警吗'));
    expect(ask('哪台服务器CPU最高', previous)).toEqual(ask('哪台服务器CPU最高'));
  });

  it('keep ranking questions ranking: another metric, the other order, more rows', () => {
    expect(talk('CPU最高的前5台', '内存呢', '最低的呢', '前8台呢', '北京呢').map(sure)).toEqual([
      {
        kind: 'ranking',
        target: { kind: 'metric', metric: 'cpu' },
        order: 'desc',
        limit: 5,
        sites: [],
        time: null,
      },
      {
        kind: 'ranking',
        target: { kind: 'metric', metric: 'mem' },
        order: 'desc',
        limit: 5,
        sites: [],
        time: null,
      },
      {
        kind: 'ranking',
        target: { kind: 'metric', metric: 'mem' },
        order: 'asc',
        limit: 5,
        sites: [],
        time: null,
      },
      {
        kind: 'ranking',
        target: { kind: 'metric', metric: 'mem' },
        order: 'asc',
        limit: 8,
        sites: [],
        time: null,
      },
      {
        kind: 'ranking',
        target: { kind: 'metric', metric: 'mem' },
        order: 'asc',
        limit: 8,
        sites: ['BJ-CMCC'],
        time: null,
      },
    ]);
  });

  it('offer both readings when a status question is given a past day', () => {
    expect(ask('前天呢', { kind: 'status', sites: ['SH-CMCC'] })).toEqual({
      kind: 'unsure',
      readings: [
        {
          kind: 'figures',
          sites: ['SH-CMCC'],
          figures: [...FIGURES],
          time: { kind: 'day', day: '2026-12-04' },
        },
        { kind: 'alarms', sites: ['SH-CMCC'], time: { kind: 'day', day: '2026-12-04' } },
      ],
    });
  });
});

describe('readings it is not sure of', () => {
  it('never calls a text off-topic when it names a figure, a metric, alarms or a site', () => {
    for (const text of [
      '火星昨天开户',
      '开户 哈哈哈哈',
      '北京天气怎么样',
      '内存是什么意思',
      '告警太多了烦死了',
      '北京到底咋回事儿',
      '哎呀上行',
    ]) {
      const u = ask(text);
      expect([text, u.kind]).toEqual([text, expect.stringMatching(/^(sure|unsure|ambiguous)$/)]);
    }
  });

  it('is never off-topic for any site name, part, code, server alias, figure or metric word', () => {
    const offtopic: string[] = [];
    for (const [term, e] of lexicon.entries) {
      const names = e.sites.length + e.servers.length > 0;
      const word = e.senses.some((x) => x.kind === 'figure' || x.kind === 'metric');
      if (!names && !word) continue;
      for (const text of [term, `呃呃呃 ${term} 咋回事儿`]) {
        if (ask(text).kind === 'offtopic') offtopic.push(text);
      }
    }
    expect(offtopic).toEqual([]);
  });

  it('gives its reading with the words it did not know set aside', () => {
    expect(ask('北京到底咋回事儿')).toEqual({
      kind: 'unsure',
      readings: [{ kind: 'status', sites: ['BJ-CMCC'] }],
    });
    expect(ask('告警太多了烦死了')).toEqual({
      kind: 'unsure',
      readings: [{ kind: 'alarms', sites: [], time: null }],
    });
  });

  it('reads a mistyped name as the names it is close to, closest first, at most three', () => {
    expect(ask('gw02 cpu')).toEqual({
      kind: 'unsure',
      readings: [{ kind: 'metric', metric: 'cpu', server: 6, time: null }],
    });
    // app09 is one letter from app01 (BJ, SH, GZ, LAX) and app02 (BJ): three readings only, app01's first.
    const u = ask('app09 cpu');
    expect(u.kind).toBe('unsure');
    expect(u.kind === 'unsure' && u.readings).toEqual([
      { kind: 'metric', metric: 'cpu', server: 1, time: null },
      { kind: 'metric', metric: 'cpu', server: 4, time: null },
      { kind: 'metric', metric: 'cpu', server: 7, time: null },
    ]);
  });

  it('guesses a mistyped two-character city only in a question about figures, metrics or alarms', () => {
    expect(ask('广洲昨天开户')).toEqual({
      kind: 'unsure',
      readings: [
        {
          kind: 'figures',
          sites: ['GZ-CMCC'],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-12-05' },
        },
      ],
    });
    // 天气 is one character from 天津: no guess without such a question.
    expect(ask('今天天气怎么样')).toEqual({ kind: 'offtopic' });
    expect(ask('广洲怎么样')).toEqual({ kind: 'offtopic' });
  });

  it('lists what an ambiguous word may name, and is sure once another word tells', () => {
    expect(ask('南京昨天开户')).toEqual({
      kind: 'ambiguous',
      word: '南京',
      candidates: [
        { kind: 'site', label: 'NJ-CMCC 南京移动' },
        { kind: 'site', label: 'NJ-CUCC 南京联通' },
      ],
    });
    expect(ask('app03 cpu')).toEqual({
      kind: 'ambiguous',
      word: 'app03',
      candidates: [
        { kind: 'server', label: 'NJ-CMCC-app03（10.2.1.1，NJ-CMCC）' },
        { kind: 'server', label: 'NJ-CUCC-app03（10.2.2.1，NJ-CUCC）' },
      ],
    });
    expect(sure(ask('南京联通 app03 cpu'))).toEqual({
      kind: 'metric',
      metric: 'cpu',
      server: 11,
      time: null,
    });
  });
});

describe('off-topic', () => {
  it.each(['你好', '谢谢', '哈哈', 'hello', '晚上吃什么', '明天会下雨吗', '', '   ', '。。。'])(
    '%j names nothing Sitewatch knows',
    (text) => {
      expect(ask(text)).toEqual({ kind: 'offtopic' });
    },
  );

  it('is decided on the text alone: a previous question does not make chatter a follow-up', () => {
    expect(ask('你好', sure(ask('北京昨天开户')))).toEqual({ kind: 'offtopic' });
  });
});

describe('times', () => {
  it('are the days of the one site named, else of the given zone', () => {
    // 10:30 in Shanghai is 18:30 the day before in Los Angeles.
    expect(sure(ask('洛杉矶昨天开户'))).toEqual({
      kind: 'figures',
      sites: ['LAX-ATT'],
      figures: ['opens'],
      time: { kind: 'day', day: '2026-12-04' },
    });
    expect(sure(ask('北京和洛杉矶昨天开户'))).toEqual({
      kind: 'compare',
      sites: ['BJ-CMCC', 'LAX-ATT'],
      figures: ['opens'],
      times: [{ kind: 'day', day: '2026-12-05' }],
    });
    // So are the days a question leaves out (yesterday there) and a trend's seven.
    expect(sure(ask('洛杉矶开户'))).toMatchObject({ time: { kind: 'day', day: '2026-12-04' } });
    expect(sure(ask('洛杉矶开户趋势'))).toMatchObject({
      time: { kind: 'days', from: '2026-11-29', to: '2026-12-05' },
    });
    // A server's site counts as named.
    expect(sure(ask('lax-att-app01 昨天 cpu'))).toEqual({
      kind: 'metric',
      metric: 'cpu',
      server: 13,
      time: { kind: 'day', day: '2026-12-04' },
    });
  });

  it('leave a reading unsure when a number with a time unit is no time expression', () => {
    expect(ask('11月北京开户')).toEqual({
      kind: 'unsure',
      readings: [
        {
          kind: 'figures',
          sites: ['BJ-CMCC'],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-12-05' },
        },
      ],
    });
  });

  it('give back the characters they took from a word after them (近3小时内 + 存)', () => {
    expect(sure(ask('db02 近3小时内存'))).toEqual({
      kind: 'metric',
      metric: 'mem',
      server: 5,
      time: { kind: 'hours', fromMs: CORPUS_NOW - 3 * 3_600_000, toMs: CORPUS_NOW },
    });
    // Where nothing follows, 内 stays with the time.
    expect(sure(ask('db02 内存 近3小时内'))).toEqual(sure(ask('db02 近3小时内存')));
  });

  it('default to yesterday for figures, the last seven days for trends and history', () => {
    expect(DEFAULT_RANGE_DAYS).toBe(7);
    expect(sure(ask('北京开户'))).toMatchObject({ time: { kind: 'day', day: '2026-12-05' } });
    expect(sure(ask('北京开户趋势'))).toMatchObject({
      time: { kind: 'days', from: '2026-11-30', to: '2026-12-06' },
    });
    expect(sure(ask('北京告警历史'))).toMatchObject({
      time: { kind: 'days', from: '2026-11-30', to: '2026-12-06' },
    });
  });
});

describe('rankings', () => {
  it('show the default number of rows, one for 哪台/哪个, and at most the maximum', () => {
    expect(DEFAULT_RANK_LIMIT).toBe(10);
    expect(sure(ask('磁盘最满的服务器'))).toMatchObject({ limit: DEFAULT_RANK_LIMIT });
    expect(sure(ask('哪台服务器磁盘最满'))).toMatchObject({ limit: 1 });
    expect(sure(ask('磁盘最满的前500台'))).toMatchObject({ limit: MAX_RANK_LIMIT });
    expect(sure(ask('哪一个局点昨天推送最少'))).toMatchObject({ order: 'asc', limit: 1 });
  });
});

describe('privacy', () => {
  // A scope that may not see 深圳 (SZ-CMCC with its server web01) or 洛杉矶 (LAX-ATT, its own zone).
  const hidden = buildLexicon(without('SZ-CMCC', 'LAX-ATT'));

  it('keeps no term, typo target or label of a site the scope may not see', () => {
    for (const [term, e] of hidden.entries) {
      expect([term, e.sites.filter((c) => c === 'SZ-CMCC' || c === 'LAX-ATT')]).toEqual([term, []]);
      expect([term, e.servers.filter((id) => id === 8 || id === 13)]).toEqual([term, []]);
    }
    expect(hidden.fuzzy('深圳移东', { short: true })).toEqual([]);
    expect(hidden.sites.has('SZ-CMCC')).toBe(false);
    expect(hidden.servers.has(8)).toBe(false);
  });

  it.each([
    ['深圳昨天开户', '火星昨天开户'],
    ['深圳移动昨天推送', '火星联合昨天推送'],
    ['sz 昨天开户', 'qq 昨天开户'],
    ['web01 cpu', 'qwe77 cpu'],
    ['10.1.4.1 磁盘', '10.7.7.7 磁盘'],
    ['深圳怎么样', '火星怎么样'],
    ['洛杉矶昨天开户', '火星昨天开户'],
  ])('reads %s like the made-up %s', (hiddenText, madeUp) => {
    const a = ask(hiddenText, null, hidden);
    expect(a).toEqual(ask(madeUp, null, hidden));
    // …while a scope that sees it reads the name.
    expect(ask(hiddenText)).not.toEqual(a);
  });

  it('does not let a hidden site move the days (its zone is not used)', () => {
    expect(ask('洛杉矶昨天开户', null, hidden)).toEqual({
      kind: 'unsure',
      readings: [
        {
          kind: 'figures',
          sites: [],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-12-05' },
        },
      ],
    });
  });

  it('does not carry a hidden name into a follow-up', () => {
    const previous = sure(ask('北京昨天开户', null, hidden));
    expect(ask('那深圳呢', previous, hidden)).toEqual(ask('那火星呢', previous, hidden));
  });
});

describe('other inputs', () => {
  it('reads full-width letters and digits, mentions and extra spaces', () => {
    expect(ask('@sitewatch   ＧＺ　昨日　注销')).toEqual(ask('GZ 昨日注销'));
    expect(ask('ａｐｐ０２　ＣＰＵ')).toEqual(ask('app02 cpu'));
  });

  it('answers help for a lone question mark, a question about a site for a site with one', () => {
    expect(ask('?')).toEqual({ kind: 'sure', intent: { kind: 'help' } });
    expect(ask('北京正常吗?')).toEqual({
      kind: 'sure',
      intent: { kind: 'status', sites: ['BJ-CMCC'] },
    });
  });

  it('reads exact commands too', () => {
    expect(sure(ask('昨日 BJ-CMCC'))).toEqual({
      kind: 'figures',
      sites: ['BJ-CMCC'],
      figures: [...FIGURES],
      time: { kind: 'day', day: '2026-12-05' },
    });
    expect(sure(ask('状态 上海'))).toEqual({ kind: 'status', sites: ['SH-CMCC'] });
    expect(sure(ask('告警'))).toEqual({ kind: 'alarms', sites: [], time: null });
    expect(sure(ask('cpu app02 6'))).toEqual({
      kind: 'metric',
      metric: 'cpu',
      server: 2,
      time: null,
    });
    expect(sure(ask('服务器 10.1.2.3'))).toEqual({ kind: 'server', server: 5 });
  });
});
