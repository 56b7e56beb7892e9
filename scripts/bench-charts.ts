// npm run bench:charts: PNG chart speed in-process and through the worker pool, against headless Chromium.
/// <reference lib="dom" />
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { availableParallelism, cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { createChartRegistry } from '../charts/registry';
import type { ChartContext } from '../charts/types';
import { bundledFontPaths, registerChartFonts } from '../src/render/fonts';
import { SIZES, renderPng } from '../src/render/render';
import { createChartRenderer } from '../src/render/chart-renderer';
import type { ChartOption } from '../src/types/chart-option';

const FAMILY = 'Noto Sans SC';
const ctx: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 40;

/** Deterministic pseudo-random numbers, so every run draws the same charts. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function datasets(): Record<string, unknown> {
  const r = prng(7);
  const end = Date.UTC(2026, 10, 25, 16);
  const day = Array.from({ length: 288 }, (_, i) => end - (287 - i) * 300_000);
  const diurnal = (t: number) => 25 + 20 * Math.sin(((t / 3_600_000 + 2) / 24) * 2 * Math.PI);
  const GiB = 2 ** 30;
  const dates = Array.from({ length: 30 }, (_, i) =>
    new Date(Date.UTC(2026, 9, 27 + i)).toISOString().slice(0, 10),
  );
  let total = 1_250_000;
  return {
    'server-cpu': {
      server: 'BJ-CMCC-app01',
      points: day.map((at) => ({
        at,
        user: diurnal(at) + r() * 10,
        sys: 5 + r() * 5,
        io: r() * 3,
      })),
    },
    'server-mem': {
      server: 'BJ-CMCC-app01',
      points: day.map((at, i) => ({
        at,
        usedBytes: (9 + i / 100 + r()) * GiB,
        bufferBytes: 3 * GiB,
        totalBytes: 16 * GiB,
      })),
    },
    'server-disk': {
      server: 'BJ-CMCC-app01',
      mounts: ['/', '/data'].map((mount, k) => ({
        mount,
        points: day.map((at, i) => ({
          at,
          usedBytes: (20 + k * 200 + i / 50) * GiB,
          totalBytes: (50 + k * 450) * GiB,
        })),
      })),
    },
    'site-overview': {
      site: 'BJ-CMCC',
      servers: Array.from({ length: 20 }, (_, i) => ({
        name: `BJ-CMCC-app${String(i + 1).padStart(2, '0')}`,
        cpuPct: r() * 100,
        memPct: 40 + r() * 50,
        diskPct: 30 + r() * 60,
        stale: i === 19,
      })),
    },
    'business-trend': {
      site: 'BJ-CMCC',
      days: dates.map((date) => {
        const sub = Math.round(800 + r() * 400);
        const unsub = Math.round(300 + r() * 200);
        total += sub - unsub;
        return {
          date,
          sub,
          unsub,
          total,
          calls: Math.round(2e6 + r() * 5e5),
          shows: Math.round(1.5e6 + r() * 4e5),
          mo: Math.round(3e5 + r() * 5e4),
          mt: Math.round(4e5 + r() * 6e4),
        };
      }),
    },
    'alarm-counts': {
      site: 'BJ-CMCC',
      perDay: dates.map((date) => ({ date, count: Math.round(r() * 40) })),
      perNode: Array.from({ length: 15 }, (_, i) => ({
        node: `node-${i + 1}`,
        count: Math.round(r() * 80),
      })),
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (n: number, d = 1) => n.toFixed(d);

/** Debian's chromium, headless, with nothing that would reach for the network. */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A browser context the size of a chat chart, at the same pixel ratio as our PNGs. */
function chartContext(browser: Browser) {
  return browser.newContext({
    viewport: { width: SIZES.chat.width, height: SIZES.chat.height },
    deviceScaleFactor: SIZES.chat.pixelRatio,
  });
}

async function chromiumTimes(
  options: [string, ChartOption][],
  runs: number,
): Promise<Map<string, number[]>> {
  const browser = await launchChromium();
  try {
    const context = await chartContext(browser);
    const page = await context.newPage();
    // The same font the hub uses, so both draw the same glyphs.
    const font = readFileSync(bundledFontPaths().regular).toString('base64');
    await page.setContent(
      `<html><head><style>@font-face{font-family:'${FAMILY}';src:url(data:font/otf;base64,${font})}body{margin:0}</style></head>` +
        `<body><div id="c" style="width:${SIZES.chat.width}px;height:${SIZES.chat.height}px"></div></body></html>`,
    );
    await page.addScriptTag({ path: require.resolve('echarts/dist/echarts.min.js') });
    await page.evaluate(async (family) => {
      await document.fonts.load(`16px '${family}'`, '局点');
    }, FAMILY);
    const times = new Map<string, number[]>();
    for (const [name, option] of options) {
      const list: number[] = [];
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        await page.evaluate(
          ([opt, family]) => {
            const w = window as unknown as {
              echarts: {
                init: (
                  el: HTMLElement,
                  t: null,
                  o: object,
                ) => { setOption: (o: object) => void; dispose: () => void };
              };
            };
            const el = document.getElementById('c')!;
            const chart = w.echarts.init(el, null, { renderer: 'canvas' });
            chart.setOption({
              ...(opt as object),
              animation: false,
              textStyle: { fontFamily: family },
            });
            (window as unknown as { last?: { dispose: () => void } }).last?.dispose();
            (window as unknown as { last?: unknown }).last = chart;
          },
          [option, FAMILY] as const,
        );
        await page.locator('#c').screenshot({ type: 'png' });
        if (i >= 3) list.push(performance.now() - t0);
      }
      times.set(name, list);
    }
    return times;
  } finally {
    await browser.close();
  }
}

