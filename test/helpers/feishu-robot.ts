// A Feishu / Lark custom-bot webhook on loopback (node:http) that checks token, signature and interactive cards the way Feishu documents them, and answers as told.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** The webhook token every test bot requires (the last segment of its URL). */
export const FEISHU_TOKEN = '5e3d587e-d78e-4a07-bd07-265f269f86fd';

/** The signing secret of test bots that sign. */
export const FEISHU_SECRET = 'nIMtb7r3N9pkXyXdtAbx6eQwErTy';

/** Feishu's limit on a custom bot's request body: 20 KB. */
export const FEISHU_LIMIT = 20 * 1024;

/** How far a signature's timestamp may be from the server's clock, in seconds. */
const FRESH_S = 60 * 60;

export interface FeishuMarkdown {
  tag: 'markdown';
  content: string;
}
export interface FeishuAction {
  tag: 'action';
  actions: {
    tag: 'button';
    text: { tag: 'plain_text'; content: string };
    type: string;
    url: string;
  }[];
}

export interface FeishuPayload {
  msg_type: 'interactive';
  timestamp?: string;
  sign?: string;
  card: {
    config?: { wide_screen_mode?: boolean };
    header: { template: string; title: { tag: 'plain_text'; content: string } };
    elements: (FeishuMarkdown | FeishuAction | { tag: 'hr' })[];
  };
}

export interface FeishuRobotServer {
  /** The webhook to configure. */
  url: string;
  /** Well-formed payloads accepted by the checks, in order. */
  payloads: FeishuPayload[];
  /** What the server found wrong with a request (should stay empty). */
  problems: string[];
  /** The answer to the next well-formed requests: status, body and headers, or 'hang' to never answer. */
  answer: (
    p: FeishuPayload,
  ) => { status: number; body: unknown; headers?: Record<string, string> } | 'hang';
  close(): Promise<void>;
}

export interface FeishuRobotOptions {
  /** The secret signatures are checked with; null: the bot is not signed. */
  secret?: string | null;
  /** The server's clock (ms), for the timestamp's freshness. */
  now?: () => number;
}

const answer = (code: number, msg: string) => ({ status: 200, body: { code, data: {}, msg } });

/** Feishu's answers for the outcomes the tests ask for. */
export const FEISHU_ANSWERS = {
  ok: answer(0, 'success'),
  /** What older deployments answer on success. */
  okLegacy: { status: 200, body: { Extra: null, StatusCode: 0, StatusMessage: 'success' } },
  signMismatch: answer(
    19021,
    'sign match fail or timestamp is not within one hour from current time',
  ),
  rateLimited: answer(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]'),
  badRequest: answer(9499, 'Bad Request'),
  tokenInvalid: answer(19001, 'param invalid: incoming webhook access token invalid'),
};

type Check = { payload: FeishuPayload } | { problem: string; reply: unknown };

const bad = (problem: string, reply: unknown = FEISHU_ANSWERS.badRequest.body): Check => ({
  problem,
  reply,
});

const TEMPLATES = new Set([
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
]);

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const onlyKeys = (o: Record<string, unknown>, keys: string[]) =>
  Object.keys(o).every((k) => keys.includes(k));

function plainText(v: unknown): boolean {
  return (
    isObj(v) &&
    onlyKeys(v, ['tag', 'content']) &&
    v.tag === 'plain_text' &&
    typeof v.content === 'string' &&
    v.content !== ''
  );
}

function elementProblem(e: unknown): string | null {
  if (!isObj(e)) return 'element not an object';
  if (e.tag === 'markdown')
    return onlyKeys(e, ['tag', 'content']) && typeof e.content === 'string' && e.content !== ''
      ? null
      : 'markdown element';
  if (e.tag === 'hr') return onlyKeys(e, ['tag']) ? null : 'hr element';
  if (e.tag === 'action') {
    if (!onlyKeys(e, ['tag', 'actions']) || !Array.isArray(e.actions) || e.actions.length === 0)
      return 'action element';
    for (const b of e.actions as unknown[]) {
      if (
        !isObj(b) ||
        !onlyKeys(b, ['tag', 'text', 'type', 'url']) ||
        b.tag !== 'button' ||
        !plainText(b.text) ||
        !['default', 'primary', 'danger'].includes(String(b.type)) ||
        typeof b.url !== 'string' ||
        !/^https?:\/\//.test(b.url)
      )
        return 'button';
    }
    return null;
  }
  return `element tag ${String(e.tag)}`;
}

