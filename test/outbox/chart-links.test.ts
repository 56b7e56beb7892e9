// Chart links on both engines: one stored PNG per notice across hubs, the exact signed URL, tampering and expiry with an injected clock, and deletion of expired charts.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  MAX_CHART_PNG_BYTES,
  chartLinksFor,
  createChartLinks,
  deleteExpiredChartLinks,
} from '../../src/outbox/chart-links';
import { describeEachEngine, testConfig } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const DAY = 24 * 3600_000;
const TTL = 7 * DAY;
const SECRET = 'chart-link-secret-0123456789abcdef';
const BASE = 'https://portal.example.com';
const DIGEST_A = createHash('sha1').update('notice A').digest('hex');
const DIGEST_B = createHash('sha1').update('notice B').digest('hex');
const PNG_A = Buffer.from('89504e470d0a1a0a00000000a1', 'hex');
const PNG_B = Buffer.from('89504e470d0a1a0a00000000b2', 'hex');

/** The signature as the link format defines it, computed here independently of the module. */
function expectedSig(secret: string, id: number, exp: number): string {
  const key = createHmac('sha256', secret).update('sitewatch chart link v1').digest();
  return createHmac('sha256', key).update(`${id}.${exp}`).digest('hex');
}

function parse(url: string): { base: string; id: number; exp: number; sig: string } {
  const m = /^(.*)\/charts\/(\d+)\.png\?exp=(\d+)&sig=([0-9a-f]{64})$/.exec(url);
  if (!m) throw new Error(`not a chart link: ${url}`);
  return { base: m[1], id: Number(m[2]), exp: Number(m[3]), sig: m[4] };
}

async function rows(ds: DataSource) {
  const r = (await ds.query(
    'SELECT id, digest, created_at, expires_at FROM chart_link ORDER BY id',
  )) as Record<string, unknown>[];
  return r.map((x) => ({
    id: Number(x.id),
    digest: String(x.digest),
    createdAt: Number(x.created_at),
    expiresAt: Number(x.expires_at),
  }));
}

