// Questions through the shared bot (createAssistant), on both engines: exact commands unchanged, questions answered as their intents are, follow-ups per conversation for 10 minutes, asking back, privacy.
import { createAssistant } from '../../commands/assistant';
import { createAnswerRegistry } from '../../commands/answers/registry';
import { FOLLOW_UP_MS, OFFTOPIC_TEXT } from '../../commands/natural';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import type { Intent } from '../../src/nlu/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { NOW, room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.map((x) => (x.kind === 'text' ? x.text : `[${x.kind}] ${x.alt}`));

describeEachEngine('questions through the bot', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let clock: number;
  let ask: (
    text: string,
    caller: Caller,
    r?: RoomContext | null,
    conversation?: string,
  ) => Promise<string[]>;
  /** What the answer of `intent` says, asked directly (the same read models, no parsing). */
  let direct: (intent: Intent, caller: Caller, r?: RoomContext | null) => Promise<string[]>;

  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });
  beforeEach(() => {
    clock = NOW;
    t = testDeps(db().ds);
    t.deps.now = () => clock;
    const bot = createAssistant(t.deps);
    const answers = createAnswerRegistry();
    ask = async (text, caller, r = null, conversation = `test:${caller.login}`) =>
      texts(await bot.handle(text, caller, r, { conversation }));
    direct = async (intent, caller, r = null) =>
      texts(await answers.answer(intent, { caller, args: '', room: r, deps: t.deps }));
  });

  it('keeps every exact command exactly as the command router answers it', async () => {
    const plain = createCommandRouter(createCommandRegistry(), t.deps);
    for (const q of [
      '昨日 bj01',
      '状态 BJ01',
      '告警',
      '报表 BJ01 3',
      '局点',
      '状态BJ01',
      'cpu app01',
    ])
      expect([q, await ask(q, s.li)]).toEqual([q, texts(await plain.handle(q, s.li, null))]);
  });

  it('answers a question with what its intent is answered with, and a follow-up in the same conversation', async () => {
    expect(await ask('北京一号昨天开户多少', s.li)).toEqual(
      await direct(
        {
          kind: 'figures',
          sites: ['BJ01'],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-11-24' },
        },
        s.li,
      ),
    );
    // 前天呢: the same question for the day before.
    expect(await ask('前天呢', s.li)).toEqual(
      await direct(
        {
          kind: 'figures',
          sites: ['BJ01'],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-11-23' },
        },
        s.li,
      ),
    );
    // 换成退订: the figure changed.
    expect(await ask('换成退订', s.li)).toEqual(
      await direct(
        {
          kind: 'figures',
          sites: ['BJ01'],
          figures: ['closes'],
          time: { kind: 'day', day: '2026-11-23' },
        },
        s.li,
      ),
    );
    // Another conversation (the same person in a room) has no previous question.
    const r = room('北京运维', s.sites.bj01);
    expect(await ask('前天呢', s.li, r, 'test:room:li')).toEqual(
      await ask('前天呢', s.li, r, 'test:room2:li'),
    );
  });

  it('reads a command word run into other words as a question, and with a plain argument as the command', async () => {
    const plain = createCommandRouter(createCommandRegistry(), t.deps);
    expect(await ask('告警最近一周', s.li, null, 'a')).toEqual(
      await ask('最近一周的告警', s.li, null, 'b'),
    );
    expect(await ask('告警最近一周', s.li)).not.toEqual(
      texts(await plain.handle('告警最近一周', s.li, null)),
    );
    for (const q of ['状态BJ01', '告警SH01', 'cpu app01 6'])
      expect([q, await ask(q, s.li)]).toEqual([q, texts(await plain.handle(q, s.li, null))]);
  });

  it('asks back when unsure, and answers the reading on a yes', async () => {
    // A typo of 北京一号's code: asked back, not guessed.
    const back = await ask('BJ0l昨天开户多少', s.li);
    expect(back).toEqual(['您是想问：BJ01 北京一号 2026-11-24 开通？回复“是”即可。']);
    expect(await ask('是', s.li)).toEqual(
      await direct(
        {
          kind: 'figures',
          sites: ['BJ01'],
          figures: ['opens'],
          time: { kind: 'day', day: '2026-11-24' },
        },
        s.li,
      ),
    );
  });

  it('reads the letters of a numbered code as the one site they start, and lists them when several', async () => {
    const all = ['opens', 'closes', 'totalUsers', 'calls', 'pushes', 'mo', 'mt'] as const;
    const day = (d: string, site: string): Intent => ({
      kind: 'figures',
      sites: [site],
      figures: [...all],
      time: { kind: 'day', day: d },
    });
    expect(await ask('前天 BJ', s.li, null, 'a')).toEqual(
      await direct(day('2026-11-23', 'BJ01'), s.li),
    );
    expect(await ask('11月20日 BJ', s.li, null, 'b')).toEqual(
      await direct(day('2026-11-20', 'BJ01'), s.li),
    );
    expect(await ask('前天 BJ', s.wang, null, 'c')).toEqual(
      await direct(day('2026-11-23', 'BJ02'), s.wang),
    );
    expect(await ask('前天 BJ', s.admin, null, 'd')).toEqual([
      '“bj”对应多个：BJ01 北京一号、BJ02 北京二号，请说得更具体些。',
    ]);
  });

  it('forgets the last question after 10 minutes', async () => {
    await ask('北京一号昨天开户多少', s.li);
    clock = NOW + FOLLOW_UP_MS - 1;
    const soon = await ask('前天呢', s.li);
    expect(soon[0]).toContain('2026-11-23');
    clock = NOW + 2 * FOLLOW_UP_MS + 1;
    const late = await ask('前天呢', s.li);
    expect(late).not.toEqual(soon);
  });

  it('gives the short help to a message that names nothing it knows', async () => {
    expect(await ask('今天天气怎么样', s.li)).toEqual([OFFTOPIC_TEXT]);
    expect(await ask('foo', s.li)).toEqual([OFFTOPIC_TEXT]);
    expect(OFFTOPIC_TEXT).toBe(
      '我可以回答局点的业务数据、状态、告警和服务器的问题，例如：北京昨天开户多少、上周北京的业务、北京和上海昨天对比、北京状态怎么样。发送“帮助”查看全部。',
    );
    expect(t.logs.filter((l) => l.msg === 'command refused')).toEqual([]);
  });

  it('answers about another user’s site exactly as about a made-up name', async () => {
    // wang sees BJ02 北京二号 only: BJ01 北京一号, SH01 上海移动 are unknown words to him. Each made-up
    // name stands to his own names as the hidden one does (BJ03 is as near BJ02 as BJ01).
    for (const [theirs, madeUp] of [
      ['上海移动昨天开户多少', '上海联通昨天开户多少'],
      ['BJ01 状态怎么样', 'BJ03 状态怎么样'],
      ['上海移动有没有告警', '冥王星有没有告警'],
      ['SH01昨天开户', 'QZ77昨天开户'],
    ])
      expect([theirs, await ask(theirs, s.wang)]).toEqual([theirs, await ask(madeUp, s.wang)]);
  });

  it('announces a chart before drawing it, for a question whose answer has one', async () => {
    const bot = createAssistant(t.deps);
    const said: string[] = [];
    await bot.handle('最近3天北京一号开户趋势', s.li, null, {
      conversation: 'c1',
      working: () => said.push('working'),
    });
    await bot.handle('北京一号昨天开户多少', s.li, null, {
      conversation: 'c2',
      working: () => said.push('working 2'),
    });
    expect(said).toEqual(['working']);
  });
});