/**
 * A custom bot as documented: POST /open-apis/bot/v2/hook/<token>, JSON, a body of at most 20 KB,
 * with a secret `timestamp` (seconds, within an hour) and `sign` = base64(HMAC-SHA256 keyed by
 * timestamp+"\n"+secret over nothing) in the body, and an interactive card: a header with a title
 * and a template colour, and markdown / hr / action (link button) elements.
 */
function check(req: IncomingMessage, raw: Buffer, secret: string | null, nowMs: number): Check {
  if (req.method !== 'POST') return bad(`method ${req.method}`);
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== `/open-apis/bot/v2/hook/${FEISHU_TOKEN}` || url.search !== '')
    return bad(`url ${url.pathname}`, FEISHU_ANSWERS.tokenInvalid.body);
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    return bad(`content-type ${req.headers['content-type']}`);
  if (raw.length > FEISHU_LIMIT) return bad(`body of ${raw.length} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return bad('not JSON');
  }
  if (!isObj(body)) return bad('body not an object');
  if (secret !== null) {
    const ts = body.timestamp;
    if (typeof ts !== 'string' || !/^\d{10}$/.test(ts) || typeof body.sign !== 'string')
      return bad('timestamp or sign missing', FEISHU_ANSWERS.signMismatch.body);
    if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > FRESH_S)
      return bad('timestamp not within an hour', FEISHU_ANSWERS.signMismatch.body);
    const want = createHmac('sha256', `${ts}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
    if (body.sign !== want) return bad('sign mismatch', FEISHU_ANSWERS.signMismatch.body);
  } else if ('sign' in body || 'timestamp' in body) {
    return bad('signed, but the bot has no secret');
  }
  if (!onlyKeys(body, ['msg_type', 'card', 'timestamp', 'sign'])) return bad('unknown fields');
  if (body.msg_type !== 'interactive') return bad(`msg_type ${String(body.msg_type)}`);
  const card = body.card;
  if (!isObj(card) || !onlyKeys(card, ['config', 'header', 'elements'])) return bad('card');
  const header = card.header;
  if (!isObj(header) || !onlyKeys(header, ['template', 'title']) || !plainText(header.title))
    return bad('card.header');
  if (!TEMPLATES.has(String(header.template))) return bad(`template ${String(header.template)}`);
  if (!Array.isArray(card.elements) || card.elements.length === 0) return bad('card.elements');
  for (const e of card.elements) {
    const p = elementProblem(e);
    if (p) return bad(p);
  }
  return { payload: body as unknown as FeishuPayload };
}

/** The bots running now; stopFeishuRobots closes them. */
export const feishuRobots: FeishuRobotServer[] = [];
const hanging: ServerResponse[] = [];

/** A bot on a free loopback port (signed with FEISHU_SECRET unless told otherwise). */
export async function startFeishuRobot(o: FeishuRobotOptions = {}): Promise<FeishuRobotServer> {
  const secret = o.secret === undefined ? FEISHU_SECRET : o.secret;
  const now = o.now ?? Date.now;
  const robot: FeishuRobotServer = {
    url: '',
    payloads: [],
    problems: [],
    answer: () => FEISHU_ANSWERS.ok,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const c = check(req, Buffer.concat(chunks), secret, now());
      if ('problem' in c) {
        robot.problems.push(c.problem);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(c.reply));
        return;
      }
      robot.payloads.push(c.payload);
      const a = robot.answer(c.payload);
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  robot.url = `http://127.0.0.1:${port}/open-apis/bot/v2/hook/${FEISHU_TOKEN}`;
  robot.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  feishuRobots.push(robot);
  return robot;
}

/** Close every bot started (for afterEach), cutting requests left hanging. */
export async function stopFeishuRobots(): Promise<void> {
  for (const res of hanging.splice(0)) res.destroy();
  for (const r of feishuRobots.splice(0)) await r.close();
}
