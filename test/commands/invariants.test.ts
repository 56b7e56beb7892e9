// Rules every registered bot command follows: a name, Chinese usage and examples that the router sends to it; 帮助 lists them all and 绑定.
import type { DataSource } from 'typeorm';
import { BIND_HELP, type CommandHelp } from '../../commands/help';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter, normaliseText } from '../../commands/router';
import type { Caller, Command, CommandDeps, Reply, RoomContext } from '../../commands/types';
import { BIND_IN_ROOM, createMessageHandler } from '../../src/chat/handler';
import { captureLog } from '../helpers/log';
import { testConfig } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const CJK = /[\u4e00-\u9fff]/;
const admin: Caller = { userId: 1, login: 'admin', displayName: '管理员', role: 'admin' };
const operator: Caller = { userId: 2, login: 'li.lei', displayName: '李雷', role: 'operator' };
const room: RoomContext = { transport: 'wechat', id: 'r1', topic: '运维群', siteIds: [1] };

/** Routing alone touches no database: the commands below never run for real. */
function deps(): CommandDeps {
  return {
    ds: undefined as unknown as DataSource,
    config: testConfig(),
    log: captureLog('warn').log,
    renderChart: null,
    now: () => NOW,
  };
}

const commands = createCommandRegistry().list();

/** The real router over the registry's commands, each answering with its name and arguments. */
const router = createCommandRouter(
  commands.map((c): Command => ({
    ...c,
    run: async ({ args }) => [{ kind: 'text', text: JSON.stringify({ name: c.name, args }) }],
  })),
  deps(),
);

async function routed(text: string, r: RoomContext | null = null): Promise<unknown> {
  const [reply] = await router.handle(text, admin, r);
  return reply.kind === 'text' && reply.text.startsWith('{') ? JSON.parse(reply.text) : reply;
}

/** The example with its first word replaced (a name by an alias). */
const withWord = (example: string, word: string) => {
  const sp = example.indexOf(' ');
  return sp < 0 ? word : `${word}${example.slice(sp)}`;
};
const argsOf = (example: string) => {
  const s = normaliseText(example);
  const sp = s.indexOf(' ');
  return sp < 0 ? '' : s.slice(sp + 1);
};

function expectDescribed(c: CommandHelp): void {
  expect(c.name).toMatch(/^\S+$/);
  expect(c.usage.split(' ')[0]).toBe(c.name);
  expect(c.usage).toMatch(CJK);
  expect(c.summary).toMatch(CJK);
  expect(c.summary).toMatch(/。$/);
  expect(c.examples.length).toBeGreaterThan(0);
  for (const e of c.examples) expect(normaliseText(e)).toBe(e);
}

describe.each(commands.map((c) => [c.name, c] as const))('command %s', (name, command) => {
  it('has a name, a Chinese usage and summary, and examples', () => {
    expectDescribed(command);
  });

  it('is where the router sends each of its examples, by name and by every alias', async () => {
    for (const example of command.examples) {
      expect(example.split(' ')[0]).toBe(name);
      for (const word of [name, ...command.aliases]) {
        const text = withWord(example, word);
        expect({ text, got: await routed(text) }).toEqual({
          text,
          got: { name, args: argsOf(example) },
        });
      }
      expect(await routed(`@Sitewatch ${example}`, room)).toEqual({ name, args: argsOf(example) });
    }
  });
});

describe('帮助', () => {
  const help = createCommandRegistry().require('帮助');
  const helpText = async (caller: Caller) => {
    const [reply] = await help.run({ caller, args: '', room: null, deps: deps() });
    return reply.kind === 'text' ? reply.text.split('\n') : [];
  };
  const lineOf = (c: CommandHelp) =>
    `${c.usage}${c.aliases.length ? `（${c.aliases.join('/')}）` : ''} — ${c.summary}`;

  it('lists every command for an admin and all but the admin-only ones for others, then 绑定', async () => {
    const forAdmin = await helpText(admin);
    for (const c of commands) expect(forAdmin).toContain(lineOf(c));
    const forOperator = await helpText(operator);
    for (const c of commands) {
      if (c.adminOnly) expect(forOperator).not.toContain(lineOf(c));
      else expect(forOperator).toContain(lineOf(c));
    }
    for (const lines of [forAdmin, forOperator]) {
      expect(lines).toContain(lineOf(BIND_HELP));
      expect(lines.filter((l) => l.includes(' — '))).toHaveLength(
        commands.filter((c) => lines.includes(lineOf(c))).length + 1,
      );
    }
  });

  it('describes 绑定 like a command, and each of its examples reaches the bind handler', async () => {
    expectDescribed(BIND_HELP);
    expect(commands.some((c) => [c.name, ...c.aliases].includes(BIND_HELP.name))).toBe(false);
    const handle = createMessageHandler({
      ds: undefined as unknown as DataSource,
      router: {
        charts: () => false,
        handle: async (): Promise<Reply[]> => {
          throw new Error('绑定 reached the router');
        },
      },
      log: captureLog('warn').log,
      now: () => NOW,
    });
    const meta = {
      transport: 'wechat',
      contactId: 'c1',
      contactName: 'Alice',
      contactAlias: null,
      roomTopic: room.topic,
      setAlias: async () => {},
    };
    // In a room the handler refuses a code before looking it up: no database needed.
    for (const example of BIND_HELP.examples) {
      for (const word of [BIND_HELP.name, ...BIND_HELP.aliases]) {
        expect(await handle(withWord(example, word), null, room, meta)).toEqual([
          { kind: 'text', text: BIND_IN_ROOM },
        ]);
      }
    }
  });
});
