// Ingest of all sites: which days to fetch, sites in parallel with a limit, retries, per-site status recorded.
import pLimit from 'p-limit';
import type { Leases } from '../cluster/leases';
import type { DataSource } from 'typeorm';
import { IngestCursor, Site } from '../../entities';
import type { Config } from '../../config/schema';
import { engineOf } from '../db/data-source';
import { withTransaction } from '../db/tx';
import { SitewatchError, describeError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { withRetry } from '../retry';
import { addDays, dayKey, startOfDay } from '../time';
import { type FileIngestHooks, type FileResult, emptyFileResult, ingestFile } from './file-ingest';
import { createFormatRegistry } from './formats/registry';
import type { FileFormat } from './formats/types';
import { createServerCache, type ServerCache } from './server-cache';
import { createSource } from './sources';
import { isRetryable } from './sources/http-source';
import type { FileSource, SourceOptions } from './sources/types';
import { createTimeParser } from './values';

export interface IngestRequest {
  /** Only this site (by site_id code). */
  site?: string;
  /** Exactly this day (YYYYMMDD), fetched even if already finished. */
  date?: string;
  /** The last N days including today, fetched even if already finished. */
  days?: number;
  /**
   * The scheduled slot (fire minute) of this run: with leases, a site done for this slot by any hub
   * is not ingested again by another.
   */
  slot?: number;
}

export interface SiteResult {
  site: string;
  ok: boolean;
  files: FileResult[];
  error?: string;
}

/** The hooks an ingest service needs: where alarm changes go is never left out. */
export type IngestServiceHooks = FileIngestHooks &
  Required<Pick<FileIngestHooks, 'onAlarmChanges'>>;

export interface IngestDeps {
  ds: DataSource;
  config: Config;
  log?: Logger;
  /**
   * Required: every path that writes alarms hands its changes to the notifier here, in the chunk's
   * transaction (the hub and the CLI through createAlarmPath; tests pass a recorder).
   */
  hooks: IngestServiceHooks;
  formats?: FileFormat[];
  sourceFactory?: (o: SourceOptions) => FileSource;
  now?: () => number;
  /** Several hubs on one database: each site is ingested under a lease, so hubs split the sites. */
  leases?: Leases;
}

export interface IngestService {
  run(req?: IngestRequest): Promise<SiteResult[]>;
  runSite(site: Site, req?: IngestRequest): Promise<SiteResult>;
}

const fileKey = (kind: string, day: string) => `${kind}|${day}`;

/** Connection-level failures mean the whole site is unreachable: stop asking it for more files. */
function siteDown(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return (
    (err instanceof SitewatchError && err.code === 'FETCH_TIMEOUT') ||
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(
      cause?.code ?? '',
    )
  );
}

export function createIngestService(deps: IngestDeps): IngestService {
  const { ds, config } = deps;
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? Date.now;
  const formats = createFormatRegistry(deps.formats).list();
  const engine = engineOf(ds);
  const caches = new Map<number, ServerCache>();
  const cfg = config.ingest;

  async function daysFor(
    site: Site,
    tz: string,
    req: IngestRequest,
  ): Promise<{ days: string[]; finished: Set<string> }> {
    const today = dayKey(now(), tz);
    // Explicit days are fetched even when finished: nothing counts as finished then.
    if (req.date) return { days: [req.date], finished: new Set() };
    if (req.days) {
      const days = Array.from({ length: req.days }, (_, i) => addDays(today, i - req.days! + 1));
      return { days, finished: new Set() };
    }
    const window = Array.from({ length: cfg.backfillDays }, (_, i) =>
      addDays(today, i - cfg.backfillDays + 1),
    );
    const cursors = await ds.getRepository(IngestCursor).find({ where: { siteId: site.id } });
    const finished = new Set(
      cursors.filter((c) => c.state !== 'open').map((c) => fileKey(c.kind, c.fileDate)),
    );
    // A past day is skipped once every file of it is done or known missing.
    const days = window.filter(
      (d) => d === today || formats.some((f) => !finished.has(fileKey(f.name, d))),
    );
    return { days, finished };
  }

  async function runSite(site: Site, req: IngestRequest = {}): Promise<SiteResult> {
    const tz = site.timezone ?? config.timezone;
    const result: SiteResult = { site: site.code, ok: true, files: [] };
    let cache = caches.get(site.id);
    if (!cache) caches.set(site.id, (cache = createServerCache(site.id)));
    const source = (deps.sourceFactory ?? createSource)({
      baseUrl: site.baseUrl,
      timeoutMs: cfg.timeoutMs,
      authToken: site.authToken,
    });
    const parse = {
      siteCode: site.code,
      tz,
      time: createTimeParser(tz),
      units: cfg.units,
      plausibleDays: { before: cfg.plausibleDaysBefore, after: cfg.plausibleDaysAfter },
    };
    const started = now();
    try {
      const { days, finished } = await daysFor(site, tz, req);
      outer: for (const day of days) {
        const closed = now() >= startOfDay(addDays(day, 1), tz) + cfg.dayCloseGraceMinutes * 60_000;
        for (const format of formats) {
          if (finished.has(fileKey(format.name, day))) continue;
          try {
            const r = await withRetry(
              () =>
                ingestFile(
                  {
                    ds,
                    engine,
                    source,
                    site,
                    format,
                    servers: cache,
                    hooks: deps.hooks,
                    parse,
                    encoding: site.encoding,
                    chunkLines: cfg.chunkLines,
                    maxLineBytes: cfg.maxLineBytes,
                    idleTimeoutMs: cfg.timeoutMs,
                    now,
                  },
                  day,
                  closed,
                ),
              {
                retries: cfg.retries,
                baseDelayMs: cfg.retryDelayMs,
                retryable: isRetryable,
                onRetry: (err, attempt, delay) =>
                  log.warn(
                    {
                      site: site.code,
                      day,
                      kind: format.name,
                      attempt,
                      delay,
                      err: describeError(err),
                    },
                    'fetch failed, retrying',
                  ),
              },
            );
            result.files.push(r);
          } catch (err) {
            result.ok = false;
            const message = describeError(err);
            result.files.push({ ...emptyFileResult(format, day, 'error'), error: message });
            result.error = message;
            log.error(
              { site: site.code, day, kind: format.name, err: message },
              'file ingest failed',
            );
            if (siteDown(err)) {
              result.error = `site unreachable: ${message}`;
              break outer;
            }
          }
        }
      }
    } catch (err) {
      result.ok = false;
      result.error = describeError(err);
      log.error({ site: site.code, err: result.error }, 'site ingest failed');
    }
    const totals = summarize(result.files);
    await withTransaction(ds, (em) =>
      em.getRepository(Site).update(
        { id: site.id },
        {
          lastIngestAt: started,
          ...(result.ok
            ? { lastSuccessAt: now() }
            : { lastError: result.error ?? 'failed', lastErrorAt: now() }),
          lastCounts: JSON.stringify(totals),
        },
      ),
    ).catch((err) =>
      log.error({ site: site.code, err: describeError(err) }, 'could not record site status'),
    );
    return result;
  }

  return {
    runSite,
    async run(req: IngestRequest = {}) {
      const where = req.site ? { code: req.site } : { enabled: true };
      const sites = await ds.getRepository(Site).find({ where, order: { code: 'ASC' } });
      if (req.site && sites.length === 0)
        throw new SitewatchError('NOT_FOUND', `No site "${req.site}".`);
      const limit = pLimit(cfg.concurrency);
      const leases = deps.leases;
      // One site's failure is caught inside runSite, so Promise.all never rejects on its account.
      const results = await Promise.all(
        sites.map((s) =>
          limit(async () => {
            if (!leases) return runSite(s, req);
            const r = await leases.withLease(`ingest:${s.id}`, () => runSite(s, req), {
              slot: req.slot,
            });
            return r.ran ? r.value : null;
          }),
        ),
      );
      // Sites another hub holds (or already did for this slot) are left out.
      return results.filter((r): r is SiteResult => r !== null);
    },
  };
}

export interface Totals {
  bytes: number;
  lines: number;
  inserted: number;
  duplicate: number;
  updated: number;
  quarantined: number;
  files: number;
  errors: number;
}

export function summarize(files: FileResult[]): Totals {
  const t: Totals = {
    bytes: 0,
    lines: 0,
    inserted: 0,
    duplicate: 0,
    updated: 0,
    quarantined: 0,
    files: 0,
    errors: 0,
  };
  for (const f of files) {
    t.bytes += f.bytes;
    t.lines += f.lines;
    t.inserted += f.inserted;
    t.duplicate += f.duplicate;
    t.updated += f.updated;
    t.quarantined += f.quarantined;
    t.files++;
    if (f.outcome === 'error') t.errors++;
  }
  return t;
}
