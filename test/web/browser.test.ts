// The portal in a real browser (Debian chromium via playwright-core): log in, site, server range, alarm ack, logout, access and escaping, the icon; screenshots checked, with every Chinese glyph (bold too) drawn and no resource failing. SQLite only: this suite is about the UI; the inject suites cover both engines.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Alarm, CpuSample, MemSample } from '../../entities';
import { translator } from '../../src/web/i18n';
import { alarmListMessages, siteMessages } from '../../src/web/routes/site';
import { canvasStats, launchBrowser, missingGlyphs, pngStats } from '../helpers/browser';
import { type TestDb, openTestDb } from '../helpers/db';
import {
  HOSTILE_DESCRIPTION,
  HOSTILE_SERVER,
  HOUR,
  NOW,
  PASSWORD,
  type PortalSeed,
  createTestWeb,
  seedPortal,
} from './helpers';

jest.setTimeout(120_000);

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');
const t = translator('zh', siteMessages, alarmListMessages);

let db: TestDb & { close: () => Promise<void> };
let seeded: PortalSeed;
let app: FastifyInstance;
let origin: string;
let browser: Browser;
/** Every dialog any page opened (an executed alert() of hostile text would land here). */
const dialogs: string[] = [];
/** Uncaught page errors and CSP violations: the portal's scripts must run cleanly. */
const pageErrors: string[] = [];
/** Resources of a page (scripts, styles, fonts, the icon, API calls) that answered ≥ 400. */
const failedLoads: string[] = [];

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    // The browser's own requests (the icon) raise no response event, only this message. A page
    // that is itself an error (the 404 page of a test) logs it too: its status is asserted there.
    if (/^Failed to load resource/.test(m.text()) && m.location().url !== page.url())
      failedLoads.push(`${m.location().url}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest())
      failedLoads.push(`${r.url()}: ${r.status()}`);
  });
  return page;
}

/**
 * A full-page screenshot under test-artifacts/browser/, checked to show a real page whose Chinese
 * text, bold or not, is drawn in the web font rather than as empty boxes.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const png = await page.screenshot({ fullPage: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.png`), png);
  const s = await pngStats(png);
  expect(s.width).toBeGreaterThan(300);
  expect(s.colours).toBeGreaterThan(20);
  expect(s.inked).toBeGreaterThan(2000);
  expect(await missingGlyphs(page)).toEqual([]);
}

/** Wait until the chart's canvas shows at least `min` drawn pixels (ECharts animates in). */
async function waitForInk(page: Page, selector: string, min = 1500): Promise<number> {
  const deadline = Date.now() + 10_000;
  let inked = 0;
  while (Date.now() < deadline) {
    inked = (await canvasStats(page, selector)).inked;
    if (inked >= min) return inked;
    await page.waitForTimeout(100);
  }
  throw new Error(`${selector}: only ${inked} drawn pixels after 10 s`);
}

/** The series lengths of the option ECharts holds for the chart element `selector`. */
function drawnSeriesLengths(page: Page, selector: string): Promise<number[]> {
  return page.$eval(selector, (el) => {
    const ec = (
      window as unknown as {
        echarts: {
          getInstanceByDom(e: Element): { getOption(): { series: { data: unknown[] }[] } };
        };
      }
    ).echarts;
    return ec
      .getInstanceByDom(el)
      .getOption()
      .series.map((s) => s.data.length);
  });
}