/**
 * The way screenshot renderers such as Grafana's image renderer (clustered mode) work: per chart a
 * new page in a running browser navigates to a URL that draws the chart, waits for it, takes the
 * screenshot and closes. Assets come from a local HTTP server, so the browser cache applies.
 */
async function chromiumPerPage(
  options: [string, ChartOption][],
  runs: number,
): Promise<Map<string, number[]>> {
  const font = readFileSync(bundledFontPaths().regular);
  const echartsJs = readFileSync(require.resolve('echarts/dist/echarts.min.js'));
  const html = (i: number) =>
    `<html><head><style>@font-face{font-family:'${FAMILY}';src:url(/font.otf)}body{margin:0}</style>` +
    `<script src="/echarts.min.js"></script></head><body><div id="c" style="width:${SIZES.chat.width}px;height:${SIZES.chat.height}px"></div>` +
    `<script>document.fonts.load("16px '${FAMILY}'", '局点').then(()=>fetch('/option/${i}.json')).then(r=>r.json()).then(o=>{` +
    `const c=echarts.init(document.getElementById('c'));c.on('finished',()=>{window.done=true});` +
    `c.setOption(Object.assign(o,{animation:false,textStyle:{fontFamily:'${FAMILY}'}}));});</script></body></html>`;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const cache = { 'Cache-Control': 'max-age=3600' };
    if (url === '/font.otf')
      return void res.writeHead(200, { 'Content-Type': 'font/otf', ...cache }).end(font);
    if (url === '/echarts.min.js')
      return void res
        .writeHead(200, { 'Content-Type': 'text/javascript', ...cache })
        .end(echartsJs);
    const chart = /^\/chart\/(\d+)$/.exec(url);
    if (chart)
      return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(html(Number(chart[1])));
    const opt = /^\/option\/(\d+)\.json$/.exec(url);
    if (opt)
      return void res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(options[Number(opt[1])][1]));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    const context = await chartContext(browser);
    const times = new Map<string, number[]>();
    for (let k = 0; k < options.length; k++) {
      const list: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const t0 = performance.now();
        const page = await context.newPage();
        await page.goto(`${base}/chart/${k}`);
        await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true);
        await page.locator('#c').screenshot({ type: 'png' });
        await page.close();
        if (i >= 2) list.push(performance.now() - t0);
      }
      times.set(options[k][0], list);
    }
    return times;
  } finally {
    await browser.close();
    server.close();
  }
}

