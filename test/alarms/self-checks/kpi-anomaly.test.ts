// Tests of SW_KPI_ANOMALY on both engines: raised for a day whose figures break, kept while it is the latest, recovered on a normal next day; missing figures.
import {
  figureNumber,
  kpiAnomalyCheck,
  kpiText,
} from '../../../src/alarms/self-checks/kpi-anomaly';
import { KpiIgnoredDay } from '../../../entities';
import { describeEachEngine, resetDb, testConfig } from '../../helpers/db';
import { HOUR, alarmsOf, figureRows, insertFigures, runner, siteWithServer } from './fixtures';

const cfg = testConfig().selfAlarms;
/** 2026-12-03 10:00 in Asia/Shanghai: yesterday is Wednesday 2026-12-02. */
const THU = Date.UTC(2026, 11, 3, 2);
const DAY = 24 * HOUR;
const FROM = '2026-10-28';

describe('the anomaly text', () => {
  it('writes counts with thousands separators, and 万 from 10,000 on', () => {
    expect(figureNumber(1203)).toBe('1,203');
    expect(figureNumber(9999)).toBe('9,999');
    expect(figureNumber(10_000)).toBe('1 万');
    expect(figureNumber(148_000)).toBe('14.8 万');
    expect(figureNumber(123_456_789)).toBe('12,345.7 万');
  });

  it('lists every flagged figure: a rise, and total users against opens − closes', () => {
    const weekday = { median: 52_000, mad: 780, n: 3 };
    expect(
      kpiText({
        date: '2026-12-05',
        judged: true,
        flags: [
          { kind: 'total-vs-net', key: 'total', value: 995_000, totalChange: -5000, net: 3051 },
          {
            kind: 'shift',
            key: 'calls',
            value: 91_000,
            weekday,
            recent: weekday,
            zWeekday: 33.7,
            zRecent: 33.7,
            changePercent: 75,
          },
        ],
      }),
    ).toBe(
      '总用户 减少 5,000，而开通 − 退订为 +3,051；调用 9.1 万，较近 3 个周六中位数 5.2 万 上升 75%',
    );
  });
});

