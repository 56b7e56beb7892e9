// Invariants of every registered chat transport: start/stop twice, offline before start, help for a bound user, only the bind hint for a stranger.
import { join } from 'node:path';
import { mock } from 'wechaty-puppet-mock';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import { bindContact, findUserByLogin } from '../../src/admin/chat-bindings';
import { addSite } from '../../src/admin/sites';
import { addUser } from '../../src/admin/users';
import {
  type TransportContext,
  type TransportKind,
  consoleTransport,
  createTransportRegistry,
  wechatTransport,
  wecomTransport,
} from '../../src/chat-transports';
import { UNBOUND_HINT } from '../../src/chat/handler';
import { type ChatTransport, canSend } from '../../src/chat/transport';
import { silentLogger } from '../../src/log';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';
import { type FakeWeCom, startFakeWeCom } from '../helpers/fake-wecom';
import {
  AliasKeepingPuppetMock,
  harnessDir,
  removeHarnessDir,
  waitFor,
} from '../transports/wechaty/harness';

let wecom: FakeWeCom;
beforeAll(async () => {
  wecom = await startFakeWeCom();
});
afterAll(async () => {
  removeHarnessDir();
  await wecom.close();
});

const LOGIN = 'li.lei';

/** A transport under test, and a way to write to it as a person. */
interface Subject {
  transport: ChatTransport;
  /** After start(): until it can answer (WeChat: the mock account logs in). */
  whenOnline(): Promise<void>;
  /**
   * `text` from the person bound to `login` (null: a stranger); resolves with the texts the
   * transport sent them, once `n` came.
   */
  say(login: string | null, text: string, n?: number): Promise<string[]>;
}

interface Driver {
  kind: TransportKind;
  make(ctx: TransportContext): Subject;
}

let bots = 0;
/** One driver per registered transport: a new transport must bring its own. */
const drivers: Record<string, Driver> = {
  wechat: {
    kind: wechatTransport,
    make(ctx) {
      const mocker = new mock.Mocker();
      const puppet = new AliasKeepingPuppetMock({ mocker });
      const config = testConfig({
        bot: {
          enabled: true,
          puppet: 'wechaty-puppet-mock',
          name: join(harnessDir(), `invariants${++bots}`),
          prefix: '',
          sendIntervalMs: 10,
        },
      });
      const transport = wechatTransport.create({ ...ctx, config, puppet });
      const me = mocker.createContact({ name: 'Sitewatch' });
      return {
        transport,
        async whenOnline() {
          await waitFor(() => puppet.state.active() === true, 'puppet running');
          mocker.login(me);
          await waitFor(() => transport.health().state === 'online', 'login');
        },
        async say(login, text, n = 1) {
          const contact = mocker.createContact({ name: login ?? 'Stranger' });
          const user = login ? await findUserByLogin(ctx.ds, login) : null;
          if (user) {
            await bindContact(ctx.ds, user.userId, {
              transport: 'wechat',
              id: contact.id,
              name: contact.payload.name,
            });
          }
          const got: string[] = [];
          contact.on('message', (m) => {
            if (m.talker().id === puppet.currentUserId) got.push(m.text() ?? '');
          });
          contact.say(text).to(me);
          await waitFor(() => got.length >= n, `${n} replies`);
          // Anything more would come within the rate limit's few intervals.
          await new Promise((r) => setTimeout(r, 100));
          return got;
        },
      };
    },
  },
  wecom: {
    kind: wecomTransport,
    make(ctx) {
      const config = testConfig({
        wecomBot: {
          enabled: true,
          botId: wecom.botId,
          secret: wecom.secret,
          wsUrl: wecom.url,
          sendIntervalMs: 0,
        },
      });
      const transport = wecomTransport.create({ ...ctx, config });
      let people = 0;
      return {
        transport,
        whenOnline: () =>
          wecom.waitFor(() => transport.health().state === 'authenticated', 5000, 'authenticated'),
        async say(login, text, n = 1) {
          // WeCom userids are stable: the binding is keyed by the userid itself.
          const userid = `${login ?? 'stranger'}-${++people}`;
          const user = login ? await findUserByLogin(ctx.ds, login) : null;
          if (user) {
            await bindContact(ctx.ds, user.userId, {
              transport: 'wecom',
              id: userid,
              name: userid,
            });
          }
          const req = wecom.text({ from: userid, content: text });
          const got = () => [
            ...wecom
              .replies(req)
              .filter((r) => r.finish)
              .map((r) => r.content ?? ''),
            ...wecom
              .sent(userid)
              .map((b) => (b as { markdown: { content: string } }).markdown.content),
          ];
          await wecom.waitFor(() => got().length >= n, 5000, `${n} replies`);
          return got();
        },
      };
    },
  },
  console: {
    kind: consoleTransport,
    make(ctx) {
      const out: string[] = [];
      const open = (login: string) =>
        consoleTransport.create({ ...ctx, console: { login, write: (s) => out.push(s) } });
      const transport = open(LOGIN);
      return {
        transport,
        whenOnline: async () => {},
        async say(login, text) {
          // The console is one person: a stranger is a console whose --as names no user.
          const t = login === LOGIN ? transport : open(login ?? 'nobody');
          if (t !== transport) await t.start();
          const from = out.length;
          await t.say(text);
          if (t !== transport) await t.stop();
          // One write per reply: text with its newline.
          return out.slice(from).map((w) => w.replace(/\n$/, ''));
        },
      };
    },
  },
};

