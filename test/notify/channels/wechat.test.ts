// The WeChat channel on a real Wechaty with wechaty-puppet-mock: room and user pushes, images, limits and errors.
import { formatText } from '../../../src/notify/format/text';
import { createWechatChannel } from '../../../src/notify/channels/wechat';
import type { AlarmNotice } from '../../../src/outbox/notices';
import { aliasForLogin } from '../../../src/admin/chat-bindings';
import {
  PNG,
  removeHarnessDir,
  startHarness,
  waitFor,
  type Harness,
  type Received,
} from '../../transports/wechaty/harness';
import { alarmNotice, botNotice, reportNotice, sendContext, type PartProgress } from '../fixtures';

afterAll(() => removeHarnessDir());

const GROUP_LIMIT = 10;
const text = (n: Parameters<typeof formatText>[0], maxChars = 1800, groupLimit = GROUP_LIMIT) =>
  formatText(n, { maxChars, groupLimit });

const context = sendContext;

const imageBytes = (r: Received) => Buffer.from(r.base64 ?? '', 'base64');

/** The representative notice's one recovered alarm, as a notice of its own. */
function recoveryNotice(): AlarmNotice {
  const n = alarmNotice();
  return { ...n, items: n.items.filter((i) => i.event === 'resolved') };
}