async function main(): Promise<void> {
  const registry = createChartRegistry();
  const data = datasets();
  const options: [string, ChartOption][] = registry
    .list()
    .map((b) => [b.name, b.build(data[b.name] as never, ctx)]);
  registerChartFonts({ family: FAMILY, paths: [] });
  console.log('Sitewatch chart benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}`,
  );
  console.log(
    `  size    : ${SIZES.chat.width}x${SIZES.chat.height} @${SIZES.chat.pixelRatio}x; ${RUNS} renders per chart after 3 warm-ups\n`,
  );

  const ours = new Map<string, number[]>();
  for (const [name, option] of options) {
    const list: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      const t0 = performance.now();
      renderPng(option, SIZES.chat, FAMILY);
      if (i >= 3) list.push(performance.now() - t0);
    }
    ours.set(name, list);
  }

  const renderer = createChartRenderer({
    threads: 0,
    maxQueue: 1000,
    timeoutMs: 60_000,
    fontFamily: FAMILY,
    fontPaths: [],
  });
  await Promise.all(options.map(([, o]) => renderer.render(o)));
  const burst = 120;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: burst }, (_, i) => renderer.render(options[i % options.length][1])),
  );
  const poolRate = burst / ((performance.now() - t0) / 1000);
  // Baseline: the same measurement with nothing rendering, so machine noise is visible.
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 2500));
  idle.disable();
  // Three rounds of 50 concurrent day charts; the event-loop delay of each round, median quoted.
  const rounds: { p99: number; max: number }[] = [];
  for (let round = 0; round < 3; round++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    await Promise.all(Array.from({ length: 50 }, () => renderer.render(options[0][1], SIZES.chat)));
    h.disable();
    rounds.push({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
  }
  const loopMax = pct(
    rounds.map((r) => r.max),
    50,
  );
  const loopP99 = pct(
    rounds.map((r) => r.p99),
    50,
  );
  await renderer.close();

  const warm = await chromiumTimes(options, Math.min(RUNS, 20));
  const browser = await chromiumPerPage(options, Math.min(RUNS, 20));

  console.log('Headless Chromium, a new page per chart (the screenshot-renderer way), in ms:');
  console.log(
    'chart            ours p50  ours p95   chromium p50  chromium p95  chromium/ours (p50)',
  );
  for (const [name] of options) {
    const o = ours.get(name)!;
    const c = browser.get(name)!;
    console.log(
      `${name.padEnd(15)} ${fmt(pct(o, 50)).padStart(8)}  ${fmt(pct(o, 95)).padStart(8)}   ${fmt(pct(c, 50)).padStart(12)}  ${fmt(pct(c, 95)).padStart(12)}  ${fmt(pct(c, 50) / pct(o, 50), 1).padStart(18)}x`,
    );
  }
  const allWarm = [...warm.values()].flat();
  console.log(
    `Chromium, one warm page reused for every chart (its best case): p50 ${fmt(pct(allWarm, 50))} ms, p95 ${fmt(pct(allWarm, 95))} ms`,
  );
  const allOurs = [...ours.values()].flat();
  const allChromium = [...browser.values()].flat();
  console.log(
    `\nall charts: ours p50 ${fmt(pct(allOurs, 50))} ms, chromium p50 ${fmt(pct(allChromium, 50))} ms, ratio ${fmt(pct(allChromium, 50) / pct(allOurs, 50))}x`,
  );
  console.log(`pool: ${burst} mixed charts at ${fmt(poolRate)} charts/s`);
  console.log(
    `event loop idle for 2.5 s (baseline, same run): max ${fmt(idle.max / 1e6)} ms, p99 ${fmt(idle.percentile(99) / 1e6)} ms`,
  );
  console.log(
    `event loop while 50 day charts render in the pool (3 rounds): max ${rounds.map((r) => fmt(r.max)).join(' / ')} ms, p99 ${rounds.map((r) => fmt(r.p99)).join(' / ')} ms`,
  );
  const day = pct(ours.get('server-cpu')!, 50);
  console.log('\nGoals');
  console.log(`  [${day <= 60 ? 'met   ' : 'MISSED'}] day chart p50 <= 60 ms (got ${fmt(day)})`);
  const ratio = pct(browser.get('server-cpu')!, 50) / day;
  console.log(
    `  [${ratio >= 10 ? 'met   ' : 'MISSED'}] >= 10x faster than headless Chromium (new page per chart) on the day chart (got ${fmt(ratio)}x)`,
  );
  const warmRatio = pct(warm.get('server-cpu')!, 50) / day;
  console.log(`  (against one reused warm page, Chromium's best case: ${fmt(warmRatio)}x)`);
  console.log(
    `  [${loopMax < 20 ? 'met   ' : 'MISSED'}] event-loop delay < 20 ms with 50 concurrent charts (median of 3 rounds: max ${fmt(loopMax)} ms, p99 ${fmt(loopP99)} ms)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
