// Tests of the message handler: strangers' refusals (the reply, and what the log keeps of their message), and the chart announcement.
import type { DataSource } from 'typeorm';
import type { CommandRouter } from '../../commands/router';
import { UNBOUND_HINT, createMessageHandler } from '../../src/chat/handler';
import type { MessageMeta } from '../../src/chat/transport';
import { captureLog } from '../helpers/log';

const meta: MessageMeta = {
  transport: 'wechat',
  contactId: 'wxid_stranger',
  contactName: 'Stranger',
  contactAlias: null,
  roomTopic: null,
  setAlias: async () => {},
};

describe('message handler', () => {
  it('answers a stranger with the binding hint and logs at most 500 characters of the message', async () => {
    const { log, lines } = captureLog();
    const router: CommandRouter = {
      handle: async () => {
        throw new Error('a stranger never reaches the router');
      },
      charts: () => false,
    };
    // Strangers get no data, so the database is never asked.
    const handle = createMessageHandler({ ds: {} as DataSource, router, log, now: () => 0 });
    const huge = `局点 ${'x'.repeat(100 * 1024)}`;
    expect(await handle(huge, null, null, meta)).toEqual([{ kind: 'text', text: UNBOUND_HINT }]);
    expect(await handle('局点', null, null, { ...meta, roomTopic: '运维群' })).toEqual([
      { kind: 'text', text: UNBOUND_HINT },
    ]);
    expect(lines.map(({ time: _time, ...l }) => l)).toEqual([
      {
        level: 40,
        msg: 'refused: contact not bound',
        contact: 'Stranger',
        room: null,
        text: `${huge.slice(0, 500)}…(102403 chars)`,
      },
      {
        level: 40,
        msg: 'refused: contact not bound',
        contact: 'Stranger',
        room: '运维群',
        text: '局点',
      },
    ]);
  });

  it('hands the router the conversation and the chart announcement of a bound caller only', async () => {
    const events: string[] = [];
    const router: CommandRouter = {
      handle: async (text, _caller, room, o) => {
        events.push(`handle ${text} in ${o?.conversation}`);
        if (text.startsWith('状态')) o?.working?.();
        return [{ kind: 'text', text: 'ok' }];
      },
      charts: (text) => text.startsWith('状态'),
    };
    const { log } = captureLog();
    const handle = createMessageHandler({ ds: {} as DataSource, router, log, now: () => 0 });
    const caller = { userId: 1, login: 'li.lei', displayName: '李雷', role: 'operator' as const };
    const m = { ...meta, working: () => events.push('working') };
    await handle('状态 BJ01', caller, null, m);
    await handle(
      '局点',
      caller,
      { transport: 'wechat', id: 'r1', topic: '运维群', siteIds: [] },
      m,
    );
    await handle('状态 BJ01', null, null, m);
    expect(events).toEqual([
      'handle 状态 BJ01 in wechat:direct:li.lei',
      'working',
      'handle 局点 in wechat:room:r1:li.lei',
    ]);
  });
});
