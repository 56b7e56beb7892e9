// A WeCom group-robot webhook on loopback (node:http) that checks payloads the way WeCom documents them and answers as told.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** The webhook key every test robot requires. */
export const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

export type Payload =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { base64: string; md5: string } };

export interface Robot {
  url: string;
  /** Well-formed payloads received, in order. */
  payloads: Payload[];
  /** What the server found wrong with a request (should stay empty). */
  problems: string[];
  /** The answer to the next requests: status and body, or 'hang' to never answer. */
  answer: (p: Payload) => { status: number; body: unknown } | 'hang';
  close(): Promise<void>;
}

/** A WeCom webhook as documented: POST /cgi-bin/webhook/send?key=…, JSON, markdown ≤ 4096 bytes, image ≤ 2 MB with md5. */
function check(req: IncomingMessage, raw: string): { payload?: Payload; problem?: string } {
  if (req.method !== 'POST') return { problem: `method ${req.method}` };
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== KEY)
    return { problem: `url ${req.url}` };
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    return { problem: `content-type ${req.headers['content-type']}` };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { problem: 'not JSON' };
  }
  if (body.msgtype === 'markdown') {
    const content = (body.markdown as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string' || content === '')
      return { problem: 'markdown.content missing' };
    if (Buffer.byteLength(content, 'utf8') > 4096)
      return { problem: 'markdown.content over 4096 bytes' };
    return { payload: body as Payload };
  }
  if (body.msgtype === 'image') {
    const image = body.image as { base64?: unknown; md5?: unknown } | undefined;
    if (typeof image?.base64 !== 'string' || typeof image.md5 !== 'string')
      return { problem: 'image fields' };
    const bytes = Buffer.from(image.base64, 'base64');
    if (bytes.toString('base64') !== image.base64) return { problem: 'image.base64 is not base64' };
    if (bytes.length > 2 * 1024 * 1024) return { problem: 'image over 2 MB' };
    if (createHash('md5').update(bytes).digest('hex') !== image.md5)
      return { problem: 'image.md5 mismatch' };
    return { payload: body as Payload };
  }
  return { problem: `msgtype ${String(body.msgtype)}` };
}

/** The robots running now; stopRobots closes them. */
export const robots: Robot[] = [];
const hanging: ServerResponse[] = [];

/** A robot on a free loopback port; its `url` is the webhook to configure. */
export async function startRobot(): Promise<Robot> {
  const robot = {
    url: '',
    payloads: [] as Payload[],
    problems: [] as string[],
    answer: (() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } })) as Robot['answer'],
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { payload, problem } = check(req, Buffer.concat(chunks).toString('utf8'));
      if (problem || !payload) {
        robot.problems.push(problem ?? 'no payload');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errcode: 40008, errmsg: `invalid message: ${problem}` }));
        return;
      }
      robot.payloads.push(payload);
      const a = robot.answer(payload);
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
  robot.url = `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${KEY}`;
  robot.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  robots.push(robot);
  return robot;
}

/** Close every robot started (for afterEach), cutting requests left hanging. */
export async function stopRobots(): Promise<void> {
  for (const res of hanging.splice(0)) res.destroy();
  for (const r of robots.splice(0)) await r.close();
}
