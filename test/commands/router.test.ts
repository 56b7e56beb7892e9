// Tests of the command router and registry: normalisation, unknown commands, admin-only refusals, errors turned into polite replies, unique words.
import { createCommandRegistry, baseCommands } from '../../commands/registry';
import { createCommandRouter, normaliseText } from '../../commands/router';
import { statusCommand } from '../../commands/status';
import type { Command } from '../../commands/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { captureLog } from '../helpers/log';
import { room, seed, testDeps, type Seeded } from './seed';

describe('normaliseText', () => {
  it('folds full-width forms, strips a mention and collapses spaces', () => {
    expect(normaliseText('＠机器人\u2005状态　ＢＪ０１  ')).toBe('状态 BJ01');
    expect(normaliseText('  @bot   cpu   app01   6 ')).toBe('cpu app01 6');
    expect(normaliseText('？')).toBe('?');
    expect(normaliseText('@bot')).toBe('');
  });
});

describe('command registry', () => {
  it('registers every command and rejects duplicate names or aliases', () => {
    const reg = createCommandRegistry();
    expect(reg.list().map((c) => c.name)).toEqual([
      '帮助',
      '局点',
      '状态',
      '昨日',
      '报表',
      '告警',
      '确认',
      '忽略',
      '静默',
      '解除静默',
      '服务器',
      'cpu',
      '内存',
      '磁盘',
      '订阅',
      '退订',
    ]);
    const clash: Command = { ...statusCommand, name: '状况', aliases: ['STATUS'] };
    expect(() => createCommandRegistry([...baseCommands, clash])).toThrow(
      'Duplicate command word "STATUS" (状态 and 状况).',
    );
    expect(() => createCommandRegistry([...baseCommands, statusCommand])).toThrow(
      'Duplicate command "状态" in the registry.',
    );
  });
});

describeEachEngine('command router', (db) => {
  let s: Seeded;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });

  it('matches command words case-insensitively, after a mention, with full-width text or no space', async () => {
    const t = testDeps(db().ds, { charts: false });
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    const expected = await router.handle('状态 BJ01', s.li, null);
    expect(expected[0].kind === 'text' && expected[0].text).toMatch(/^北京一号（BJ01）状态/);
    for (const q of [
      'STATUS bj01',
      '@Sitewatch\u2005状态 BJ01',
      '＠Ｓｉｔｅｗａｔｃｈ　状态　ｂｊ０１',
      '状态BJ01',
    ]) {
      expect(await router.handle(q, s.li, null)).toEqual(expected);
    }
  });

  it('answers an unknown command with a hint naming 帮助, and logs it', async () => {
    const t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    const hint = [{ kind: 'text', text: '没有这个命令。发送“帮助”查看可用命令。' }];
    expect(await router.handle('天气 北京', s.li, null)).toEqual(hint);
    expect(await router.handle('@bot', s.li, null)).toEqual(hint);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 40, login: 'li', room: null, text: '天气 北京' }),
    );
  });

  it('turns any error into one short polite reply and logs it', async () => {
    const t = testDeps(db().ds);
    const broken: Command = {
      name: '坏',
      aliases: ['broken'],
      usage: '坏',
      summary: '总是出错。',
      examples: [],
      async run() {
        throw new Error('ER_NO_SUCH_TABLE: secret internals at /srv/x.ts:1');
      },
    };
    const router = createCommandRouter(createCommandRegistry([...baseCommands, broken]), t.deps);
    const r = await router.handle('broken', s.li, room('群', s.sites.bj01));
    expect(r).toEqual([{ kind: 'text', text: '抱歉，“坏”出错了，请稍后再试。' }]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        login: 'li',
        room: '群',
        command: '坏',
        text: 'broken',
      }),
    );
    // a real query failing (closed-over data source that throws) behaves the same
    const failing = testDeps(db().ds);
    failing.deps.ds = new Proxy(db().ds, {
      get(target, prop, recv) {
        if (prop === 'query' || prop === 'getRepository') {
          return () => {
            throw new Error('connection lost');
          };
        }
        return Reflect.get(target, prop, recv);
      },
    });
    const r2 = await createCommandRouter(createCommandRegistry(), failing.deps).handle(
      '状态 BJ01',
      s.li,
      null,
    );
    expect(r2).toEqual([{ kind: 'text', text: '抱歉，“状态”出错了，请稍后再试。' }]);
  });

  it('logs at most 500 characters of a refused message, with its length', async () => {
    const { log, lines } = captureLog();
    const router = createCommandRouter(createCommandRegistry(), { ...testDeps(db().ds).deps, log });
    const huge = `天气 ${'云'.repeat(100 * 1024)}`;
    expect(await router.handle(huge, s.li, null)).toEqual([
      { kind: 'text', text: '没有这个命令。发送“帮助”查看可用命令。' },
    ]);
    expect(await router.handle(`订阅 ${'x'.repeat(600)}`, s.li, null)).toEqual([
      { kind: 'text', text: '只有管理员可以使用“订阅”。' },
    ]);
    expect(lines.map(({ time: _time, ...l }) => l)).toEqual([
      {
        level: 40,
        msg: 'command refused',
        login: 'li',
        room: null,
        text: `${huge.slice(0, 500)}…(102403 chars)`,
        reason: 'unknown command',
      },
      {
        level: 40,
        msg: 'command refused',
        login: 'li',
        room: null,
        text: `订阅 ${'x'.repeat(497)}…(603 chars)`,
        reason: 'admin only',
      },
    ]);
  });

  it('refuses admin-only commands to operators before running them', async () => {
    const t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    expect(await router.handle('订阅 BJ01', s.li, room('群', s.sites.bj01))).toEqual([
      { kind: 'text', text: '只有管理员可以使用“订阅”。' },
    ]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', room: '群', text: '订阅 BJ01', reason: 'admin only' }),
    );
  });
});