describeEachEngine('SW_KPI_ANOMALY', (db) => {
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
  });

  it('is raised for a broken day, kept while it is the latest, and recovers on a normal next day', async () => {
    const { site } = await siteWithServer(ds());
    await insertFigures(
      ds(),
      site.id,
      figureRows(FROM, '2026-12-02', { '2026-12-02': { sub: 1203, mo: 0 } }),
    );
    const r = runner(ds(), 'SW_KPI_ANOMALY');
    const description = '开通 1,203，较近 4 个周三中位数 4,051 下降 70%；上行 0，平时约 14.8 万';
    await r.run(THU);
    expect(r.changes).toEqual([
      [
        expect.objectContaining({
          siteId: site.id,
          change: 'raised',
          name: 'SW_KPI_ANOMALY',
          node: '2026-12-02',
          description,
          raisedAt: THU,
          resumedAt: null,
        }),
      ],
    ]);
    expect(r.inTransaction).toEqual([true]);
    // Later that day, and just after midnight before the next day's figures are due: kept.
    await r.run(THU + HOUR);
    const nightAfter = Date.UTC(2026, 11, 3, 16, 30); // 12-04 00:30 in Shanghai
    await r.run(nightAfter);
    expect(r.changes).toHaveLength(1);
    expect(await alarmsOf(ds(), 'SW_KPI_ANOMALY')).toEqual([
      {
        node: '2026-12-02',
        description,
        state: 'active',
        raisedAt: THU,
        resumedAt: null,
        lastSeenAt: nightAfter,
      },
    ]);
    // Thursday's figures arrive and are normal: the day is no longer the latest, it recovers.
    const rows = figureRows(FROM, '2026-12-03', { '2026-12-02': { sub: 1203, mo: 0 } });
    await insertFigures(ds(), site.id, rows.slice(-1));
    await r.run(THU + DAY);
    expect(r.changes[1]).toEqual([
      expect.objectContaining({
        change: 'resolved',
        name: 'SW_KPI_ANOMALY',
        node: '2026-12-02',
        description,
        raisedAt: THU,
        resumedAt: THU + DAY,
      }),
    ]);
    expect(r.changes).toHaveLength(2);
    expect((await alarmsOf(ds(), 'SW_KPI_ANOMALY')).map((a) => a.state)).toEqual(['resolved']);
  });

  it('flags yesterday’s figures missing once they are due, at a site that usually has them', async () => {
    const { site } = await siteWithServer(ds());
    // Figures up to Wednesday; none for Thursday, judged on Friday.
    await insertFigures(ds(), site.id, figureRows(FROM, '2026-12-02'));
    const input = {
      ds: ds(),
      sites: [site],
      tzOf: () => 'Asia/Shanghai',
      formats: [],
    };
    // 00:30 on Friday: Thursday's figures are not due before 01:00, Wednesday is still judged.
    expect(await kpiAnomalyCheck.evaluate(input, cfg, Date.UTC(2026, 11, 3, 16, 30))).toEqual([]);
    const fri = THU + DAY;
    expect(await kpiAnomalyCheck.evaluate(input, cfg, fri)).toEqual([
      {
        siteId: site.id,
        name: 'SW_KPI_ANOMALY',
        node: '2026-12-03',
        description: '昨日业务数据缺失',
      },
    ]);
    // Another zone: at that instant it is still Thursday there, and yesterday had its figures.
    expect(
      await kpiAnomalyCheck.evaluate({ ...input, tzOf: () => 'America/New_York' }, cfg, fri),
    ).toEqual([]);
    // A later fileMissingAfter moves the deadline.
    expect(
      await kpiAnomalyCheck.evaluate(input, { ...cfg, fileMissingAfter: '11:00' }, fri),
    ).toEqual([]);
  });

  it('judges nothing at a site with little history, nor calls its figures missing', async () => {
    const { site } = await siteWithServer(ds());
    // Three of the 7 days before yesterday, and a drop on the last of them.
    await insertFigures(
      ds(),
      site.id,
      figureRows('2026-11-28', '2026-11-30', { '2026-11-30': { sub: 100, mo: 0 } }),
    );
    const r = runner(ds(), 'SW_KPI_ANOMALY');
    await r.run(THU);
    await r.run(THU - DAY);
    expect(r.changes).toEqual([]);
    expect(await alarmsOf(ds(), 'SW_KPI_ANOMALY')).toEqual([]);
  });

  it('follows kpiChangePercent and kpiZ', async () => {
    const { site } = await siteWithServer(ds());
    // Opens 25% down on Wednesday.
    await insertFigures(
      ds(),
      site.id,
      figureRows(FROM, '2026-12-02', { '2026-12-02': { sub: 3038 } }),
    );
    const input = { ds: ds(), sites: [site], tzOf: () => 'Asia/Shanghai', formats: [] };
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU)).toEqual([]);
    expect(await kpiAnomalyCheck.evaluate(input, { ...cfg, kpiChangePercent: 20 }, THU)).toEqual([
      {
        siteId: site.id,
        name: 'SW_KPI_ANOMALY',
        node: '2026-12-02',
        description: '开通 3,038，较近 4 个周三中位数 4,051 下降 25%',
      },
    ]);
    expect(
      await kpiAnomalyCheck.evaluate(input, { ...cfg, kpiChangePercent: 20, kpiZ: 20 }, THU),
    ).toEqual([]);
  });
  it('leaves ignored days out of both baselines: a holiday dip no longer hides a real drop', async () => {
    const { site } = await siteWithServer(ds());
    // Wednesdays at 3,700 / 3,800 / 3,900, a holiday at 500 on the last one, then a drop to 2,640.
    const over = {
      '2026-11-04': { sub: 3700 },
      '2026-11-11': { sub: 3800 },
      '2026-11-18': { sub: 3900 },
      '2026-11-25': { sub: 500 },
      '2026-12-02': { sub: 2640 },
    };
    await insertFigures(ds(), site.id, figureRows(FROM, '2026-12-02', over));
    const input = { ds: ds(), sites: [site], tzOf: () => 'Asia/Shanghai', formats: [] };
    // With the holiday the Wednesday median is 3,750: the drop is 29.6%, under the 30% limit.
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU)).toEqual([]);
    await ds().getRepository(KpiIgnoredDay).insert({
      siteId: site.id,
      day: '2026-11-25',
      ignoredBy: 1,
      ignoredAt: THU,
    });
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU)).toEqual([
      {
        siteId: site.id,
        name: 'SW_KPI_ANOMALY',
        node: '2026-12-02',
        description: '开通 2,640，较近 3 个周三中位数 3,800 下降 31%',
      },
    ]);
  });

  it('does not judge an ignored day, nor call its figures missing', async () => {
    const { site } = await siteWithServer(ds());
    await insertFigures(
      ds(),
      site.id,
      figureRows(FROM, '2026-12-02', { '2026-12-02': { sub: 1203, mo: 0 } }),
    );
    const input = { ds: ds(), sites: [site], tzOf: () => 'Asia/Shanghai', formats: [] };
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU)).toHaveLength(1);
    const ignore = (day: string) =>
      ds()
        .getRepository(KpiIgnoredDay)
        .insert({ siteId: site.id, day, ignoredBy: 1, ignoredAt: THU });
    await ignore('2026-12-02');
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU)).toEqual([]);
    // Friday: Thursday's figures are missing, unless Thursday is ignored too.
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU + DAY)).toEqual([
      {
        siteId: site.id,
        name: 'SW_KPI_ANOMALY',
        node: '2026-12-03',
        description: '昨日业务数据缺失',
      },
    ]);
    await ignore('2026-12-03');
    expect(await kpiAnomalyCheck.evaluate(input, cfg, THU + DAY)).toEqual([]);
  });
});