async function logIn(page: Page, login: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${origin}/`), page.click('form[action="/login"] button')]);
}

beforeAll(async () => {
  db = await openTestDb('sqlite');
  seeded = await seedPortal(db.ds);
  // Older samples of BJ01 app01, so that 7 days show more points than 24 hours.
  const app01 = seeded.servers.app01.id;
  for (const ago of [30, 50, 72, 120]) {
    const at = NOW - ago * HOUR;
    await db.ds.getRepository(CpuSample).insert({
      serverId: app01,
      sampledAt: at,
      userPct: 15,
      sysPct: 3,
      ioPct: 1,
      idlePct: 81,
    });
    await db.ds.getRepository(MemSample).insert({
      serverId: app01,
      sampledAt: at,
      usedBytes: 4 * 1024 ** 3,
      freeBytes: 4 * 1024 ** 3,
      bufferBytes: 0,
      totalBytes: 8 * 1024 ** 3,
    });
  }
  app = await createTestWeb(db.ds);
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
});

afterEach(() => {
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(failedLoads.splice(0)).toEqual([]);
});

describe('the portal in chromium [sqlite]', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await newPage(context);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('logs in through the form and lists only the user’s sites', async () => {
    await page.goto(`${origin}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, '01-login');
    await logIn(page, 'li');
    const codes = await page.$$eval('#sites tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent?.trim()),
    );
    expect(codes).toEqual(['BJ01', 'SH01']);
    await screenshot(page, '02-sites');
  });

  it('site page: servers table, hostile names as text, drawn charts', async () => {
    await Promise.all([
      page.waitForURL(`${origin}/sites/BJ01`),
      page.click('a[href="/sites/BJ01"]'),
    ]);
    const names = await page.$$eval('#servers tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent?.trim()),
    );
    expect(names.sort()).toEqual([HOSTILE_SERVER, 'app01', 'app02', 'db01'].sort());
    expect(await page.$$('img[src="x"]')).toHaveLength(0);
    // The hostile alarm description is listed as text, not markup.
    const desc = await page.textContent(`tr[data-alarm-id="${seeded.hostile.alarmId}"] .desc`);
    expect(desc).toBe(HOSTILE_DESCRIPTION);
    await page.waitForSelector('#chart-trend[data-drawn="1"]');
    await page.waitForSelector('#chart-overview[data-drawn="1"]');
    expect(await waitForInk(page, '#chart-trend')).toBeGreaterThanOrEqual(1500);
    expect(await waitForInk(page, '#chart-overview')).toBeGreaterThanOrEqual(1500);
    await screenshot(page, '03-site');
  });

  it('draws Chinese in a real Chinese font (the bundled one here), not empty boxes', async () => {
    const r = await page.evaluate(async () => {
      await document.fonts.load('24px "Noto Sans SC"', '告警');
      const ink = (font: string, text: string) => {
        const c = document.createElement('canvas');
        c.width = 120;
        c.height = 40;
        const g = c.getContext('2d')!;
        g.font = font;
        g.fillText(text, 4, 30);
        return c.toDataURL();
      };
      // Without a Chinese font both words are the same two boxes.
      const differ = (font: string) => ink(font, '告警') !== ink(font, '恢复');
      const family = getComputedStyle(document.body).fontFamily;
      return {
        ready: document.fonts.check('24px "Noto Sans SC"', '告警'),
        differ: differ('24px "Noto Sans SC"'),
        boldDiffer: differ('bold 24px "Noto Sans SC"'),
        pageFontDiffer: [differ(`24px ${family}`), differ(`600 24px ${family}`)],
        faces: (() => {
          const out: string[][] = [];
          document.fonts.forEach((f) => out.push([f.family.replace(/"/g, ''), f.status]));
          return out;
        })(),
      };
    });
    expect(r).toEqual({
      ready: true,
      differ: true,
      boldDiffer: true,
      pageFontDiffer: [true, true],
      faces: [['Noto Sans SC', 'loaded']],
    });
    await screenshot(page, '03b-site-fonts');
  });

  it('server page: 7 d range refetches the metrics and redraws the charts', async () => {
    const href = `/sites/BJ01/servers/${seeded.servers.app01.id}`;
    await Promise.all([page.waitForURL(origin + href), page.click(`#servers a[href="${href}"]`)]);
    await page.waitForSelector('#chart-cpu[data-drawn="1"]');
    await waitForInk(page, '#chart-cpu');
    await waitForInk(page, '#chart-mem');
    const on = () =>
      page.$$eval('[data-range].on', (els) => els.map((e) => e.getAttribute('data-range')));
    expect(await on()).toEqual(['24h']);
    // 24 h: the three seeded readings of the last hour.
    expect(await drawnSeriesLengths(page, '#chart-cpu')).toEqual([3, 3, 3]);

    await page.$eval('#chart-cpu', (el) => el.removeAttribute('data-drawn'));
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/metrics?range=7d')),
      page.click('button[data-range="7d"]'),
    ]);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { range: string; charts: Record<string, unknown> };
    expect(body.range).toBe('7d');
    await page.waitForSelector('#chart-cpu[data-drawn="1"]');
    await page.waitForFunction(() => document.querySelector('[data-range="7d"].on') !== null);
    expect(await on()).toEqual(['7d']);
    // 7 d: plus the four older readings added for this suite.
    expect(await drawnSeriesLengths(page, '#chart-cpu')).toEqual([7, 7, 7]);
    await waitForInk(page, '#chart-cpu');
    await screenshot(page, '04-server-7d');
  });

  it('alarms page: hostile description as text; acknowledging shows it and records who', async () => {
    await Promise.all([page.waitForURL(/\/alarms/), page.click('header a[href="/alarms"]')]);
    const hostileRow = `#alarms tr[data-alarm-id="${seeded.hostile.alarmId}"]`;
    expect(await page.textContent(`${hostileRow} .desc`)).toBe(HOSTILE_DESCRIPTION);
    expect(await page.textContent('body')).toContain('<script>alert(1)</script>');

    const id = seeded.alarmIds.CPU_HIGH;
    const row = `#alarms tr[data-alarm-id="${id}"]`;
    const [res] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith(`/api/alarms/${id}/ack`) && r.request().method() === 'POST',
      ),
      page.click(`${row} button.ack[data-id="${id}"]`),
    ]);
    expect(res.status()).toBe(200);
    await page.waitForSelector(`${row} .acked`);
    expect((await page.textContent(`${row} .acked`))?.trim()).toBe(t('ackedBy', { name: '李雷' }));
    expect(await page.$(`${row} button.ack`)).toBeNull();
    const stored = await db.ds.getRepository(Alarm).findOneByOrFail({ id });
    expect(stored.ackedBy).toBe(seeded.li.userId);
    // And after a reload the page itself shows it.
    await page.reload();
    expect((await page.textContent(`${row} .acked`))?.trim()).toBe(t('ackedBy', { name: '李雷' }));
    await screenshot(page, '05-alarms');
  });

  it('logs out: Back does not show the protected page, / goes to the login page', async () => {
    const protectedUrl = page.url();
    await Promise.all([page.waitForURL(/\/login\?out=1$/), page.click('#logout')]);
    expect(await page.textContent('.notice')).toBe(t('loggedOut'));
    await screenshot(page, '06-logged-out');

    await page.goBack();
    await page.waitForLoadState('load');
    expect(page.url()).not.toBe(protectedUrl);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.$('#alarms')).toBeNull();
    expect(await page.$('#logout')).toBeNull();
    expect(await page.$('input[name="password"]')).not.toBeNull();

    const res = await page.goto(`${origin}/`);
    expect(res?.request().redirectedFrom()?.url()).toBe(`${origin}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.$('#sites')).toBeNull();
  });
});

describe('Chinese text in chromium [sqlite]', () => {
  it('draws the bold header brand in the web font like regular text, on a fresh browser’s first page', async () => {
    // The brand is the first Chinese a fresh browser lays out, while the web font is still loading.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await newPage(context);
      await page.goto(`${origin}/login`);
      expect(await page.$eval('header .brand', (el) => getComputedStyle(el).fontWeight)).toBe(
        '600',
      );
      expect(await page.$eval('h1', (el) => getComputedStyle(el).fontWeight)).toBe('700');
      expect(await missingGlyphs(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('access rules in chromium [sqlite]', () => {
  it('an operator opening another site gets the same 404 page as for a missing site', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await newPage(context);
      await logIn(page, 'li');
      const other = await page.goto(`${origin}/sites/BJ02`);
      expect(other?.status()).toBe(404);
      const otherText = await page.textContent('main');
      expect(otherText).toContain(t('notFound'));
      expect(otherText).not.toContain('北京二号');
      await screenshot(page, '07-other-site-404');
      const missing = await page.goto(`${origin}/sites/NOPE`);
      expect(missing?.status()).toBe(404);
      expect(await page.textContent('main')).toBe(otherText);
      const api = await context.request.get(`${origin}/api/sites/BJ02`);
      expect(api.status()).toBe(404);
    } finally {
      await context.close();
    }
  });
});

describe('the icon in chromium [sqlite]', () => {
  it('every page names an icon the portal serves, and /favicon.ico is a real icon too', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await newPage(context);
      // A page of the layout, and the error page (a 404 of its own, its resources must still load).
      for (const url of ['/login', '/no-such-page']) {
        await page.goto(origin + url);
        const icon = await page.$eval('link[rel="icon"]', (l) => (l as HTMLLinkElement).href);
        expect(icon).toBe(`${origin}/static/favicon.svg`);
      }
      for (const [url, type] of [
        ['/static/favicon.svg', 'image/svg+xml'],
        ['/favicon.ico', 'image/vnd.microsoft.icon'],
      ]) {
        const res = await context.request.get(origin + url);
        expect([url, res.status(), res.headers()['content-type']]).toEqual([url, 200, type]);
        // Decoded by the browser under the page's CSP: an image, not just bytes.
        const size = await page.evaluate(async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          return [img.naturalWidth, img.naturalHeight];
        }, origin + url);
        expect([url, size]).toEqual([url, [32, 32]]);
      }
    } finally {
      await context.close();
    }
  });
});
