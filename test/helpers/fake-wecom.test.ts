// The fake WeCom long-connection server, driven through the real @wecom/aibot-node-sdk WSClient on loopback.
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  WSClient,
  type ReplyMsgItem,
  type WSClientEventMap,
  type WSClientOptions,
  type WsFrame,
} from '@wecom/aibot-node-sdk';
import { ERR, startFakeWeCom, type FakeWeCom } from './fake-wecom';

const NOW = 1_760_000_000_000;
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const image = (b: Buffer): ReplyMsgItem => ({
  msgtype: 'image',
  image: { base64: b.toString('base64'), md5: md5(b) },
});

let server: FakeWeCom;
const clients: WSClient[] = [];
const raws: WebSocket[] = [];

beforeEach(async () => {
  server = await startFakeWeCom({ botName: 'Sitewatch', now: () => NOW });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const w of raws.splice(0)) w.terminate();
  await server.close();
});

/** A real SDK client against the fake; no heartbeats unless asked, fast reconnects. */
function connect(over: Partial<WSClientOptions> = {}): WSClient {
  const c = new WSClient({
    botId: server.botId,
    secret: server.secret,
    wsUrl: server.url,
    logger: silent,
    heartbeatInterval: 60_000,
    reconnectInterval: 20,
    maxReconnectAttempts: 20,
    ...over,
  });
  clients.push(c);
  return c.connect();
}

