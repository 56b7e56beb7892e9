// Rules every registered self check follows: a unique SW_ alarm name, nothing on no or healthy sites, only its own alarm, the same answer every time.
import { CpuSample, DiskSample, IngestCursor, MemSample, Server, Site } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { type SelfAlarmName, evaluateSelfChecks } from '../../src/alarms/self-checks';
import { createSelfCheckRegistry, selfChecks } from '../../src/alarms/self-checks/registry';
import type { CheckInput, SelfCheck, SelfCondition } from '../../src/alarms/self-checks/types';
import { createFormatRegistry } from '../../src/ingest/formats/registry';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';
import { figureRows, insertFigures } from './self-checks/fixtures';

/** 2026-11-25 21:00 in Asia/Shanghai (13:00 UTC). */
const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const MIN = 60_000;
const DAY = '20261125';

const config = testConfig();
const cfg = config.selfAlarms;
const checks: readonly SelfCheck[] = createSelfCheckRegistry(selfChecks).list();
const formats = createFormatRegistry().list();

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The order evaluateSelfChecks promises: site, alarm name, node. */
const sorted = (cs: SelfCondition[]) =>
  [...cs].sort((a, b) => a.siteId - b.siteId || cmp(a.name, b.name) || cmp(a.node, b.node));

describe('self check registry', () => {
  it('names every check by a distinct SW_ alarm name that fits the alarm table', () => {
    // A check typed without its name literal would make SelfAlarmName plain string (tsc fails here).
    const namesAreLiteral: string extends SelfAlarmName ? never : true = true;
    expect(namesAreLiteral).toBe(true);
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.name).toMatch(/^SW_[A-Z][A-Z0-9_]*$/);
      expect(c.name.length).toBeLessThanOrEqual(128);
    }
    expect(new Set(checks.map((c) => c.name)).size).toBe(checks.length);
  });

  it.each(checks.map((c) => [c.name, c] as const))('rejects a second %s check', (name, c) => {
    expect(() => createSelfCheckRegistry([...checks, { ...c }])).toThrow(
      new Error(`Duplicate self check "${name}" in the registry.`),
    );
  });
});

