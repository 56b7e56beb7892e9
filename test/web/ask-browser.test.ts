// The ask box (问一问) in a real browser (Debian chromium via playwright-core): a question typed on the sites page is answered without a reload, the text as text with its line breaks, the chart drawn by ECharts. SQLite only: the inject suite covers both engines.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { canvasStats, launchBrowser, missingGlyphs, pngStats } from '../helpers/browser';
import { type TestDb, openTestDb } from '../helpers/db';
import { HOSTILE_SERVER, PASSWORD, createTestWeb, seedPortal } from './helpers';

jest.setTimeout(120_000);

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');

let db: TestDb & { close: () => Promise<void> };
let app: FastifyInstance;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];
/** Responses of the page's requests, as "METHOD path status". */
const responses: string[] = [];

beforeAll(async () => {
  db = await openTestDb('sqlite');
  await seedPortal(db.ds);
  app = await createTestWeb(db.ds);
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    responses.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await db?.close();
});

afterEach(() => {
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function waitForInk(selector: string, min = 1500): Promise<number> {
  const deadline = Date.now() + 10_000;
  let inked = 0;
  while (Date.now() < deadline) {
    inked = (await canvasStats(page, selector)).inked;
    if (inked >= min) return inked;
    await page.waitForTimeout(100);
  }
  throw new Error(`${selector}: only ${inked} drawn pixels after 10 s`);
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const png = await page.screenshot({ fullPage: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.png`), png);
  const s = await pngStats(png);
  expect(s.colours).toBeGreaterThan(20);
  expect(s.inked).toBeGreaterThan(2000);
  expect(await missingGlyphs(page)).toEqual([]);
}

/** Type `question` into the box, send it with Enter, and wait for its answer (entry `n`, from 1). */
async function askInBox(question: string, n: number): Promise<void> {
  await page.fill('#ask-text', question);
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/ask'),
    page.press('#ask-text', 'Enter'),
  ]);
  await page.waitForSelector(`#ask-log .ask-entry:nth-child(${n})[data-done="1"]`);
}

describe('the ask box in chromium [sqlite]', () => {
  it('answers 状态 BJ01 on the sites page: the text with its line breaks, the chart drawn, no reload', async () => {
    await page.goto(`${origin}/login`);
    await page.fill('input[name="login"]', 'zhou');
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${origin}/`), page.click('form[action="/login"] button')]);
    // the sites page draws no chart of its own: ECharts is not loaded yet
    expect(await page.evaluate(() => 'echarts' in window)).toBe(false);
    expect(await page.isVisible('#ask-answer')).toBe(false);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    responses.length = 0;

    await askInBox('状态 BJ01', 1);
    // the same document: nothing was reloaded
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(page.url()).toBe(`${origin}/`);
    expect(responses).toEqual(['POST /api/ask 200', 'GET /static/vendor/echarts.min.js 200']);
    expect(await page.isVisible('#ask-answer')).toBe(true);
    expect(await page.textContent('#ask-log .ask-entry .ask-q')).toBe('状态 BJ01');
    // the text as text: the hostile server name shows, nothing of it runs or loads
    const shown = await page.$eval('#ask-log .ask-entry .ask-text', (el) => ({
      text: (el as HTMLElement).innerText,
      lines:
        (el as HTMLElement).getClientRects()[0].height /
        parseFloat(getComputedStyle(el).lineHeight),
    }));
    expect(shown.text.split('\n')).toEqual([
      '北京一号（BJ01）状态（2026-11-25 21:00）',
      '服务器 4 台：在报 3，停报 1；活动告警 3 条',
      `${HOSTILE_SERVER} 10.0.0.9：CPU 4.0%，内存 25.0%，磁盘 —，最后 2026-11-25 20:59`,
      'app01 10.0.0.1：CPU 15.0%，内存 50.0%，磁盘 80.0%（/data），最后 2026-11-25 20:55',
      'app02 10.0.0.2：CPU 6.0%，内存 12.5%，磁盘 25.0%（/），最后 2026-11-25 20:56',
      'db01 10.0.0.3：CPU 45.0%，内存 75.0%，磁盘 90.0%（/），最后 2026-11-25 18:00【停报】',
      '最近采集 2026-11-25 20:55',
    ]);
    // laid out on seven lines, not run together
    expect(Math.round(shown.lines)).toBe(7);
    expect(await page.$$('#ask-log img')).toHaveLength(0);
    // the chart: an ECharts canvas in the answer, with the overview's four servers
    await page.waitForSelector('#ask-log .ask-chart[data-drawn="1"] canvas');
    expect(await page.getAttribute('#ask-log .ask-chart', 'aria-label')).toBe(
      '北京一号 服务器概览（CPU/内存/磁盘）',
    );
    expect(await waitForInk('#ask-log .ask-chart')).toBeGreaterThanOrEqual(1500);
    const bars = await page.$eval('#ask-log .ask-chart', (el) => {
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
    expect(bars).toEqual([4, 4, 4]);
    expect(await page.inputValue('#ask-text')).toBe('');
    await screenshot('ask-01-status');
  });

  it('adds later answers below, says a refusal in words, and clears', async () => {
    await askInBox('状态 BJ02', 2);
    expect(await page.textContent('#ask-log .ask-entry:nth-child(2) .ask-text')).toBe(
      '没有找到该局点。您可查询的局点：BJ01 北京一号',
    );
    await askInBox('状'.repeat(501), 3);
    expect(await page.textContent('#ask-log .ask-entry:nth-child(3) .ask-a.error')).toBe(
      '没有问成：问题太长：最多 500 个字，这次有 501 个字。',
    );
    // the first answer and its chart are still there
    expect(await page.$$('#ask-log .ask-entry')).toHaveLength(3);
    expect((await canvasStats(page, '#ask-log .ask-chart')).inked).toBeGreaterThanOrEqual(1500);
    await screenshot('ask-02-more');
    await page.click('#ask-clear');
    expect(await page.isVisible('#ask-answer')).toBe(false);
    expect(await page.$$('#ask-log .ask-entry')).toHaveLength(0);
  });

  it('works on a page that draws charts of its own, next to them', async () => {
    await Promise.all([
      page.waitForURL(`${origin}/sites/BJ01`),
      page.click('a[href="/sites/BJ01"]'),
    ]);
    await page.waitForSelector('#chart-overview[data-drawn="1"]');
    await askInBox('cpu app01', 1);
    expect(await page.textContent('#ask-log .ask-text')).toBe(
      'app01（北京一号）近 24 小时 CPU：最新 15.0%，平均 17.8%，最高 26.0%（2026-11-25 20:30），共 3 个点',
    );
    await page.waitForSelector('#ask-log .ask-chart[data-drawn="1"]');
    expect(await waitForInk('#ask-log .ask-chart')).toBeGreaterThanOrEqual(1500);
    // the page's own chart is untouched
    expect(await waitForInk('#chart-overview')).toBeGreaterThanOrEqual(1500);
    await screenshot('ask-03-site');
  });
});