/** The next emission of an SDK event; rejects after 2 s so that a missing event fails fast. */
function next<K extends keyof WSClientEventMap>(
  c: WSClient,
  event: K,
): Promise<Parameters<WSClientEventMap[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 2 s`)), 2000);
    c.once(event, ((...args: Parameters<WSClientEventMap[K]>) => {
      clearTimeout(timer);
      resolve(args);
    }) as never);
  });
}

type Json = Record<string, unknown>;

/** The acks (frames without cmd) the server sent for a req_id. */
function acksFor(reqId: string): Json[] {
  const out: Json[] = [];
  for (const f of server.serverFrames) {
    let j: Json;
    try {
      j = JSON.parse(f.raw) as Json;
    } catch {
      continue;
    }
    if (j.cmd === undefined && (j.headers as Json | undefined)?.req_id === reqId) out.push(j);
  }
  return out;
}

const reqIdOf = (f: { frame?: Json }) => (f.frame?.headers as { req_id: string }).req_id;
const bodyOf = (f: { frame?: Json }) => f.frame?.body as Json;

describe('authentication', () => {
  test('the right bot id and secret are acked errcode 0 and the SDK emits authenticated', async () => {
    const c = connect();
    await next(c, 'authenticated');

    expect(server.frames).toHaveLength(1);
    const [auth] = server.frames;
    expect(auth.conn).toBe(1);
    expect(auth.frame).toEqual({
      cmd: 'aibot_subscribe',
      headers: { req_id: expect.stringMatching(/^aibot_subscribe_\d+_[0-9a-f]{8}$/) },
      body: { bot_id: server.botId, secret: server.secret },
    });
    expect(acksFor(reqIdOf(auth))).toEqual([
      { headers: { req_id: reqIdOf(auth) }, errcode: 0, errmsg: 'ok' },
    ]);
    expect(server.authenticatedConnections()).toEqual([1]);
    expect(c.isConnected).toBe(true);
    expect(server.problems).toEqual([]);
  });

  test('a wrong secret is refused with 853000; the SDK emits error, terminates and retries', async () => {
    const c = connect({ secret: 'not-the-secret', maxAuthFailureAttempts: 1 });
    const errors: Error[] = [];
    const reconnecting: number[] = [];
    c.on('error', (e) => errors.push(e));
    c.on('reconnecting', (n) => reconnecting.push(n));

    await server.waitFor(() => errors.length === 3, 2000, 'three errors');
    expect(errors.map((e) => e.message)).toEqual([
      'Authentication failed: invalid bot_id or secret (code: 853000)',
      'Authentication failed: invalid bot_id or secret (code: 853000)',
      'Max auth failure attempts exceeded (1)',
    ]);
    expect(reconnecting).toEqual([1]);
    const auths = server.framesOf('aibot_subscribe');
    expect(auths.map((f) => f.conn)).toEqual([1, 2]);
    expect(auths.map(bodyOf)).toEqual([
      { bot_id: server.botId, secret: 'not-the-secret' },
      { bot_id: server.botId, secret: 'not-the-secret' },
    ]);
    for (const f of auths)
      expect(acksFor(reqIdOf(f))).toEqual([
        {
          headers: { req_id: reqIdOf(f) },
          errcode: ERR.INVALID_CREDENTIALS,
          errmsg: 'invalid bot_id or secret',
        },
      ]);
    await server.waitFor(() => server.openConnections().length === 0, 2000, 'sockets closed');
    expect(server.authenticatedConnections()).toEqual([]);
    expect(server.frames).toHaveLength(2);
    expect(server.problems).toEqual([
      'connection 1: aibot_subscribe refused with 853000: invalid bot_id or secret',
      'connection 2: aibot_subscribe refused with 853000: invalid bot_id or secret',
    ]);
  });
});

test('pings are acked; when the server stops answering, the SDK drops after two missed pongs and reconnects', async () => {
  const c = connect({ heartbeatInterval: 20 });
  await next(c, 'authenticated');
  await server.waitFor(() => server.framesOf('ping').length >= 3, 2000, 'three pings');

  const answered = server.framesOf('ping');
  for (const p of answered) {
    expect(p.frame).toEqual({ cmd: 'ping', headers: { req_id: expect.stringMatching(/^ping_/) } });
    expect(acksFor(reqIdOf(p))).toEqual([
      { headers: { req_id: reqIdOf(p) }, errcode: 0, errmsg: 'ok' },
    ]);
  }

  const dropped = next(c, 'disconnected');
  server.answerPings = false;
  const before = server.framesOf('ping').length;
  const [reason] = await dropped;
  server.answerPings = true;
  expect(reason).toBe('code: 1006');
  const pings = server.framesOf('ping');
  expect(pings.every((p) => p.conn === 1)).toBe(true);
  for (const p of pings.slice(0, before)) expect(acksFor(reqIdOf(p))).toHaveLength(1);
  // The SDK gives up once two pings in a row went unanswered (maxMissedPong); a third may have
  // left before the last ack arrived.
  const unanswered = pings.slice(before);
  expect(unanswered.length).toBeGreaterThanOrEqual(2);
  for (const p of unanswered) expect(acksFor(reqIdOf(p))).toEqual([]);

  await server.waitFor(
    () => server.authenticatedConnections()[0] === 2,
    2000,
    'connection 2 authenticated',
  );
  expect(server.openConnections()).toEqual([2]);
  expect(server.framesOf('aibot_subscribe').map((f) => f.conn)).toEqual([1, 2]);
  expect(server.problems).toEqual([]);
});

test('a group @-mention, a 1:1 text and a mixed message, queued before anyone connected, arrive in order as message.text / message.mixed', async () => {
  const group = server.text({ from: 'zhangsan', chatId: 'wrkGroupBJ', content: '昨日 BJ' });
  const single = server.text({ from: 'lisi', content: '告警' });
  const mixed = server.mixed({
    from: 'lisi',
    items: [
      { msgtype: 'text', text: { content: '这张图' } },
      { msgtype: 'image', image: { url: 'https://wecom.invalid/img/1', aeskey: 'a2V5LWtleQ==' } },
    ],
  });
  expect(server.callback(group)?.deliveredTo).toBeUndefined();
  expect(server.hasTalked('wrkGroupBJ')).toBe(false);

  const c = connect();
  const order: string[] = [];
  const texts: WsFrame[] = [];
  const mixeds: WsFrame[] = [];
  c.on('message', (f) => order.push(f.headers.req_id));
  c.on('message.text', (f) => texts.push(f));
  c.on('message.mixed', (f) => mixeds.push(f));
  await server.waitFor(() => order.length === 3, 2000, 'three messages');

  expect(order).toEqual([group, single, mixed]);
  const msgid = (r: string) => server.callback(r)!.body.msgid;
  expect(texts).toEqual([
    {
      cmd: 'aibot_msg_callback',
      headers: { req_id: group },
      body: {
        msgid: msgid(group),
        aibotid: server.botId,
        chatid: 'wrkGroupBJ',
        chattype: 'group',
        from: { userid: 'zhangsan' },
        create_time: 1_760_000_000,
        msgtype: 'text',
        text: { content: '@Sitewatch 昨日 BJ' },
      },
    },
    {
      cmd: 'aibot_msg_callback',
      headers: { req_id: single },
      body: {
        msgid: msgid(single),
        aibotid: server.botId,
        chattype: 'single',
        from: { userid: 'lisi' },
        create_time: 1_760_000_000,
        msgtype: 'text',
        text: { content: '告警' },
      },
    },
  ]);
  expect(mixeds).toEqual([
    {
      cmd: 'aibot_msg_callback',
      headers: { req_id: mixed },
      body: {
        msgid: msgid(mixed),
        aibotid: server.botId,
        chattype: 'single',
        from: { userid: 'lisi' },
        create_time: 1_760_000_000,
        msgtype: 'mixed',
        mixed: {
          msg_item: [
            { msgtype: 'text', text: { content: '这张图' } },
            {
              msgtype: 'image',
              image: { url: 'https://wecom.invalid/img/1', aeskey: 'a2V5LWtleQ==' },
            },
          ],
        },
      },
    },
  ]);
  expect(new Set([group, single, mixed].map(msgid)).size).toBe(3);
  expect([group, single, mixed].map((r) => server.callback(r)?.deliveredTo)).toEqual([1, 1, 1]);
  expect(server.hasTalked('wrkGroupBJ')).toBe(true);
  expect(server.hasTalked('lisi')).toBe(true);
  expect(server.hasTalked('zhangsan')).toBe(false);
  expect(server.problems).toEqual([]);
});

test('a group mixed message gets the @-mention on its first text item', async () => {
  const c = connect();
  await next(c, 'authenticated');
  const got = next(c, 'message.mixed');
  server.mixed({
    from: 'zhangsan',
    chatId: 'wrkGroupBJ',
    items: [
      { msgtype: 'image', image: { url: 'https://wecom.invalid/img/2' } },
      { msgtype: 'text', text: { content: '这是什么' } },
    ],
  });
  const [frame] = await got;
  expect((frame.body as { mixed: unknown }).mixed).toEqual({
    msg_item: [
      { msgtype: 'image', image: { url: 'https://wecom.invalid/img/2' } },
      { msgtype: 'text', text: { content: '@Sitewatch 这是什么' } },
    ],
  });
});

describe('stream replies', () => {
  test('a stream with a finishing msg_item image is acked; a wrong md5, a GIF, too long content, a frame after finish and an unknown req_id are refused', async () => {
    const c = connect();
    await next(c, 'authenticated');
    const got = next(c, 'message.text');
    const reqId = server.text({ from: 'lisi', content: '昨日 BJ' });
    const [frame] = await got;

    await expect(c.replyStream(frame, 'stream-1', '正在查询…', false)).resolves.toEqual({
      headers: { req_id: reqId },
      errcode: 0,
      errmsg: 'ok',
    });
    await expect(
      c.replyStream(frame, 'stream-1', 'BJ 昨日：3 条告警', true, [image(PNG)]),
    ).resolves.toEqual({ headers: { req_id: reqId }, errcode: 0, errmsg: 'ok' });
    expect(server.framesOf('aibot_respond_msg').map((f) => f.frame)).toEqual([
      {
        cmd: 'aibot_respond_msg',
        headers: { req_id: reqId },
        body: {
          msgtype: 'stream',
          stream: { id: 'stream-1', finish: false, content: '正在查询…' },
        },
      },
      {
        cmd: 'aibot_respond_msg',
        headers: { req_id: reqId },
        body: {
          msgtype: 'stream',
          stream: {
            id: 'stream-1',
            finish: true,
            content: 'BJ 昨日：3 条告警',
            msg_item: [image(PNG)],
          },
        },
      },
    ]);

    const refused = (errcode: number, errmsg: string) => ({
      headers: { req_id: reqId },
      errcode,
      errmsg,
    });
    await expect(c.replyStream(frame, 'stream-1', 'again', false)).rejects.toEqual(
      refused(
        ERR.STREAM_EXPIRED,
        'stream message update expired: stream stream-1 already finished',
      ),
    );
    const wrongMd5: ReplyMsgItem = {
      msgtype: 'image',
      image: { base64: PNG.toString('base64'), md5: md5(Buffer.from('another image')) },
    };
    await expect(c.replyStream(frame, 'stream-2', 'chart', true, [wrongMd5])).rejects.toEqual(
      refused(ERR.INVALID_PARAMETER, 'msg_item[0].image.md5 does not match the image'),
    );
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    await expect(
      c.replyStream(frame, 'stream-3', 'chart', true, [image(PNG), image(gif)]),
    ).rejects.toEqual(refused(ERR.INVALID_MEDIA_TYPE, 'msg_item[1] image is neither PNG nor JPEG'));
    const eleven = Array.from({ length: 11 }, () => image(PNG));
    await expect(c.replyStream(frame, 'stream-4', 'charts', true, eleven)).rejects.toEqual(
      refused(ERR.INVALID_PARAMETER, 'msg_item has 11 items, over 10'),
    );
    await expect(c.replyStream(frame, 'stream-5', 'é'.repeat(10241), true)).rejects.toEqual(
      refused(ERR.CONTENT_TOO_LONG, 'stream.content is 20482 bytes, over 20480'),
    );
    await expect(
      c.replyStream({ headers: { req_id: 'never-delivered' } }, 'stream-6', 'x', true),
    ).rejects.toEqual({
      headers: { req_id: 'never-delivered' },
      errcode: ERR.INVALID_REQ_ID,
      errmsg: 'invalid req_id: no such callback was delivered',
    });
    // 20480 bytes exactly is still fine.
    await expect(c.replyStream(frame, 'stream-7', 'é'.repeat(10240), true)).resolves.toMatchObject({
      errcode: 0,
    });

    expect(server.replies(reqId)).toEqual([
      { id: 'stream-1', finish: false, content: '正在查询…' },
      { id: 'stream-1', finish: true, content: 'BJ 昨日：3 条告警', msg_item: [image(PNG)] },
      { id: 'stream-7', finish: true, content: 'é'.repeat(10240) },
    ]);
    expect(server.problems).toEqual([
      'connection 1: aibot_respond_msg refused with 846608: stream message update expired: stream stream-1 already finished',
      'connection 1: aibot_respond_msg refused with 40058: msg_item[0].image.md5 does not match the image',
      'connection 1: aibot_respond_msg refused with 40004: msg_item[1] image is neither PNG nor JPEG',
      'connection 1: aibot_respond_msg refused with 40058: msg_item has 11 items, over 10',
      'connection 1: aibot_respond_msg refused with 45002: stream.content is 20482 bytes, over 20480',
      'connection 1: aibot_respond_msg refused with 846605: invalid req_id: no such callback was delivered',
    ]);
  });

  test('a user may have three unfinished streams; a fourth is refused unless it finishes in the same frame', async () => {
    const c = connect();
    await next(c, 'authenticated');
    const frames: WsFrame[] = [];
    c.on('message.text', (f) => frames.push(f));
    const ids = ['一', '二', '三', '四'].map((q) => server.text({ from: 'lisi', content: q }));
    const other = server.text({ from: 'wangwu', content: '五' });
    await server.waitFor(() => frames.length === 5, 2000, 'five messages');
    const [f1, f2, f3, f4, f5] = frames;

    for (const [f, id] of [
      [f1, 's1'],
      [f2, 's2'],
      [f3, 's3'],
    ] as const)
      await expect(c.replyStream(f, id, '…', false)).resolves.toMatchObject({ errcode: 0 });
    await expect(c.replyStream(f4, 's4', '…', false)).rejects.toEqual({
      headers: { req_id: ids[3] },
      errcode: ERR.TOO_MANY_STREAMS,
      errmsg: 'user lisi already has 3 unfinished streams (at most 3)',
    });
    await expect(c.replyStream(f4, 's4-at-once', '完成', true)).resolves.toMatchObject({
      errcode: 0,
    });
    await expect(c.replyStream(f5, 's5', '…', false)).resolves.toMatchObject({ errcode: 0 });
    // Finishing one frees a place.
    await expect(c.replyStream(f1, 's1', '完成', true)).resolves.toMatchObject({ errcode: 0 });
    await expect(c.replyStream(f4, 's4', '…', false)).resolves.toMatchObject({ errcode: 0 });

    expect(server.replies(ids[3])).toEqual([
      { id: 's4-at-once', finish: true, content: '完成' },
      { id: 's4', finish: false, content: '…' },
    ]);
    expect(server.replies(other)).toEqual([{ id: 's5', finish: false, content: '…' }]);
    expect(server.problems).toEqual([
      'connection 1: aibot_respond_msg refused with 45033: user lisi already has 3 unfinished streams (at most 3)',
    ]);
  });
});

test('events: enter_chat takes a welcome reply but not a stream; template_card_event takes a card update', async () => {
  const c = connect();
  await next(c, 'authenticated');
  const entered = next(c, 'event.enter_chat');
  const enter = server.event({ from: 'lisi', eventtype: 'enter_chat' });
  const [frame] = await entered;
  expect(frame).toEqual({
    cmd: 'aibot_event_callback',
    headers: { req_id: enter },
    body: {
      msgid: server.callback(enter)!.body.msgid,
      create_time: 1_760_000_000,
      aibotid: server.botId,
      chattype: 'single',
      from: { userid: 'lisi' },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    },
  });
  await expect(
    c.replyWelcome(frame, { msgtype: 'text', text: { content: '你好，我是 Sitewatch' } }),
  ).resolves.toMatchObject({ errcode: 0 });
  await expect(c.replyStream(frame, 's', 'x', true)).rejects.toMatchObject({
    errcode: ERR.INVALID_REQ_ID,
    errmsg: 'invalid req_id: not a message callback',
  });

  const clicked = next(c, 'event.template_card_event');
  const click = server.event({
    from: 'lisi',
    eventtype: 'template_card_event',
    data: { template_card_event: { event_key: 'ack', task_id: 'alarm-7' } },
  });
  const [card] = await clicked;
  expect((card.body as { event: unknown }).event).toEqual({
    eventtype: 'template_card_event',
    template_card_event: { event_key: 'ack', task_id: 'alarm-7' },
  });
  await expect(
    c.updateTemplateCard(card, { card_type: 'text_notice', task_id: 'alarm-7' }),
  ).resolves.toMatchObject({ errcode: 0 });
  await expect(
    c.replyWelcome(card, { msgtype: 'text', text: { content: 'x' } }),
  ).rejects.toMatchObject({ errcode: ERR.INVALID_REQ_ID });

  expect(server.responses(enter)).toEqual([
    {
      cmd: 'aibot_respond_welcome_msg',
      body: { msgtype: 'text', text: { content: '你好，我是 Sitewatch' } },
    },
  ]);
  expect(server.responses(click)).toEqual([
    {
      cmd: 'aibot_respond_update_msg',
      body: {
        response_type: 'update_template_card',
        template_card: { card_type: 'text_notice', task_id: 'alarm-7' },
      },
    },
  ]);
  expect(server.problems).toEqual([
    'connection 1: aibot_respond_msg refused with 846605: invalid req_id: not a message callback',
    'connection 1: aibot_respond_welcome_msg refused with 846605: invalid req_id: not an enter_chat event',
  ]);
});

test('sendMessage reaches a chat that talked to the robot and is refused for one that did not', async () => {
  const c = connect();
  await next(c, 'authenticated');
  const got = next(c, 'message.text');
  server.text({ from: 'zhangsan', chatId: 'wrkGroupSH', content: '状态 上海' });
  await got;

  const markdown = { msgtype: 'markdown' as const, markdown: { content: '**告警** BJ 磁盘 91%' } };
  const ok = await c.sendMessage('wrkGroupSH', markdown);
  expect(ok).toEqual({
    headers: { req_id: expect.stringMatching(/^aibot_send_msg_/) },
    errcode: 0,
    errmsg: 'ok',
  });
  expect(server.framesOf('aibot_send_msg').map((f) => f.frame)).toEqual([
    {
      cmd: 'aibot_send_msg',
      headers: { req_id: ok.headers.req_id },
      body: { chatid: 'wrkGroupSH', ...markdown },
    },
  ]);
  expect(server.sent('wrkGroupSH')).toEqual([{ chatid: 'wrkGroupSH', ...markdown }]);

  await expect(c.sendMessage('wrkGroupGZ', markdown)).rejects.toEqual({
    headers: { req_id: expect.stringMatching(/^aibot_send_msg_/) },
    errcode: ERR.NOT_TALKED,
    errmsg: 'chat wrkGroupGZ never talked to the robot',
  });
  // zhangsan talked in the group only, not 1:1.
  await expect(c.sendMessage('zhangsan', markdown)).rejects.toMatchObject({
    errcode: ERR.NOT_TALKED,
  });
  await expect(
    c.sendMessage('wrkGroupSH', { msgtype: 'markdown', markdown: { content: '字'.repeat(6827) } }),
  ).rejects.toMatchObject({
    errcode: ERR.CONTENT_TOO_LONG,
    errmsg: 'markdown.content is 20481 bytes, over 20480',
  });
  expect(server.sent('wrkGroupGZ')).toEqual([]);
  expect(server.sent('wrkGroupSH')).toHaveLength(1);
  expect(server.problems).toEqual([
    'connection 1: aibot_send_msg refused with 990001: chat wrkGroupGZ never talked to the robot',
    'connection 1: aibot_send_msg refused with 990001: chat zhangsan never talked to the robot',
    'connection 1: aibot_send_msg refused with 45002: markdown.content is 20481 bytes, over 20480',
  ]);
});

test('uploadMedia in three chunks (one failed once and retried by the SDK), then sendMediaMessage with its media_id', async () => {
  const c = connect();
  await next(c, 'authenticated');
  const got = next(c, 'message.text');
  server.text({ from: 'lisi', content: '图' });
  await got;

  const bytes = Buffer.concat([PNG, randomBytes(1_100_000)]);
  server.failNext('aibot_upload_media_chunk', 1, -1, 'system busy');
  const result = await c.uploadMedia(bytes, { type: 'image', filename: 'bj-cpu.png' });

  expect(server.uploads).toHaveLength(1);
  const [upload] = server.uploads;
  expect(result).toEqual({ type: 'image', media_id: upload.mediaId, created_at: '1760000000' });
  expect(upload.bytes?.equals(bytes)).toBe(true);
  expect(bodyOf(server.framesOf('aibot_upload_media_init')[0])).toEqual({
    type: 'image',
    filename: 'bj-cpu.png',
    total_size: bytes.length,
    total_chunks: 3,
    md5: md5(bytes),
  });
  const chunks = server.framesOf('aibot_upload_media_chunk').map(bodyOf);
  expect(chunks).toHaveLength(4);
  expect(new Set(chunks.map((b) => b.chunk_index))).toEqual(new Set([0, 1, 2]));
  // The refused one is sent again 500 ms later, so it comes last.
  expect(chunks[3].chunk_index).toBe(chunks[0].chunk_index);
  expect(acksFor(reqIdOf(server.framesOf('aibot_upload_media_chunk')[0]))).toEqual([
    expect.objectContaining({ errcode: -1, errmsg: 'system busy' }),
  ]);
  expect(server.framesOf('aibot_upload_media_finish').map(bodyOf)).toEqual([
    { upload_id: upload.uploadId },
  ]);

  await expect(c.sendMediaMessage('lisi', 'image', result.media_id)).resolves.toMatchObject({
    errcode: 0,
  });
  expect(server.sent('lisi')).toEqual([
    { chatid: 'lisi', msgtype: 'image', image: { media_id: result.media_id } },
  ]);
  await expect(c.sendMediaMessage('lisi', 'image', 'no-such-media')).rejects.toMatchObject({
    errcode: ERR.INVALID_MEDIA_ID,
    errmsg: 'invalid media_id no-such-media',
  });
  await expect(c.sendMediaMessage('lisi', 'file', result.media_id)).rejects.toMatchObject({
    errcode: ERR.INVALID_MEDIA_ID,
    errmsg: `media_id ${result.media_id} is a image, not a file`,
  });
  expect(server.problems).toEqual([
    'connection 1: aibot_send_msg refused with 40007: invalid media_id no-such-media',
    `connection 1: aibot_send_msg refused with 40007: media_id ${result.media_id} is a image, not a file`,
  ]);
});

test('after drop() with reconnects refused for a while, the SDK reconnects and gets what was queued meanwhile', async () => {
  const c = connect();
  await next(c, 'authenticated');
  const reconnecting: number[] = [];
  const disconnected: string[] = [];
  c.on('reconnecting', (n) => reconnecting.push(n));
  c.on('disconnected', (r) => disconnected.push(r));

  server.refuseConnections(true);
  expect(server.drop()).toBe(1);
  await server.waitFor(() => server.refused >= 2, 2000, 'two refused reconnects');
  expect(server.openConnections()).toEqual([]);
  const queued = server.text({ from: 'lisi', content: '告警' });
  expect(server.callback(queued)?.deliveredTo).toBeUndefined();

  const got = next(c, 'message.text');
  server.refuseConnections(false);
  const [frame] = await got;
  expect(frame.headers.req_id).toBe(queued);
  expect(server.authenticatedConnections()).toEqual([2]);
  expect(server.callback(queued)?.deliveredTo).toBe(2);
  expect(disconnected[0]).toBe('code: 1006');
  expect(reconnecting).toEqual(Array.from({ length: server.refused + 1 }, (_, i) => i + 1));
  expect(server.frames.map((f) => [f.conn, f.frame?.cmd])).toEqual([
    [1, 'aibot_subscribe'],
    [2, 'aibot_subscribe'],
  ]);
  expect(server.problems).toEqual([]);
});

test('a second client that authenticates kicks the first with disconnected_event; the first does not reconnect', async () => {
  const a = connect({ heartbeatInterval: 20 });
  await next(a, 'authenticated');
  const kicked = next(a, 'event.disconnected_event');
  const aGone = next(a, 'disconnected');
  const aReconnecting: number[] = [];
  a.on('reconnecting', (n) => aReconnecting.push(n));

  const b = connect({ heartbeatInterval: 20 });
  await next(b, 'authenticated');
  const [event] = await kicked;
  expect(event).toEqual({
    cmd: 'aibot_event_callback',
    headers: { req_id: expect.stringMatching(/^[0-9a-f]{32}$/) },
    body: {
      msgid: expect.stringMatching(/^[0-9a-f]{32}$/),
      aibotid: server.botId,
      create_time: 1_760_000_000,
      msgtype: 'event',
      event: { eventtype: 'disconnected_event' },
    },
  });
  expect(await aGone).toEqual(['New connection established, server disconnected this connection']);

  // Long enough for a reconnect (20 ms) to have happened: B's third ping.
  await server.waitFor(
    () => server.framesOf('ping').filter((p) => p.conn === 2).length >= 3,
    2000,
    'three pings from B',
  );
  expect(aReconnecting).toEqual([]);
  expect(a.isConnected).toBe(false);
  expect(server.openConnections()).toEqual([2]);
  expect(server.authenticatedConnections()).toEqual([2]);
  expect(new Set(server.frames.map((f) => f.conn))).toEqual(new Set([1, 2]));

  const got = next(b, 'message.text');
  const r = server.text({ from: 'lisi', content: '还在吗' });
  await got;
  expect(server.callback(r)?.deliveredTo).toBe(2);
  expect(server.problems).toEqual([]);
});

describe('malformed and unknown frames', () => {
  test('from the server: the SDK ignores them and keeps working', async () => {
    const c = connect();
    await next(c, 'authenticated');
    const messages: string[] = [];
    const errors: Error[] = [];
    c.on('message', (f) => messages.push(f.headers.req_id));
    c.on('error', (e) => errors.push(e));

    expect(server.sendRaw('this is not json {')).toBe(1);
    server.sendRaw('null');
    server.sendRaw('[1,2,3]');
    server.sendRaw(
      JSON.stringify({ cmd: 'aibot_future_cmd', headers: { req_id: 'x1' }, body: {} }),
    );
    server.sendRaw(
      JSON.stringify({ headers: { req_id: 'nobody-waits' }, errcode: 0, errmsg: 'ok' }),
    );
    server.sendRaw(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'x2' } }));
    const got = next(c, 'message.text');
    const r = server.text({ from: 'lisi', content: '还活着吗' });
    const [frame] = await got;

    expect(frame.headers.req_id).toBe(r);
    expect(messages).toEqual([r]);
    expect(errors).toEqual([]);
    expect(c.isConnected).toBe(true);
    expect(server.authenticatedConnections()).toEqual([1]);
    await expect(c.replyStream(frame, 's', '在', true)).resolves.toMatchObject({ errcode: 0 });
    expect(server.problems).toEqual([]);
  });

  test('from the client: non-JSON, no cmd, no req_id, unknown cmd and frames before aibot_subscribe are problems; known req_ids get an error ack', async () => {
    const c = connect();
    await next(c, 'authenticated');
    const got = next(c, 'message.text');
    server.text({ from: 'lisi', content: '1' });
    const [frame] = await got;
    await expect(c.reply(frame, { anything: 1 }, 'aibot_future_cmd')).rejects.toEqual({
      headers: { req_id: frame.headers.req_id },
      errcode: ERR.INVALID_PARAMETER,
      errmsg: 'unknown cmd aibot_future_cmd',
    });

    const raw = new WebSocket(server.url);
    raws.push(raw);
    const received: unknown[] = [];
    raw.on('message', (d) => received.push(JSON.parse(String(d))));
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send('garbage {');
    raw.send(JSON.stringify({ cmd: 'ping', headers: { req_id: 'ping_early' } }));
    raw.send(JSON.stringify({ headers: { req_id: 'no-cmd' } }));
    raw.send(JSON.stringify({ cmd: 'aibot_respond_msg', body: {} }));
    await server.waitFor(() => server.problems.length === 5, 2000, 'five problems');

    expect(received).toEqual([
      {
        headers: { req_id: 'ping_early' },
        errcode: ERR.NOT_SUBSCRIBED,
        errmsg: 'not subscribed: send aibot_subscribe first',
      },
      { headers: { req_id: 'no-cmd' }, errcode: ERR.INVALID_PARAMETER, errmsg: 'missing cmd' },
    ]);
    expect(server.frames.filter((f) => f.conn === 2).map((f) => f.raw)).toEqual([
      'garbage {',
      '{"cmd":"ping","headers":{"req_id":"ping_early"}}',
      '{"headers":{"req_id":"no-cmd"}}',
      '{"cmd":"aibot_respond_msg","body":{}}',
    ]);
    expect(server.problems).toEqual([
      'connection 1: aibot_future_cmd refused with 40058: unknown cmd aibot_future_cmd',
      'connection 2: not JSON: garbage {',
      'connection 2: ping refused with 990002: not subscribed: send aibot_subscribe first',
      'connection 2: (no cmd) refused with 40058: missing cmd',
      'connection 2: aibot_respond_msg without headers.req_id',
    ]);
    // The unauthenticated socket did not take over.
    expect(server.authenticatedConnections()).toEqual([1]);
    expect(c.isConnected).toBe(true);
  });
});
