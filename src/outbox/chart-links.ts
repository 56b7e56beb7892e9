// Signed, expiring chart links for channels that take image links, not bytes: each notice's PNG stored once (by its payload's sha1), the link an HMAC over id and expiry.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema';
import { execute, insertIgnore } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { affectedRows } from '../db/dialect';
import { SitewatchError } from '../errors';

const DAY_MS = 24 * 3600_000;
/** MEDIUMBLOB's size: MariaDB's INSERT IGNORE would cut a longer PNG short instead of failing. */
export const MAX_CHART_PNG_BYTES = 16 * 1024 * 1024 - 1;
/** Rows per DELETE: each holds a PNG, so batches stay small. */
const DELETE_BATCH = 500;
// A key of its own, derived from the secret: web.sessionSecret also signs session cookies (HMAC-SHA256 of
// the session id), and a link's signature must never be a valid cookie signature, nor the reverse.
const KEY_LABEL = 'sitewatch chart link v1';

export interface ChartLinksOptions {
  ds: DataSource;
  /** The portal's address as the outside sees it; null: this process makes no links (it still checks them). */
  publicUrl: string | null;
  /** web.linkSecret, or web.sessionSecret when that is not set. */
  secret: string;
  /** How long a new link is valid. */
  ttlMs: number;
  now?: () => number;
}

export interface ChartLinks {
  /**
   * The link to the chart of the notice whose payload hashes to `digest` (sha1, hex), storing `png`
   * unless that notice's chart is stored already (by this hub or another): one row per notice.
   */
  link(digest: string, png: Buffer): Promise<string>;
  /** Whether `sig` signs `id` and `exp`, and `exp` has not passed. */
  verify(id: number, exp: number, sig: string): boolean;
  /** The stored PNG of chart `id`, or null. */
  png(id: number): Promise<Buffer | null>;
  /** Delete the charts no link is valid for any more; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** The HMAC key of chart links made with `secret`. */
export function chartLinkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update(KEY_LABEL).digest();
}

/** The signature of a link to chart `id` valid until `exp` (hex HMAC-SHA256 of "<id>.<exp>"). */
export function signChartLink(key: Buffer, id: number, exp: number): string {
  return createHmac('sha256', key).update(`${id}.${exp}`).digest('hex');
}

/** Delete charts whose links have all expired, in batches; returns how many (retention needs no secret). */
export async function deleteExpiredChartLinks(ds: DataSource, now: number): Promise<number> {
  const sql =
    engineOf(ds) === 'mysql'
      ? `DELETE FROM chart_link WHERE expires_at < ? LIMIT ${DELETE_BATCH}`
      : `DELETE FROM chart_link WHERE id IN (SELECT id FROM chart_link WHERE expires_at < ? LIMIT ${DELETE_BATCH})`;
  let total = 0;
  for (;;) {
    const n = affectedRows(await execute(ds.manager, sql, [now]));
    total += n;
    if (n < DELETE_BATCH) return total;
  }
}

export function createChartLinks(o: ChartLinksOptions): ChartLinks {
  const { ds, ttlMs } = o;
  const now = o.now ?? Date.now;
  const key = chartLinkKey(o.secret);
  const base = o.publicUrl?.replace(/\/+$/, '') ?? null;

  async function stored(digest: string): Promise<{ id: number; expiresAt: number } | null> {
    const rows = (await ds.query('SELECT id, expires_at FROM chart_link WHERE digest = ?', [
      digest,
    ])) as { id: number | string; expires_at: number | string }[];
    return rows.length ? { id: Number(rows[0].id), expiresAt: Number(rows[0].expires_at) } : null;
  }

  return {
    async link(digest, png) {
      if (base === null)
        throw new SitewatchError('USAGE', 'web.publicUrl is not set: a chart link has no address');
      if (!/^[0-9a-f]{40}$/.test(digest))
        throw new SitewatchError(
          'USAGE',
          'a chart link needs the sha1 (40 hex digits) of its notice',
        );
      if (png.length > MAX_CHART_PNG_BYTES)
        throw new SitewatchError('USAGE', `a chart of ${png.length} bytes is too large to link`);
      // Twice: retention may delete an expired row between the insert it made us skip and the read.
      for (let i = 0; i < 2; i++) {
        const t = now();
        const exp = t + ttlMs;
        await insertIgnore(
          ds.manager,
          engineOf(ds),
          'chart_link',
          ['digest', 'png', 'created_at', 'expires_at'],
          [[digest, png, t, exp]],
        );
        const row = await stored(digest);
        if (!row) continue;
        let until = row.expiresAt;
        // Stored by an earlier sweep long ago (a retried notice): a link that soon expires is of
        // little use, so the row lives on. It only ever lives longer: no link outlives its row.
        if (until < t + ttlMs / 2) {
          await execute(
            ds.manager,
            'UPDATE chart_link SET expires_at = ? WHERE id = ? AND expires_at < ?',
            [exp, row.id, exp],
          );
          until = exp;
        }
        return `${base}/charts/${row.id}.png?exp=${until}&sig=${signChartLink(key, row.id, until)}`;
      }
      throw new SitewatchError(
        'CONFLICT',
        'the chart of a notice could not be stored for its link',
      );
    },

    verify(id, exp, sig) {
      if (!Number.isSafeInteger(id) || !Number.isSafeInteger(exp) || !/^[0-9a-f]{64}$/.test(sig))
        return false;
      const good = Buffer.from(signChartLink(key, id, exp), 'hex');
      // Signature first, in constant time; the clock is no secret.
      return timingSafeEqual(good, Buffer.from(sig, 'hex')) && now() < exp;
    },

    async png(id) {
      const rows = (await ds.query('SELECT png FROM chart_link WHERE id = ?', [id])) as {
        png: Buffer | Uint8Array;
      }[];
      if (!rows.length) return null;
      const png = rows[0].png;
      return Buffer.isBuffer(png) ? png : Buffer.from(png);
    },

    deleteExpired: (at) => deleteExpiredChartLinks(ds, at),
  };
}

/**
 * The chart links of the portal configured in `web`: made at web.publicUrl (none when it is null) and
 * checked with web.linkSecret or else web.sessionSecret; null when neither secret is set.
 */
export function chartLinksFor(
  ds: DataSource,
  web: Config['web'],
  now: () => number,
): ChartLinks | null {
  const secret = web.linkSecret ?? web.sessionSecret;
  if (!secret) return null;
  return createChartLinks({
    ds,
    publicUrl: web.publicUrl,
    secret,
    ttlMs: web.chartLinkDays * DAY_MS,
    now,
  });
}
