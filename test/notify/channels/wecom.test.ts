// WeCom robot channel against a real HTTP server on loopback that checks payloads the way WeCom documents them.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { createCanvas } from '@napi-rs/canvas';
import { SitewatchError } from '../../../src/errors';
import { createLogger, silentLogger } from '../../../src/log';
import { createWecomChannel, type WecomChannelOptions } from '../../../src/notify/channels/wecom';
import { formatMarkdown } from '../../../src/notify/format/markdown';
import type { SendContext } from '../../../src/notify/types';
import {
  TINY_PNG_BASE64,
  alarmNotice,
  botNotice,
  reportNotice,
  sendContext,
  type PartProgress,
} from '../fixtures';
import { KEY, robots, startRobot, stopRobots, type Robot } from '../../helpers/wecom-robot';

afterEach(() => stopRobots());

function chartPng(): Buffer {
  const canvas = createCanvas(16, 9);
  const g = canvas.getContext('2d');
  g.fillStyle = '#43a047';
  g.fillRect(0, 0, 16, 9);
  return canvas.toBuffer('image/png');
}

const ctxWith = (png: Buffer | null, progress?: PartProgress): SendContext =>
  sendContext(png, progress);

function channel(robot: Robot, o: Partial<WecomChannelOptions> = {}) {
  return createWecomChannel({
    robots: [{ name: '运维一群', url: robot.url, sites: ['BJ-CMCC'] }],
    timeoutMs: 2000,
    log: silentLogger,
    groupLimit: 20,
    ...o,
  });
}

async function failure(p: Promise<unknown>): Promise<SitewatchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SitewatchError);
  return err as SitewatchError;
}

