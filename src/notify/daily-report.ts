// The daily report: yesterday's business figures, servers and alarms of each site, queued for report recipients.
import type { DataSource } from 'typeorm';
import { Site } from '../../entities';
import { withTransaction } from '../db/tx';
import type { CapacityRisk, ReportFigures, ReportNotice } from '../outbox/notices';
import { enqueue, type OutboxEntry } from '../outbox/store';
import { type Figures, siteHealth, yesterdayFigures } from '../queries';
import { type ConfiguredChannels, siteRecipients } from '../queries/recipients';
import { addDays, dayKey, startOfDay } from '../time';

export interface DailyReportDeps {
  ds: DataSource;
  recipients: ConfiguredChannels;
  defaultTz: string;
}

function reportFigures(f: Figures | null): ReportFigures | null {
  if (!f) return null;
  return {
    opens: f.sub,
    closes: f.unsub,
    totalUsers: f.total,
    calls: f.calls,
    pushes: f.shows,
    mo: f.mo,
    mt: f.mt,
  };
}

/** The capacity alarms a report lists. */
const CAPACITY_ALARMS = ['SW_DISK_FILLING', 'SW_MEM_GROWTH'];
// Code-point order, the same on both engines (their collations differ).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function capacityRisk(r: Record<string, unknown>): CapacityRisk {
  const name = String(r.name);
  const node = String(r.node);
  // A disk node is 'server:/mount'; the description names the mount already.
  const cut = name === 'SW_DISK_FILLING' ? node.indexOf(':/') : -1;
  return { name, server: cut > 0 ? node.slice(0, cut) : node, description: String(r.description) };
}

export function createDailyReport(deps: DailyReportDeps) {
  const { ds } = deps;

  /** The notice for one site: yesterday (in the site's zone) as seen at `now`. */
  async function build(site: Site, now: number): Promise<ReportNotice> {
    const tz = site.timezone ?? deps.defaultTz;
    const y = await yesterdayFigures(ds, site.id, now, tz);
    const from = startOfDay(addDays(dayKey(now, tz), -1), tz);
    const to = startOfDay(dayKey(now, tz), tz);
    const [[health], raised, failed, capacity] = await Promise.all([
      siteHealth(ds, [site], now),
      ds.query(
        'SELECT COUNT(*) AS n FROM alarm WHERE site_id = ? AND raised_at >= ? AND raised_at < ?',
        [site.id, from, to],
      ),
      // Failures since the previous report, so each is reported once.
      ds.query(
        "SELECT COUNT(*) AS n FROM outbox WHERE site_id = ? AND status = 'failed' AND updated_at >= ? AND updated_at < ?",
        [site.id, now - 24 * 3600_000, now],
      ),
      ds.query(
        `SELECT name, node, description FROM alarm
          WHERE site_id = ? AND state = 'active' AND source = 'sitewatch' AND name IN (?, ?)`,
        [site.id, ...CAPACITY_ALARMS],
      ) as Promise<Record<string, unknown>[]>,
    ]);
    return {
      kind: 'report',
      site: { id: site.id, code: site.code, name: site.name, tz },
      date: y.date,
      figures: reportFigures(y.current),
      previous: reportFigures(y.previous),
      activeAlarms: health.activeAlarms,
      raisedAlarms: Number((raised as { n: number | string }[])[0]?.n ?? 0),
      servers: { total: health.servers, stale: health.stale },
      failedDeliveries: Number((failed as { n: number | string }[])[0]?.n ?? 0),
      capacityRisks: capacity
        .map(capacityRisk)
        .sort(
          (a, b) =>
            cmp(a.name, b.name) || cmp(a.server, b.server) || cmp(a.description, b.description),
        ),
      at: now,
    };
  }

  return {
    build,
    /** Queue the report of every enabled site in zone `tz` (all zones when null); once per site and day. */
    async run(now: number, tz: string | null = null): Promise<{ sites: number; messages: number }> {
      const all = await ds
        .getRepository(Site)
        .find({ where: { enabled: true }, order: { code: 'ASC' } });
      const sites = all.filter((s) => tz === null || (s.timezone ?? deps.defaultTz) === tz);
      let messages = 0;
      for (const site of sites) {
        const notice = await build(site, now);
        messages += await withTransaction(ds, async (em) => {
          const rec = await siteRecipients(em, [site], 'report', deps.recipients);
          const entries: OutboxEntry[] = (rec.get(site.id) ?? []).map((r) => ({
            ...r,
            event: `report:${site.id}:${notice.date}`,
            siteId: site.id,
            notice,
          }));
          return enqueue(em, entries, now);
        });
      }
      return { sites: sites.length, messages };
    },
  };
}

export type DailyReport = ReturnType<typeof createDailyReport>;
