// A DingTalk custom-robot webhook on loopback (node:http) that checks token, 加签 signature and payloads the way DingTalk documents them, and answers as told.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** The access token every test robot requires. */
export const DINGTALK_TOKEN = 'c0ffee5e1d2a4b7e9f00112233445566778899aabbccddeeff00112233445566';

/** The 加签 secret of test robots that sign. */
export const DINGTALK_SECRET = 'SEC4f6b1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2';

/** DingTalk's limit on a message, in bytes of the request body. */
export const DINGTALK_LIMIT = 20_000;

/** How far a signature's timestamp may be from the server's clock. */
const FRESH_MS = 60 * 60 * 1000;

export interface DingtalkPayload {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at?: { atMobiles?: string[]; atUserIds?: string[]; isAtAll?: boolean };
}

export interface DingtalkRobotServer {
  /** The webhook to configure (without a signature). */
  url: string;
  /** Well-formed payloads accepted by the checks, in order. */
  payloads: DingtalkPayload[];
  /** The signature timestamps of accepted requests (ms), in order. */
  timestamps: number[];
  /** What the server found wrong with a request (should stay empty). */
  problems: string[];
  /** The answer to the next well-formed requests: status and body, or 'hang' to never answer. */
  answer: (p: DingtalkPayload) => { status: number; body: unknown } | 'hang';
  close(): Promise<void>;
}

export interface DingtalkRobotOptions {
  /** The secret signatures are checked with; null: the robot is not signed (keywords or IP whitelist). */
  secret?: string | null;
  /** The server's clock, for the timestamp's freshness (the channel under test may run a fake one). */
  now?: () => number;
}

const answer = (errcode: number, errmsg: string) => ({ status: 200, body: { errcode, errmsg } });

/** DingTalk's answers for the failures the tests ask for. */
export const DINGTALK_ANSWERS = {
  ok: answer(0, 'ok'),
  signMismatch: answer(
    310000,
    'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
  ),
  staleTimestamp: answer(310000, 'invalid timestamp'),
  tooFast: answer(130101, 'send too fast, exceed 20 times per minute'),
  tooLong: answer(460101, 'message too long, exceed 20000 bytes'),
  noToken: answer(300005, 'token is not exist'),
  busy: answer(-1, '系统繁忙'),
};

type Check =
  { payload: DingtalkPayload } | { problem: string; reply: { errcode: number; errmsg: string } };

const bad = (
  problem: string,
  reply = { errcode: 40035, errmsg: `缺少参数 ${problem}` },
): Check => ({
  problem,
  reply,
});

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * A custom robot as documented: POST /robot/send?access_token=…[&timestamp=ms&sign=urlencode(base64(
 * HMAC-SHA256(secret, timestamp+"\n"+secret)))] within an hour of now, JSON in UTF-8, a markdown
 * message with title and text, at most 20000 bytes, and each @-mentioned mobile or userid written
 * as "@…" in the text (DingTalk highlights only those).
 */