describeEachEngine('every self check', (db) => {
  const ds = () => db().ds;
  let sites: { healthy: Site; gone: Site; troubled: Site; busy: Site };

  async function server(siteId: number, name: string, lastSeenAt: number): Promise<Server> {
    const repo = ds().getRepository(Server);
    return repo.save(
      repo.create({ siteId, name, ip: '10.0.0.1', firstSeenAt: NOW - 86_400_000, lastSeenAt }),
    );
  }

  /** Today's cursor of `kind`, fetched a minute ago. */
  async function cursor(siteId: number, kind: string, status = '206', byteOffset = 1000) {
    await ds()
      .getRepository(IngestCursor)
      .insert({
        siteId,
        kind,
        fileDate: DAY,
        byteOffset,
        lineNo: 10,
        headLen: 0,
        tailLen: 0,
        state: 'open',
        resets: 0,
        lastFetchAt: NOW - MIN,
        lastStatus: status,
        bytesRead: byteOffset,
        rowsInserted: 10,
        rowsDuplicate: 0,
        rowsQuarantined: 0,
      });
  }

  /** A 5-minute sample of every kind over the last 2 × overMinutes, all at `pct` percent. */
  async function samples(serverId: number, pct: number): Promise<void> {
    for (let at = NOW - 2 * cfg.overMinutes * MIN; at <= NOW; at += 5 * MIN) {
      await ds()
        .getRepository(CpuSample)
        .insert({ serverId, sampledAt: at, userPct: pct, sysPct: 0, ioPct: 0, idlePct: 100 - pct });
      await ds()
        .getRepository(MemSample)
        .insert({
          serverId,
          sampledAt: at,
          usedBytes: pct * 10,
          freeBytes: 1000 - pct * 10,
          bufferBytes: 0,
          totalBytes: 1000,
        });
      await ds()
        .getRepository(DiskSample)
        .insert({ serverId, sampledAt: at, mount: '/', usedBytes: pct * 10, totalBytes: 1000 });
    }
  }

  async function site(code: string, o: Partial<Site>): Promise<Site> {
    const s = await addSite(
      ds(),
      { code, name: `局点${code}`, baseUrl: `http://${code.toLowerCase()}` },
      NOW - 30 * 86_400_000,
    );
    await ds().getRepository(Site).update(s.id, o);
    return s;
  }

  beforeAll(async () => {
    await resetDb(db());
    // Nothing wrong: every file of today growing, fetches succeeding, a fresh server at half load.
    const healthy = await site('OK01', { lastSuccessAt: NOW - 5 * MIN });
    for (const f of formats) await cursor(healthy.id, f.name);
    await samples((await server(healthy.id, 'app01', NOW - 2 * MIN)).id, 50);
    // No file of today: one never fetched, the others not found.
    const gone = await site('NEW1', { lastSuccessAt: NOW - 5 * MIN });
    for (const f of formats.slice(1)) await cursor(gone.id, f.name, '404', 0);
    // Files there but quiet, fetches failing for hours, the only server silent.
    const troubled = await site('BAD1', {
      lastSuccessAt: NOW - 3 * 3_600_000,
      lastErrorAt: NOW - MIN,
      lastError: 'connect ECONNREFUSED',
    });
    for (const f of formats) await cursor(troubled.id, f.name);
    await server(troubled.id, 'app01', NOW - 2 * 3_600_000);
    // Only load wrong: a fresh server over every threshold.
    const busy = await site('HOT1', { lastSuccessAt: NOW - 5 * MIN });
    for (const f of formats) await cursor(busy.id, f.name);
    await samples((await server(busy.id, 'db01', NOW - 2 * MIN)).id, 99);
    // …and a week of a filling disk and memory growing without falling back (capacity forecasts).
    // …five weeks of business figures, MO at zero yesterday (business anomaly).
    await insertFigures(
      ds(),
      busy.id,
      figureRows('2026-10-20', '2026-11-24', { '2026-11-24': { mo: 0 } }),
    );
    const leak = await server(busy.id, 'leak01', NOW - 2 * MIN);
    for (let h = 167; h >= 0; h--) {
      const at = NOW - h * 3_600_000;
      await ds()
        .getRepository(DiskSample)
        .insert({
          serverId: leak.id,
          sampledAt: at,
          mount: '/data',
          usedBytes: 880 - 3 * h,
          totalBytes: 1000,
        });
      await ds()
        .getRepository(MemSample)
        .insert({
          serverId: leak.id,
          sampledAt: at,
          usedBytes: 800 - 2 * h,
          freeBytes: 200 + 2 * h,
          bufferBytes: 0,
          totalBytes: 1000,
        });
    }
    const all = await ds()
      .getRepository(Site)
      .find({ order: { id: 'ASC' } });
    const find = (id: number) => all.find((s) => s.id === id)!;
    sites = {
      healthy: find(healthy.id),
      gone: find(gone.id),
      troubled: find(troubled.id),
      busy: find(busy.id),
    };
  });

  const input = (list: Site[], reads?: CheckInput['reads']): CheckInput => ({
    ds: ds(),
    sites: list,
    tzOf: (s) => s.timezone ?? config.timezone,
    formats,
    reads,
  });
  const everySite = () => [sites.healthy, sites.gone, sites.troubled, sites.busy];

  describe.each(checks.map((c) => [c.name, c] as const))('%s', (name, check) => {
    it('finds nothing without sites, or at a healthy site', async () => {
      expect(await check.evaluate(input([]), cfg, NOW)).toEqual([]);
      expect(await check.evaluate(input([sites.healthy]), cfg, NOW)).toEqual([]);
    });

    it('raises its own alarm only, with a node and a description that fit the alarm table', async () => {
      const found = await check.evaluate(input(everySite()), cfg, NOW);
      // A new check needs a fixture site above where it fires.
      expect(found.length).toBeGreaterThan(0);
      const ids = new Set([sites.gone.id, sites.troubled.id, sites.busy.id]);
      for (const c of found) {
        expect(c.name).toBe(name);
        expect(ids.has(c.siteId)).toBe(true);
        expect(c.node.length).toBeGreaterThan(0);
        expect(c.node.length).toBeLessThanOrEqual(128);
        expect(c.description.length).toBeLessThanOrEqual(1024);
        if (!c.keepOnly) expect(c.description).toMatch(/[\u4e00-\u9fff]/);
      }
    });

    it('gives the same answer every time, whatever the order of sites and reads shared', async () => {
      const first = await check.evaluate(input(everySite()), cfg, NOW);
      expect(await check.evaluate(input(everySite()), cfg, NOW)).toEqual(first);
      const reversed = await check.evaluate(input([...everySite()].reverse()), cfg, NOW);
      expect(sorted(reversed)).toEqual(sorted(first));
      // The other checks' reads, made first and kept, must not change this one's answer.
      const reads: CheckInput['reads'] = new Map();
      for (const other of checks) await other.evaluate(input(everySite(), reads), cfg, NOW);
      expect(await check.evaluate(input(everySite(), reads), cfg, NOW)).toEqual(first);
    });
  });

  it('evaluateSelfChecks runs every registered check, ordered by site, name and node', async () => {
    const all = await evaluateSelfChecks({ ...input(everySite()), cfg, now: NOW });
    const expected: SelfCondition[] = [];
    for (const c of checks) expected.push(...(await c.evaluate(input(everySite()), cfg, NOW)));
    expect(sorted(all)).toEqual(sorted(expected));
    expect(new Set(all.map((c) => c.name))).toEqual(new Set(checks.map((c) => c.name)));
    expect(all).toEqual(sorted(all));
  });
});