describe('WeCom robot channel', () => {
  it('posts the markdown, then the chart as base64 with its md5', async () => {
    const robot = await startRobot();
    const png = chartPng();
    const ch = channel(robot);
    expect(ch.name).toBe('wecom');
    await ch.send('运维一群', alarmNotice(), ctxWith(png));
    expect(robot.problems).toEqual([]);
    expect(robot.payloads).toEqual([
      {
        msgtype: 'markdown',
        markdown: { content: formatMarkdown(alarmNotice(), { maxBytes: 4096, groupLimit: 20 }) },
      },
      {
        msgtype: 'image',
        image: { base64: png.toString('base64'), md5: createHash('md5').update(png).digest('hex') },
      },
    ]);
  });

  it('sends markdown alone when the notice has no chart', async () => {
    const robot = await startRobot();
    await channel(robot).send('运维一群', reportNotice(), ctxWith(null));
    expect(robot.payloads.map((p) => p.msgtype)).toEqual(['markdown']);
    expect(robot.problems).toEqual([]);
  });

  it('truncates 300 alarms to 4096 bytes with "……及其他 N 条"', async () => {
    const robot = await startRobot();
    await channel(robot, { groupLimit: 300 }).send('运维一群', alarmNotice(300), ctxWith(null));
    expect(robot.problems).toEqual([]);
    const p = robot.payloads[0];
    if (p.msgtype !== 'markdown') throw new Error('expected markdown');
    const { content } = p.markdown;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(4096);
    const listed = content.match(/^\*\*\d+\.\*\* /gm)!.length;
    expect(content.endsWith(`……及其他 ${300 - listed} 条`)).toBe(true);
    expect(listed).toBeGreaterThan(3);
  });

  it('sends the login QR code of a bot notice as the image', async () => {
    const robot = await startRobot();
    await channel(robot).send('运维一群', botNotice(), ctxWith(null));
    expect(robot.problems).toEqual([]);
    expect(robot.payloads[1]).toEqual({
      msgtype: 'image',
      image: {
        base64: TINY_PNG_BASE64,
        md5: createHash('md5').update(Buffer.from(TINY_PNG_BASE64, 'base64')).digest('hex'),
      },
    });
  });

  it('fails with errcode and errmsg when WeCom refuses, without the key', async () => {
    const robot = await startRobot();
    robot.answer = () => ({ status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } });
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(null)));
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe(
      'WeCom robot "运维一群": markdown refused: errcode 93000 invalid webhook url',
    );
  });

  it('names rate limiting (45009)', async () => {
    const robot = await startRobot();
    robot.answer = () => ({
      status: 200,
      body: { errcode: 45009, errmsg: 'api freq out of limit' },
    });
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(null)));
    expect(err.message).toContain('errcode 45009 (rate limited) api freq out of limit');
  });

  it('fails on an HTTP error', async () => {
    const robot = await startRobot();
    robot.answer = () => ({ status: 500, body: { error: 'boom' } });
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(null)));
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe('WeCom robot "运维一群": markdown not sent: HTTP 500');
  });

  it('fails on an answer that is not WeCom JSON', async () => {
    const robot = await startRobot();
    robot.answer = () => ({ status: 200, body: '<html>proxy login</html>' });
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(null)));
    expect(err.message).toBe(
      'WeCom robot "运维一群": markdown not sent: unexpected answer (HTTP 200)',
    );
  });

  it('times out when WeCom does not answer', async () => {
    const robot = await startRobot();
    robot.answer = () => 'hang';
    const started = Date.now();
    const err = await failure(
      channel(robot, { timeoutMs: 300 }).send('运维一群', alarmNotice(), ctxWith(null)),
    );
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe('WeCom robot "运维一群": markdown not sent: no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails when the server is down, without repeating the webhook key', async () => {
    const robot = await startRobot();
    await robot.close();
    robots.splice(robots.indexOf(robot), 1);
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(null)));
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain(KEY);
    expect(err.cause).toBeUndefined();
  });

  it('refuses an unknown robot', async () => {
    const robot = await startRobot();
    const err = await failure(channel(robot).send('不存在的群', alarmNotice(), ctxWith(null)));
    expect(err.code).toBe('NOTIFY_BAD_RECIPIENT');
    expect(err.message).toBe('no WeCom robot named "不存在的群" in notify.wecom.robots');
    expect(robot.payloads).toEqual([]);
  });

  it('refuses an image over 2 MB before sending anything', async () => {
    const robot = await startRobot();
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, 7);
    const err = await failure(channel(robot).send('运维一群', alarmNotice(), ctxWith(big)));
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe(
      `WeCom robot "运维一群": image is 2097153 bytes, over WeCom's limit of 2097152 bytes (2 MB)`,
    );
    expect(robot.payloads).toEqual([]);
  });

  it('records the text as delivered, so a retry (even on another hub) posts only the image', async () => {
    const robot = await startRobot();
    let refuseImage = true;
    robot.answer = (p) =>
      p.msgtype === 'image' && refuseImage
        ? { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } }
        : { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    const png = chartPng();
    const progress: PartProgress = { parts: 0, marks: [] };
    const err = await failure(
      channel(robot).send('运维一群', alarmNotice(), ctxWith(png, progress)),
    );
    expect(err.message).toBe(
      'WeCom robot "运维一群": image refused: errcode 45009 (rate limited) api freq out of limit',
    );
    expect(progress).toEqual({ parts: 1, marks: [1] });
    refuseImage = false;
    // A new channel object: nothing is remembered in memory, only in the progress (the outbox row).
    await channel(robot).send('运维一群', alarmNotice(), ctxWith(png, progress));
    expect(robot.payloads.map((p) => p.msgtype)).toEqual(['markdown', 'image', 'image']);
    expect(progress.marks).toEqual([1]);
    // Another message starts from nothing and is sent whole.
    await channel(robot).send('运维一群', reportNotice(), ctxWith(png));
    expect(robot.payloads.map((p) => p.msgtype).slice(3)).toEqual(['markdown', 'image']);
  });

  it('does not record a part when the notice is text alone', async () => {
    const robot = await startRobot();
    const progress: PartProgress = { parts: 0, marks: [] };
    await channel(robot).send('运维一群', alarmNotice(), ctxWith(null, progress));
    expect(robot.payloads.map((p) => p.msgtype)).toEqual(['markdown']);
    expect(progress.marks).toEqual([]);
  });

  it('logs the robot name, never the webhook key', async () => {
    const robot = await startRobot();
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const log = createLogger('debug', sink);
    await channel(robot, { log }).send('运维一群', alarmNotice(), ctxWith(chartPng()));
    robot.answer = () => ({ status: 500, body: {} });
    await failure(channel(robot, { log }).send('运维一群', reportNotice(), ctxWith(null)));
    expect(logged).toContain('"robot":"运维一群"');
    expect(logged).not.toContain(KEY);
  });
});
