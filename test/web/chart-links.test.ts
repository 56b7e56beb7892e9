// GET /charts/<id>.png on the real portal: the exact PNG for a valid signed link without a session, and one and the same refusal for every bad, expired or foreign link and every other path under /charts/.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createChartLinks } from '../../src/outbox/chart-links';
import { describeEachEngine } from '../helpers/db';
import { NOW, TEST_SESSION_SECRET, createTestWeb, login, seedPortal, PASSWORD } from './helpers';

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
const LINK_SECRET = 'portal-link-secret-0123456789abcdef';
const PUBLIC_URL = 'https://portal.example.com';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(90 * 1024)]);
const OTHER_PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]);
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** The path and query of a link, as a chat client requests it. */
const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

/** What a refusal consists of: everything that could tell one reason from another. */
function answer(res: LightMyRequestResponse) {
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    cache: res.headers['cache-control'],
    body: res.body,
  };
}

const REFUSAL = {
  status: 404,
  type: 'text/plain; charset=utf-8',
  cache: 'no-store',
  body: 'Not found',
};

describeEachEngine('portal chart links', (db) => {
  let clock = NOW;
  let app: FastifyInstance | undefined;
  const ds = () => db().ds;
  const links = (secret = LINK_SECRET) =>
    createChartLinks({ ds: ds(), publicUrl: PUBLIC_URL, secret, ttlMs: WEEK, now: () => clock });
  const portal = async (web: Record<string, unknown> = {}) =>
    (app = await createTestWeb(ds(), {
      now: () => clock,
      web: { publicUrl: PUBLIC_URL, linkSecret: LINK_SECRET, ...web },
    }));
  const get = (url: string, headers: Record<string, string> = {}) =>
    app!.inject({ method: 'GET', url, headers });

  beforeEach(async () => {
    clock = NOW;
    await ds().query('DELETE FROM chart_link');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves the exact PNG at a signed link, without a session and without making one', async () => {
    const url = await links().link(sha1('notice 1'), PNG);
    await portal();
    const res = await get(pathOf(url));
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(PNG.length));
    expect(res.headers['cache-control']).toBe(`private, max-age=${WEEK / 1000}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();

    // An hour before the expiry the browser may keep it an hour, no longer.
    clock = NOW + WEEK - 3600_000;
    const late = await get(pathOf(url));
    expect(late.statusCode).toBe(200);
    expect(late.headers['cache-control']).toBe('private, max-age=3600');
  });

  it('answers every bad, expired, foreign or missing link with the same refusal', async () => {
    const first = await links().link(sha1('notice 1'), PNG);
    const second = await links().link(sha1('notice 2'), OTHER_PNG);
    const m = /^\/charts\/(\d+)\.png\?exp=(\d+)&sig=([0-9a-f]{64})$/.exec(pathOf(first))!;
    const [, id, exp, sig] = m;
    const id2 = /\/charts\/(\d+)\.png/.exec(second)![1];
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    const foreign = pathOf(await links('another-secret-0123456789abcdefgh').link(sha1('n3'), PNG));
    // A link that was valid, to a row retention deleted since.
    const gone = pathOf(await links().link(sha1('notice 4'), PNG));
    await ds().query('DELETE FROM chart_link WHERE digest = ?', [sha1('notice 4')]);
    await portal();
    expect((await get(pathOf(first))).statusCode).toBe(200);
    expect((await get(pathOf(second))).statusCode).toBe(200);

    const bad = [
      `/charts/${id}.png?exp=${exp}&sig=${flipped}`,
      `/charts/${id}.png?exp=${exp}&sig=${sig.toUpperCase()}`,
      `/charts/${id}.png?exp=${exp}&sig=${sig.slice(0, 40)}`,
      `/charts/${id}.png?exp=${exp}&sig=`,
      `/charts/${id}.png?exp=${exp}`,
      `/charts/${id}.png?sig=${sig}`,
      `/charts/${id}.png`,
      `/charts/${id}.png?exp=${Number(exp) + 1}&sig=${sig}`,
      `/charts/${id}.png?exp=${Number(exp) + WEEK}&sig=${sig}`,
      `/charts/${id}.png?exp=0${exp}&sig=${sig}`,
      `/charts/${id}.png?exp=${exp}&exp=${exp}&sig=${sig}`,
      `/charts/${id}.png?exp=${exp}&sig=${sig}&sig=${sig}`,
      `/charts/${id2}.png?exp=${exp}&sig=${sig}`,
      `/charts/${Number(id) + 1000}.png?exp=${exp}&sig=${sig}`,
      `/charts/0${id}.png?exp=${exp}&sig=${sig}`,
      `/charts/${id}.PNG?exp=${exp}&sig=${sig}`,
      `/charts/${id}.png.png?exp=${exp}&sig=${sig}`,
      `/charts/${id}.jpg?exp=${exp}&sig=${sig}`,
      `/charts/${id}?exp=${exp}&sig=${sig}`,
      `/charts/-${id}.png?exp=${exp}&sig=${sig}`,
      `/charts/${id}e0.png?exp=${exp}&sig=${sig}`,
      `/charts/${id}%00.png?exp=${exp}&sig=${sig}`,
      `/charts/%20${id}.png?exp=${exp}&sig=${sig}`,
      `/charts/abc.png?exp=${exp}&sig=${sig}`,
      `/charts/${'9'.repeat(30)}.png?exp=${exp}&sig=${sig}`,
      `/charts/${id}.png/extra?exp=${exp}&sig=${sig}`,
      `/charts/${id}.png%2F..%2F..%2Fadmin?exp=${exp}&sig=${sig}`,
      `/charts/..%2F..%2Fetc%2Fpasswd?exp=${exp}&sig=${sig}`,
      `/charts/%2e%2e%2fstatic%2fapp.css?exp=${exp}&sig=${sig}`,
      `/charts/..%5C..%5Cadmin?exp=${exp}&sig=${sig}`,
      '/charts/',
      '/charts/static/app.css',
      foreign,
      gone,
    ];
    for (const url of bad) expect([url, answer(await get(url))]).toEqual([url, REFUSAL]);

    // The same link once the clock reaches its expiry: the same refusal.
    clock = Number(exp);
    expect(answer(await get(pathOf(first)))).toEqual(REFUSAL);
    clock = Number(exp) - 1;
    expect((await get(pathOf(first))).statusCode).toBe(200);
  });

  it('is not behind the login, and a signed-in session changes nothing', async () => {
    await seedPortal(ds());
    const url = pathOf(await links().link(sha1('notice 1'), PNG));
    await portal();
    const admin = await login(app!, 'admin', PASSWORD);
    const signedIn = await get(url, { cookie: admin.cookie });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.rawPayload.equals(PNG)).toBe(true);
    const flipped = url.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(answer(await get(flipped, { cookie: admin.cookie }))).toEqual(REFUSAL);
    // Other pages still want a session.
    const page = await get('/');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2F');
  });

  it('checks links with web.sessionSecret when no web.linkSecret is set', async () => {
    const url = pathOf(await links(TEST_SESSION_SECRET).link(sha1('notice 1'), PNG));
    const byLinkSecret = pathOf(await links().link(sha1('notice 2'), PNG));
    await portal({ linkSecret: null });
    expect((await get(url)).rawPayload.equals(PNG)).toBe(true);
    expect(answer(await get(byLinkSecret))).toEqual(REFUSAL);
  });

  it('refuses every link when no secret is configured', async () => {
    const url = pathOf(await links(TEST_SESSION_SECRET).link(sha1('notice 1'), PNG));
    await portal({ publicUrl: null, linkSecret: null, sessionSecret: null });
    expect(answer(await get(url))).toEqual(REFUSAL);
  });
});