describe('the transport registry', () => {
  it('has a driver here for each transport, and names each once', () => {
    const kinds = createTransportRegistry().list();
    expect(kinds.map((k) => k.name).sort()).toEqual(Object.keys(drivers).sort());
    for (const k of kinds) expect(drivers[k.name].kind).toBe(k);
  });
});

describeEachEngine('every chat transport', (db) => {
  let ctx: TransportContext;
  const running: ChatTransport[] = [];
  beforeEach(async () => {
    await resetDb(db());
    const ds = db().ds;
    const config = testConfig();
    await addUser(ds, { login: LOGIN, password: 'correct horse', displayName: '李雷' });
    await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://127.0.0.1:1' });
    const now = Date.now;
    const router = createCommandRouter(createCommandRegistry(), {
      ds,
      config,
      log: silentLogger,
      renderChart: null,
      now,
    });
    ctx = { config, ds, router, log: silentLogger, now, leases: null };
  });
  afterEach(async () => {
    for (const t of running.splice(0)) await t.stop();
  });

  const subject = (name: string) => {
    const s = drivers[name].make(ctx);
    running.push(s.transport);
    return s;
  };
  const names = createTransportRegistry()
    .list()
    .map((k) => k.name);

  it.each(names)(
    '%s: start and stop twice are safe, and it answers after a restart',
    async (name) => {
      const s = subject(name);
      const t = s.transport;
      await t.stop();
      await t.start();
      await t.start();
      await s.whenOnline();
      expect(canSend(t.health().state)).toBe(true);
      await t.stop();
      await t.stop();
      expect(t.health().state).toBe('offline');
      await t.start();
      await s.whenOnline();
      expect((await s.say(LOGIN, '帮助'))[0]).toMatch(/^Sitewatch 命令：/);
    },
  );

  it.each(names)('%s: before start it is not online and refuses to send', async (name) => {
    const t = subject(name).transport;
    // The WeChat bot says 'starting' until its first start; it cannot send either way.
    expect(['offline', 'starting']).toContain(t.health().state);
    await expect(t.sendToUser(LOGIN, [{ kind: 'text', text: 'x' }])).rejects.toMatchObject({
      code: 'BOT_OFFLINE',
    });
    await expect(t.sendToRoom('运维群', null, [{ kind: 'text', text: 'x' }])).rejects.toMatchObject(
      { code: 'BOT_OFFLINE' },
    );
  });

  it.each(names)('%s: 帮助 from a bound user gets the help reply', async (name) => {
    const s = subject(name);
    await s.transport.start();
    await s.whenOnline();
    const got = await s.say(LOGIN, '帮助');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^Sitewatch 命令：\n帮助（help\/\?） — /);
    expect(s.transport.health().lastMessageAt).toEqual(expect.any(Number));
  });

  it.each(names)('%s: a stranger gets the bind hint and no data', async (name) => {
    const s = subject(name);
    await s.transport.start();
    await s.whenOnline();
    expect(await s.say(null, '局点')).toEqual([UNBOUND_HINT]);
    expect(await s.say(null, '帮助')).toEqual([UNBOUND_HINT]);
  });
});
