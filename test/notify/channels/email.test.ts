// Email channel against a real SMTP server on loopback: the mail as received, inline images, and every way SMTP fails.
import { createServer, type Server, type Socket } from 'node:net';
import { createCanvas } from '@napi-rs/canvas';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SitewatchError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { createEmailChannel, type EmailChannelOptions } from '../../../src/notify/channels/email';
import type { Channel, SendContext } from '../../../src/notify/types';
import {
  TINY_PNG_BASE64,
  alarmNotice,
  botNotice,
  reportNotice,
  sendContext,
  type PartProgress,
} from '../fixtures';

interface Received {
  mail: ParsedMail;
  rcptTo: string[];
}

interface Smtp {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const smtpError = (code: number, text: string) =>
  Object.assign(new Error(text), { responseCode: code });

async function startSmtp(extra: Partial<SMTPServerOptions> = {}): Promise<Smtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks), { keepCidLinks: true }).then(
          (mail) => {
            received.push({ mail, rcptTo: session.envelope.rcptTo.map((a) => a.address) });
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function chartPng(): Buffer {
  const canvas = createCanvas(8, 6);
  const g = canvas.getContext('2d');
  g.fillStyle = '#1e88e5';
  g.fillRect(0, 0, 8, 6);
  return canvas.toBuffer('image/png');
}

const ctxWith = (png: Buffer | null, progress?: PartProgress): SendContext =>
  sendContext(png, progress);

const channels: Channel[] = [];
function channel(port: number, o: Partial<EmailChannelOptions> = {}): Channel {
  const ch = createEmailChannel({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: 'Sitewatch <sitewatch@example.com>',
    timeoutMs: 3000,
    log: silentLogger,
    groupLimit: 20,
    ...o,
  });
  channels.push(ch);
  return ch;
}

async function failure(p: Promise<unknown>): Promise<SitewatchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SitewatchError);
  return err as SitewatchError;
}

const servers: Smtp[] = [];
async function smtp(extra: Partial<SMTPServerOptions> = {}): Promise<Smtp> {
  const s = await startSmtp(extra);
  servers.push(s);
  return s;
}

afterEach(async () => {
  for (const ch of channels.splice(0)) await ch.close?.();
  for (const s of servers.splice(0)) await s.close();
});