function check(
  req: IncomingMessage,
  raw: Buffer,
  secret: string | null,
  now: number,
): Check & { timestamp?: number } {
  if (req.method !== 'POST')
    return bad(`method ${req.method}`, { errcode: 43002, errmsg: '需要POST请求' });
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/robot/send') return bad(`path ${url.pathname}`);
  if (url.searchParams.get('access_token') !== DINGTALK_TOKEN)
    return bad('access_token', DINGTALK_ANSWERS.noToken.body);
  let timestamp: number | undefined;
  if (secret !== null) {
    const ts = url.searchParams.get('timestamp') ?? '';
    // The raw sign must be percent-encoded: a bare '+' would read as a space, '/' and '=' break the query.
    const rawSign = /[?&]sign=([^&]*)/.exec(req.url ?? '')?.[1] ?? '';
    if (!/^\d{13}$/.test(ts) || rawSign === '')
      return bad('sign', DINGTALK_ANSWERS.signMismatch.body);
    if (!/^[A-Za-z0-9%]+$/.test(rawSign))
      return bad('sign not URL-encoded', DINGTALK_ANSWERS.signMismatch.body);
    timestamp = Number(ts);
    if (Math.abs(now - timestamp) > FRESH_MS)
      return bad('timestamp not within an hour', DINGTALK_ANSWERS.staleTimestamp.body);
    const want = createHmac('sha256', secret).update(`${ts}\n${secret}`, 'utf8').digest();
    const got = Buffer.from(decodeURIComponent(rawSign), 'base64');
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return bad('sign mismatch', DINGTALK_ANSWERS.signMismatch.body);
  }
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    return bad(`content-type ${req.headers['content-type']}`, {
      errcode: 43004,
      errmsg: '无效的HTTP HEADER Content-Type',
    });
  if (!/charset=utf-8/i.test(req.headers['content-type'] ?? ''))
    return bad('charset not UTF-8', { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' });
  if (raw.length > DINGTALK_LIMIT)
    return bad(`body of ${raw.length} bytes`, DINGTALK_ANSWERS.tooLong.body);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return bad('not JSON');
  }
  if (body.msgtype !== 'markdown') return bad(`msgtype ${String(body.msgtype)}`);
  const keys = Object.keys(body).filter((k) => !['msgtype', 'markdown', 'at'].includes(k));
  if (keys.length > 0) return bad(`unknown fields ${keys.join()}`);
  const md = body.markdown as { title?: unknown; text?: unknown } | undefined;
  if (typeof md?.title !== 'string' || md.title === '') return bad('markdown.title');
  if (typeof md.text !== 'string' || md.text === '') return bad('markdown.text');
  const at = body.at as DingtalkPayload['at'] | undefined;
  if (at !== undefined) {
    if (at.atMobiles !== undefined && !isStrings(at.atMobiles)) return bad('at.atMobiles');
    if (at.atUserIds !== undefined && !isStrings(at.atUserIds)) return bad('at.atUserIds');
    if (at.isAtAll !== undefined && typeof at.isAtAll !== 'boolean') return bad('at.isAtAll');
    for (const who of [...(at.atMobiles ?? []), ...(at.atUserIds ?? [])])
      if (!md.text.includes(`@${who}`)) return bad(`@${who} not in the text`);
  }
  return { payload: body as unknown as DingtalkPayload, timestamp };
}

/** The robots running now; stopDingtalkRobots closes them. */
export const dingtalkRobots: DingtalkRobotServer[] = [];
const hanging: ServerResponse[] = [];

/** A robot on a free loopback port (signed with DINGTALK_SECRET unless told otherwise). */
export async function startDingtalkRobot(
  o: DingtalkRobotOptions = {},
): Promise<DingtalkRobotServer> {
  const secret = o.secret === undefined ? DINGTALK_SECRET : o.secret;
  const now = o.now ?? Date.now;
  const robot: DingtalkRobotServer = {
    url: '',
    payloads: [],
    timestamps: [],
    problems: [],
    answer: () => DINGTALK_ANSWERS.ok,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const c = check(req, Buffer.concat(chunks), secret, now());
      if ('problem' in c) {
        robot.problems.push(c.problem);
        // DingTalk answers refusals with HTTP 200 and an errcode.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(c.reply));
        return;
      }
      robot.payloads.push(c.payload);
      if (c.timestamp !== undefined) robot.timestamps.push(c.timestamp);
      const a = robot.answer(c.payload);
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  robot.url = `http://127.0.0.1:${port}/robot/send?access_token=${DINGTALK_TOKEN}`;
  robot.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  dingtalkRobots.push(robot);
  return robot;
}

/** Close every robot started (for afterEach), cutting requests left hanging. */
export async function stopDingtalkRobots(): Promise<void> {
  for (const res of hanging.splice(0)) res.destroy();
  for (const r of dingtalkRobots.splice(0)) await r.close();
}