describeEachEngine('chart links', (db) => {
  let t = T0;
  const ds = () => db().ds;
  const store = (o: { secret?: string; publicUrl?: string | null } = {}) =>
    createChartLinks({
      ds: ds(),
      publicUrl: o.publicUrl === undefined ? `${BASE}/` : o.publicUrl,
      secret: o.secret ?? SECRET,
      ttlMs: TTL,
      now: () => t,
    });

  beforeEach(async () => {
    t = T0;
    await ds().query('DELETE FROM chart_link');
  });

  it('stores one chart per notice for two hubs, and both hand out the same signed link', async () => {
    const hubA = store();
    const hubB = store();
    const [a, b] = await Promise.all([hubA.link(DIGEST_A, PNG_A), hubB.link(DIGEST_A, PNG_B)]);
    const stored = await rows(ds());
    expect(stored).toEqual([
      { id: expect.any(Number) as number, digest: DIGEST_A, createdAt: T0, expiresAt: T0 + TTL },
    ]);
    const id = stored[0].id;
    const url = `${BASE}/charts/${id}.png?exp=${T0 + TTL}&sig=${expectedSig(SECRET, id, T0 + TTL)}`;
    expect([a, b]).toEqual([url, url]);
    // One of the two renders is stored, and both hubs serve that one.
    const png = await hubA.png(id);
    expect([PNG_A, PNG_B].filter((p) => p.equals(png!))).toHaveLength(1);
    expect(await hubB.png(id)).toEqual(png);

    // Later calls, on either hub, find the row (later within the week: the same link).
    t = T0 + 2 * DAY;
    expect(await hubB.link(DIGEST_A, PNG_B)).toBe(url);
    expect(await rows(ds())).toHaveLength(1);

    // One after the other: the first hub's render is kept, the second's is not stored.
    const other = await hubA.link(DIGEST_B, PNG_B);
    const o = parse(other);
    expect(o.id).not.toBe(id);
    expect(other).toBe(
      `${BASE}/charts/${o.id}.png?exp=${t + TTL}&sig=${expectedSig(SECRET, o.id, t + TTL)}`,
    );
    expect(await hubB.link(DIGEST_B, PNG_A)).toBe(other);
    expect(await hubB.png(o.id)).toEqual(PNG_B);
    expect((await rows(ds())).map((r) => r.digest)).toEqual([DIGEST_A, DIGEST_B]);
  });

  it('keeps PNG bytes exactly, also beyond the 64 KiB of a MariaDB BLOB', async () => {
    const big = randomBytes(300 * 1024);
    const { id } = parse(await store().link(DIGEST_A, big));
    const back = await store().png(id);
    expect(back?.length).toBe(big.length);
    expect(back?.equals(big)).toBe(true);
    expect(await store().png(id + 1)).toBeNull();
  });

  it('accepts its own signature until the expiry and refuses any tampering', async () => {
    const links = store();
    const { id, exp, sig } = parse(await links.link(DIGEST_A, PNG_A));
    const { id: id2 } = parse(await links.link(DIGEST_B, PNG_B));
    expect(links.verify(id, exp, sig)).toBe(true);
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    expect(links.verify(id, exp, flipped)).toBe(false);
    expect(links.verify(id, exp + 1, sig)).toBe(false);
    expect(links.verify(id, exp - 1, sig)).toBe(false);
    expect(links.verify(id2, exp, sig)).toBe(false);
    expect(links.verify(id, exp, sig.toUpperCase())).toBe(false);
    expect(links.verify(id, exp, sig.slice(0, 63))).toBe(false);
    expect(links.verify(id, exp, `${sig}0`)).toBe(false);
    expect(links.verify(id, exp, '')).toBe(false);
    expect(links.verify(id + 0.5, exp, sig)).toBe(false);
    // Another secret's signature of the same link.
    expect(store({ secret: 'another-secret-0123456789abcdefgh' }).verify(id, exp, sig)).toBe(false);
    expect(links.verify(id, exp, expectedSig('another-secret-0123456789abcdefgh', id, exp))).toBe(
      false,
    );

    t = exp - 1;
    expect(links.verify(id, exp, sig)).toBe(true);
    t = exp;
    expect(links.verify(id, exp, sig)).toBe(false);
    t = exp + DAY;
    expect(links.verify(id, exp, sig)).toBe(false);
  });

  it('gives a retried notice a fresh week once its stored link nears expiry, never shortening one', async () => {
    const links = store();
    const first = parse(await links.link(DIGEST_A, PNG_A));
    expect(first.exp).toBe(T0 + TTL);
    // Three days on: more than half the week is left, the same link.
    t = T0 + 3 * DAY;
    expect(parse(await links.link(DIGEST_A, PNG_A))).toEqual(first);
    // Five days on: two days left is too little; the row lives a week from now.
    t = T0 + 5 * DAY;
    const again = parse(await links.link(DIGEST_A, PNG_A));
    expect(again).toEqual({
      base: BASE,
      id: first.id,
      exp: t + TTL,
      sig: expectedSig(SECRET, first.id, t + TTL),
    });
    expect(await rows(ds())).toEqual([
      { id: first.id, digest: DIGEST_A, createdAt: T0, expiresAt: t + TTL },
    ]);
    // The first link still holds until its own expiry.
    expect(links.verify(first.id, first.exp, first.sig)).toBe(true);
    t = first.exp;
    expect(links.verify(first.id, first.exp, first.sig)).toBe(false);
    expect(links.verify(again.id, again.exp, again.sig)).toBe(true);
  });

  it('deletes the charts whose links have all expired, in batches', async () => {
    const links = store();
    const { id: a } = parse(await links.link(DIGEST_A, PNG_A));
    t = T0 + DAY;
    const { id: b } = parse(await links.link(DIGEST_B, PNG_B));
    expect(await links.deleteExpired(T0 + TTL)).toBe(0);
    expect(await links.deleteExpired(T0 + TTL + 1)).toBe(1);
    expect((await rows(ds())).map((r) => r.id)).toEqual([b]);
    expect(await links.png(a)).toBeNull();
    expect(await links.png(b)).toEqual(PNG_B);

    const many = 1203;
    for (let i = 0; i < many; i += 200) {
      const n = Math.min(200, many - i);
      const params: unknown[] = [];
      for (let j = 0; j < n; j++) params.push(`d${i + j}`, PNG_A, T0, T0 + j);
      await ds().query(
        `INSERT INTO chart_link (digest, png, created_at, expires_at) VALUES ${new Array(n).fill('(?,?,?,?)').join(',')}`,
        params,
      );
    }
    expect(await deleteExpiredChartLinks(ds(), T0 + DAY)).toBe(many);
    expect((await rows(ds())).map((r) => r.id)).toEqual([b]);
  });

  it('makes no link without a public URL or with a bad digest, and says why', async () => {
    await expect(store({ publicUrl: null }).link(DIGEST_A, PNG_A)).rejects.toThrow(
      'web.publicUrl is not set: a chart link has no address',
    );
    await expect(store().link('not-a-sha1', PNG_A)).rejects.toThrow(
      'a chart link needs the sha1 (40 hex digits) of its notice',
    );
    await expect(store().link(DIGEST_A, Buffer.alloc(MAX_CHART_PNG_BYTES + 1))).rejects.toThrow(
      `a chart of ${MAX_CHART_PNG_BYTES + 1} bytes is too large to link`,
    );
    expect(await rows(ds())).toEqual([]);
  });

  it('takes its secret from web.linkSecret, else web.sessionSecret, else makes none', async () => {
    const web = (w: Record<string, unknown>) =>
      testConfig({ web: { enabled: true, publicUrl: BASE, ...w } }).web;
    const linkSecret = 'link-secret-0123456789abcdefghijkl';
    const sessionSecret = 'session-secret-0123456789abcdefghij';
    expect(chartLinksFor(ds(), web({ sessionSecret: null, publicUrl: null }), () => t)).toBeNull();

    const both = chartLinksFor(ds(), web({ linkSecret, sessionSecret }), () => t)!;
    const url = await both.link(DIGEST_A, PNG_A);
    const l = parse(url);
    expect(url).toBe(
      `${BASE}/charts/${l.id}.png?exp=${T0 + TTL}&sig=${expectedSig(linkSecret, l.id, l.exp)}`,
    );
    const bySession = chartLinksFor(ds(), web({ sessionSecret }), () => t)!;
    expect(bySession.verify(l.id, l.exp, l.sig)).toBe(false);
    const s = parse(await bySession.link(DIGEST_A, PNG_A));
    expect(s.sig).toBe(expectedSig(sessionSecret, l.id, l.exp));

    // web.chartLinkDays sets the lifetime of new links.
    await ds().query('DELETE FROM chart_link');
    const days = chartLinksFor(ds(), web({ linkSecret, chartLinkDays: 2 }), () => t)!;
    expect(parse(await days.link(DIGEST_B, PNG_B)).exp).toBe(T0 + 2 * DAY);
    // Without a public URL it still checks links (made by a hub that has one), but makes none.
    const checker = chartLinksFor(ds(), web({ linkSecret, publicUrl: null }), () => t)!;
    expect(checker.verify(l.id, l.exp, l.sig)).toBe(true);
  });
});