describe('email channel', () => {
  it('sends the alarm notice with text, HTML table and the chart inline', async () => {
    const s = await smtp();
    const png = chartPng();
    const notice = alarmNotice();
    notice.items[0].description = '<script>alert(1)</script>';
    await channel(s.port).send('ops@example.com', notice, ctxWith(png));

    expect(s.received).toHaveLength(1);
    const { mail, rcptTo } = s.received[0];
    expect(rcptTo).toEqual(['ops@example.com']);
    expect(mail.subject).toBe(
      '[Sitewatch] 北京移动（BJ-CMCC） 新告警 3 条 恢复 1 条 提醒 1 条 升级 1 条',
    );
    expect(mail.from?.value).toEqual([{ address: 'sitewatch@example.com', name: 'Sitewatch' }]);
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value.map((a) => a.address)).toEqual([
      'ops@example.com',
    ]);
    expect(mail.text).toContain(
      '【告警】北京移动（BJ-CMCC）：新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
    );
    expect(mail.text).toContain(
      '2. [严重] 链路中断（LINK_DOWN）\n节点：gw-02  发生：11-24 08:00\n',
    );
    expect(mail.text).toContain('描述：<script>alert(1)</script>');
    expect(mail.text).toContain('已由 李四 静默');

    const html = String(mail.html);
    expect(html).toContain('>级别</th>');
    expect(html).toContain('>发生时间</th>');
    expect(html.match(/<tr><td /g)).toHaveLength(6);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');

    expect(mail.attachments).toHaveLength(1);
    const att = mail.attachments[0];
    expect(att.contentType).toBe('image/png');
    expect(att.contentDisposition).toBe('inline');
    expect(att.content.equals(png)).toBe(true);
    expect(att.cid).toMatch(/^chart-[\w-]+@sitewatch$/);
    // Parsed with keepCidLinks, so the HTML shows the reference as sent.
    expect(html).toContain(`src="cid:${att.cid}"`);
  });

  it('sends the daily report without an image when there is no chart', async () => {
    const s = await smtp();
    await channel(s.port).send('boss@example.com', reportNotice(), ctxWith(null));
    const { mail } = s.received[0];
    expect(mail.subject).toBe('[Sitewatch] 北京移动（BJ-CMCC） 日报 2026-11-24');
    expect(mail.text).toContain('通知发送失败 3 条，请查看 sitewatch outbox');
    expect(mail.attachments).toHaveLength(0);
    expect(String(mail.html)).not.toContain('<img');
  });

  it('attaches the login QR code of a bot notice inline', async () => {
    const s = await smtp();
    await channel(s.port).send('admin@example.com', botNotice(), ctxWith(null));
    const { mail } = s.received[0];
    expect(mail.subject).toBe('[Sitewatch] 微信机器人已掉线');
    expect(mail.text).toContain(
      '请用机器人的微信扫描二维码重新登录：https://login.weixin.qq.com/l/Abc123==',
    );
    expect(mail.attachments).toHaveLength(1);
    const qr = mail.attachments[0];
    expect(qr.content.equals(Buffer.from(TINY_PNG_BASE64, 'base64'))).toBe(true);
    expect(qr.cid).toMatch(/^qr-[\w-]+@sitewatch$/);
    expect(String(mail.html)).toContain(`<img src="cid:${qr.cid}" alt="登录二维码"`);
  });

  it('refuses a recipient that is not an email address, sending nothing', async () => {
    const s = await smtp();
    const ch = channel(s.port);
    for (const bad of [
      'ops',
      'ops@localhost',
      'a b@example.com',
      'x@example.com\r\nBcc: evil@example.com',
    ]) {
      const err = await failure(ch.send(bad, alarmNotice(), ctxWith(null)));
      expect(err.code).toBe('NOTIFY_BAD_RECIPIENT');
    }
    expect(s.received).toHaveLength(0);
  });

  it('maps outbox recipients to addresses when told how', async () => {
    const s = await smtp();
    const ch = channel(s.port, {
      resolveAddress: async (r) => (r === 'user:zhang' ? 'zhang@example.com' : null),
    });
    await ch.send('user:zhang', reportNotice(), ctxWith(null));
    expect(s.received.map((r) => r.rcptTo)).toEqual([['zhang@example.com']]);
    expect((await failure(ch.send('user:nobody', reportNotice(), ctxWith(null)))).code).toBe(
      'NOTIFY_BAD_RECIPIENT',
    );
  });

  it.each([
    ['refuses the recipient (550)', 550, 'rcpt'],
    ['refuses the message (550)', 550, 'data'],
    ['defers the recipient (451)', 451, 'rcpt'],
    ['defers the message (451)', 451, 'data'],
  ] as const)('fails with the SMTP code when the server %s', async (_name, code, stage) => {
    const reject = smtpError(code, code === 550 ? 'mailbox unavailable' : 'try again later');
    const s = await smtp(
      stage === 'rcpt'
        ? { onRcptTo: (_a, _s, cb) => cb(reject) }
        : {
            onData(stream, _session, cb) {
              stream.resume();
              stream.on('end', () => cb(reject));
            },
          },
    );
    const err = await failure(
      channel(s.port).send('ops@example.com', alarmNotice(), ctxWith(null)),
    );
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toMatch(new RegExp(`^email to ops@example\\.com failed: SMTP ${code} `));
    expect(err.message).toContain(code === 550 ? 'mailbox unavailable' : 'try again later');
  });

  it('never repeats the credentials of the SMTP URL', async () => {
    const s = await smtp({ onRcptTo: (_a, _s, cb) => cb(smtpError(550, 'no such user')) });
    const ch = channel(s.port, { smtpUrl: `smtp://alice:S3cret-Pass@127.0.0.1:${s.port}` });
    const err = await failure(ch.send('ops@example.com', alarmNotice(), ctxWith(null)));
    expect(err.message).toContain('SMTP 550');
    expect(err.message).not.toContain('S3cret-Pass');
    expect(err.cause).toBeUndefined();
  });

  it('times out on a server that accepts the connection but never greets', async () => {
    const sockets: Socket[] = [];
    const mute: Server = createServer((sock) => sockets.push(sock));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const port = (mute.address() as { port: number }).port;
    try {
      const started = Date.now();
      const err = await failure(
        channel(port, { timeoutMs: 300 }).send('ops@example.com', alarmNotice(), ctxWith(null)),
      );
      expect(err.code).toBe('NOTIFY_SEND_FAILED');
      expect(err.message).toMatch(/timed out after 300 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('fails when the server is down', async () => {
    const s = await startSmtp();
    await s.close();
    const err = await failure(
      channel(s.port, { smtpUrl: `smtp://bob:Hunter2-pw@127.0.0.1:${s.port}` }).send(
        'ops@example.com',
        alarmNotice(),
        ctxWith(null),
      ),
    );
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain('Hunter2-pw');
  });
});