describe('wechat channel (wechaty-puppet-mock)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.bot.stop();
    h = undefined;
  });

  /** A logged-in bot with a subscribed room (known to the resolver by id) and an unsubscribed one. */
  async function setup(o: { maxChars?: number; groupLimit?: number; maxTextLength?: number } = {}) {
    h = await startHarness({ maxTextLength: o.maxTextLength });
    const ops = h.mocker.createRoom({ topic: '北京运维群', memberIdList: [h.me.id] });
    const chat = h.mocker.createRoom({ topic: '闲聊群', memberIdList: [h.me.id] });
    const resolved: string[] = [];
    const roomIds = new Map([['北京运维群', ops.id]]);
    const channel = createWechatChannel({
      bot: h.bot,
      resolveRoomId: async (topic) => (resolved.push(topic), roomIds.get(topic) ?? null),
      groupLimit: o.groupLimit ?? GROUP_LIMIT,
      maxChars: o.maxChars,
    });
    return { h, ops, chat, opsInbox: h.inbox(ops), chatInbox: h.inbox(chat), channel, resolved };
  }

  it('pushes the grouped alarms, the recovery and the daily report with its image to the subscribed room only', async () => {
    const { channel, opsInbox, chatInbox, resolved } = await setup();
    expect(channel.name).toBe('wechat');

    const alarms = alarmNotice();
    await channel.send('room:北京运维群', alarms, context(PNG));
    // one message for the six alarms, then the chart
    expect(opsInbox.map((r) => r.kind)).toEqual(['text', 'image']);
    expect(opsInbox[0].text).toBe(text(alarms));
    expect(opsInbox[0].text.split('\n')[0]).toBe(
      '【告警】北京移动（BJ-CMCC）：新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
    );
    expect(imageBytes(opsInbox[1]).equals(PNG)).toBe(true);
    expect(opsInbox[1].name).toBe('BJ-CMCC-alarms.png');

    const recovery = recoveryNotice();
    await channel.send('room:北京运维群', recovery, context(null));
    expect(opsInbox.map((r) => r.kind)).toEqual(['text', 'image', 'text']);
    expect(opsInbox[2].text).toBe(text(recovery));
    expect(opsInbox[2].text).toContain('状态：已恢复，持续 1小时5分');

    const report = reportNotice();
    await channel.send('room:北京运维群', report, context(PNG));
    expect(opsInbox.map((r) => r.kind)).toEqual(['text', 'image', 'text', 'text', 'image']);
    expect(opsInbox[3].text).toBe(text(report));
    expect(opsInbox[3].text.split('\n').slice(0, 3)).toEqual([
      '【日报】北京移动（BJ-CMCC） 2026-11-24',
      '业务数据（括号内为较前一日）：',
      '开通 1,234（+12 (+1.0%)）',
    ]);
    expect(imageBytes(opsInbox[4]).equals(PNG)).toBe(true);
    expect(opsInbox[4].name).toBe('BJ-CMCC-report.png');

    expect(resolved).toEqual(['北京运维群', '北京运维群', '北京运维群']);
    await new Promise((r) => setTimeout(r, 100));
    expect(chatInbox).toEqual([]);
  });

  it('records the delivered text, so the retry after a failed image sends the image alone', async () => {
    const { h, opsInbox, channel } = await setup();
    const puppet = h.puppet;
    const sendFile = puppet.messageSendFile.bind(puppet);
    let refuse = true;
    puppet.messageSendFile = async (...args: Parameters<typeof sendFile>) => {
      if (refuse) throw new Error('upload failed');
      return sendFile(...args);
    };
    const progress: PartProgress = { parts: 0, marks: [] };
    const alarms = alarmNotice();
    await expect(
      channel.send('room:北京运维群', alarms, context(PNG, progress)),
    ).rejects.toMatchObject({ code: 'NOTIFY_SEND_FAILED' });
    expect(opsInbox.map((r) => r.kind)).toEqual(['text']);
    expect(progress).toEqual({ parts: 1, marks: [1] });
    refuse = false;
    await channel.send('room:北京运维群', alarms, context(PNG, progress));
    expect(opsInbox.map((r) => r.kind)).toEqual(['text', 'image']);
    expect(opsInbox[0].text).toBe(text(alarms));
    expect(imageBytes(opsInbox[1]).equals(PNG)).toBe(true);
    expect(progress.marks).toEqual([1]);
  });

  it('finds a renamed room by the id the resolver gives, and a room without a known id by topic', async () => {
    const { h, ops, channel, opsInbox, chatInbox } = await setup();
    // room_subscription still holds the old topic: the id finds the room
    const renamed = createWechatChannel({
      bot: h.bot,
      resolveRoomId: async (topic) => (topic === '旧的群名' ? ops.id : null),
      groupLimit: GROUP_LIMIT,
    });
    await renamed.send('room:旧的群名', recoveryNotice(), context(null));
    expect(opsInbox.map((r) => r.text)).toEqual([text(recoveryNotice())]);
    await channel.send('room:闲聊群', recoveryNotice(), context(null));
    expect(chatInbox.map((r) => r.text)).toEqual([text(recoveryNotice())]);
    expect(opsInbox).toHaveLength(1);
  });

  it('pushes to a bound user, found again by alias after a re-login with new contact ids', async () => {
    h = await startHarness({
      handle: async (t, _caller, _room, meta) => {
        if (t !== 'bind') return [];
        await meta.setAlias(aliasForLogin('li.lei'));
        return [{ kind: 'text', text: 'bound' }];
      },
    });
    const channel = createWechatChannel({ bot: h.bot, groupLimit: GROUP_LIMIT });
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('bind').to(h.me);
    await waitFor(() => got.length === 1, 'bind reply');
    expect(h.mocker.contactPayload(alice.id).alias).toBe('sw-li.lei');
    await channel.send('user:li.lei', alarmNotice(), context(PNG));
    expect(got.map((r) => r.kind)).toEqual(['text', 'text', 'image']);
    expect(got[1].text).toBe(text(alarmNotice()));

    await h.puppet.logout();
    await waitFor(() => (h?.bot.health().restarts ?? 0) >= 1, 'restart');
    await waitFor(
      () => h?.bot.health().state === 'starting' && h.puppet.state.active(),
      'restarted',
    );
    // A new session: the old ids are gone, every contact has a new id, WeChat kept the alias.
    h.mocker.cacheContactPayload.delete(alice.id);
    const me2 = h.mocker.createContact({ name: 'Sitewatch' });
    const alice2 = h.mocker.createContact({ name: 'Alice', alias: 'sw-li.lei' });
    const got2 = h.inbox(alice2);
    h.mocker.login(me2);
    await waitFor(() => h?.bot.health().state === 'online', 'login again');

    await channel.send('user:li.lei', reportNotice(), context(PNG));
    expect(got2.map((r) => r.kind)).toEqual(['text', 'image']);
    expect(got2[0].text).toBe(text(reportNotice()));
    expect(imageBytes(got2[1]).equals(PNG)).toBe(true);
    expect(got).toHaveLength(3);
  });

  it('fails with BOT_OFFLINE while the bot is logged out, without drawing the chart', async () => {
    const { h, channel, opsInbox } = await setup();
    await h.puppet.logout();
    await waitFor(() => h.bot.health().state !== 'online', 'offline');
    const ctx = context(PNG);
    await expect(channel.send('room:北京运维群', alarmNotice(), ctx)).rejects.toThrow(
      expect.objectContaining({
        code: 'BOT_OFFLINE',
        message: expect.stringMatching(/^The WeChat bot is not logged in .*room:北京运维群\.$/),
      }),
    );
    await expect(channel.send('user:li.lei', alarmNotice(), ctx)).rejects.toThrow(
      expect.objectContaining({ code: 'BOT_OFFLINE' }),
    );
    expect(ctx.charts()).toBe(0);
    expect(opsInbox).toEqual([]);
  });

  it('fails with NOTIFY_BAD_RECIPIENT for an unknown room or user, a malformed recipient and bot notices', async () => {
    const { channel, opsInbox, chatInbox } = await setup();
    await expect(channel.send('room:没有这个群', alarmNotice(), context(PNG))).rejects.toThrow(
      expect.objectContaining({
        code: 'NOTIFY_BAD_RECIPIENT',
        message: 'Room "没有这个群" is not in the bot\'s contact list.',
      }),
    );
    await expect(channel.send('user:nobody', alarmNotice(), context(PNG))).rejects.toThrow(
      expect.objectContaining({
        code: 'NOTIFY_BAD_RECIPIENT',
        message: expect.stringContaining('sw-nobody'),
      }),
    );
    for (const bad of ['北京运维群', 'room:', 'room:  ', 'email:a@b.c']) {
      await expect(channel.send(bad, alarmNotice(), context(PNG))).rejects.toThrow(
        expect.objectContaining({
          code: 'NOTIFY_BAD_RECIPIENT',
          message: `"${bad}" is not a WeChat bot recipient (expected room:<room> or user:<login>).`,
        }),
      );
    }
    await expect(channel.send('room:北京运维群', botNotice(), context(PNG))).rejects.toThrow(
      expect.objectContaining({
        code: 'NOTIFY_BAD_RECIPIENT',
        message: expect.stringMatching(/^Bot notices are not sent by the WeChat bot/),
      }),
    );
    expect(opsInbox).toEqual([]);
    expect(chatInbox).toEqual([]);
  });

  it('keeps long notices within the limit: "and N more" by default and with a smaller maxChars', async () => {
    const big = alarmNotice(60);
    {
      const { channel, opsInbox } = await setup({ groupLimit: 50 });
      await channel.send('room:北京运维群', big, context(null));
      expect(opsInbox).toHaveLength(1);
      expect(opsInbox[0].text).toBe(text(big, 1800, 50));
      expect(opsInbox[0].text.length).toBeLessThanOrEqual(1800);
      expect(opsInbox[0].text.endsWith('……及其他 44 条')).toBe(true);
      await h?.bot.stop();
    }
    {
      const { channel, opsInbox } = await setup({ groupLimit: 50, maxChars: 300 });
      await channel.send('room:北京运维群', big, context(null));
      await channel.send('room:北京运维群', reportNotice(), context(null));
      expect(opsInbox.map((r) => r.text)).toEqual([
        text(big, 300, 50),
        text(reportNotice(), 300, 50),
      ]);
      for (const r of opsInbox) expect(r.text.length).toBeLessThanOrEqual(300);
      expect(opsInbox[0].text).toMatch(/\n\n……及其他 5\d 条$/);
    }
  });

  it('splits a message the bot queue finds too long on line boundaries, in order', async () => {
    const { channel, opsInbox } = await setup({ maxTextLength: 200 });
    const report = text(reportNotice());
    expect(report.length).toBeGreaterThan(200);
    await channel.send('room:北京运维群', reportNotice(), context(PNG));
    expect(opsInbox.map((r) => r.kind)).toEqual(['text', 'text', 'image']);
    for (const r of opsInbox) expect(r.text.length).toBeLessThanOrEqual(200);
    expect(`${opsInbox[0].text}\n${opsInbox[1].text}`).toBe(report);
  });
});
