// Incremental ingest of one site file: ranged fetch, rewrite detection, line chunks committed with the cursor.
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { IngestCursor, Site } from '../../entities';
import { upsert } from '../db/bulk';
import type { Engine } from '../db/data-source';
import { withTransaction } from '../db/tx';
import { SitewatchError } from '../errors';
import type { IngestHooks } from '../types/alarm-change';
import { ByteReader } from './byte-reader';
import { loadCursor, saveCursor } from './cursor-store';
import { type FileFormat, type ParseContext, fileName, filePath } from './formats/types';
import type { ServerCache } from './server-cache';
import type { FetchResponse, FileSource } from './sources/types';
import { type ParsedBatch, type Segment, parseBatch } from './parse-batch';
import { forFileDay } from './plausible';

/** Bytes before the cursor that every ranged fetch re-reads to prove the file was not rewritten. */
const OVERLAP = 256;
/** Bytes at the start of the file whose hash is compared when a server ignores Range. */
const HEAD = 1024;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export interface FileIngestDeps {
  ds: DataSource;
  engine: Engine;
  source: FileSource;
  site: Site;
  format: FileFormat;
  servers: ServerCache;
  hooks: IngestHooks;
  parse: ParseContext;
  encoding: string;
  chunkLines: number;
  maxLineBytes: number;
  idleTimeoutMs: number;
  now: () => number;
}

export type FileOutcome = 'ingested' | 'unchanged' | 'missing' | 'error';

export interface FileResult {
  file: string;
  kind: string;
  day: string;
  outcome: FileOutcome;
  bytes: number;
  lines: number;
  inserted: number;
  duplicate: number;
  updated: number;
  quarantined: number;
  skipped: number;
  resets: number;
  error?: string;
}

/** Extra hook for tests and operators: runs in every chunk transaction just before commit. */
export interface ChunkInfo {
  siteId: number;
  kind: string;
  day: string;
  endOffset: number;
}
export interface FileIngestHooks extends IngestHooks {
  beforeCommit?(em: EntityManager, info: ChunkInfo): Promise<void>;
}

/** A result with every count at zero. */
export function emptyFileResult(format: FileFormat, day: string, outcome: FileOutcome): FileResult {
  return {
    file: fileName(format, day),
    kind: format.name,
    day,
    outcome,
    ...{
      bytes: 0,
      lines: 0,
      inserted: 0,
      duplicate: 0,
      updated: 0,
      quarantined: 0,
      skipped: 0,
      resets: 0,
    },
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

class Reset extends Error {}

export async function ingestFile(
  deps: FileIngestDeps & { hooks: FileIngestHooks },
  day: string,
  dayClosed: boolean,
): Promise<FileResult> {
  const { ds, format, site } = deps;
  const path = filePath(format, day);
  const parse = forFileDay(deps.parse, day);
  const result = emptyFileResult(format, day, 'unchanged');
  const cursor = await loadCursor(ds, site.id, format.name, day);

  async function persist(mut: (c: IngestCursor) => void): Promise<void> {
    mut(cursor);
    await withTransaction(ds, (em) => saveCursor(em, cursor));
  }

  async function reset(reason: string): Promise<never> {
    // Persisted at once: if we die while re-reading, the next run also starts from 0.
    await persist((c) => {
      Object.assign(c, {
        byteOffset: 0,
        lineNo: 0,
        headHash: null,
        headLen: 0,
        tailHash: null,
        tailLen: 0,
        etag: null,
        resets: c.resets + 1,
        lastStatus: 'reset',
        lastError: reason,
      });
    });
    result.resets++;
    throw new Reset(reason);
  }

  for (let attempt = 0; ; attempt++) {
    try {
      await fetchOnce();
      return result;
    } catch (err) {
      if (!(err instanceof Reset)) {
        await persist((c) => {
          c.lastFetchAt = deps.now();
          c.lastStatus = 'error';
          c.lastError = (err as Error).message;
        }).catch(() => undefined);
        throw err;
      }
      if (attempt >= 2) {
        throw new SitewatchError(
          'INGEST_FAILED',
          `${result.file}: the file keeps changing while it is read (${err.message})`,
        );
      }
    }
  }

  async function fetchOnce(): Promise<void> {
    const off = cursor.byteOffset;
    const overlap = off > 0 ? cursor.tailLen : 0;
    let res: FetchResponse = await deps.source.fetch(
      off > 0 ? { path, rangeStart: off - overlap, etag: cursor.etag } : { path },
    );
    if (res.status === 206 && (res as { start: number }).start !== off - overlap) {
      // A 206 that does not start where we asked cannot be trusted: take the whole file instead.
      (res as { body: { destroy(): void } }).body.destroy();
      res = await deps.source.fetch({ path });
    }
    const fetchedAt = deps.now();
    if (res.status === 304) {
      await persist((c) => {
        Object.assign(c, { lastFetchAt: fetchedAt, lastStatus: '304', lastError: null });
        if (dayClosed) c.state = 'done';
      });
      return;
    }
    if (res.status === 404) {
      result.outcome = 'missing';
      await persist((c) => {
        Object.assign(c, { lastFetchAt: fetchedAt, lastStatus: '404', lastError: null });
        if (dayClosed && c.byteOffset === 0) c.state = 'missing';
        else if (dayClosed) c.state = 'done';
      });
      return;
    }
    if (res.status === 416) {
      return reset(
        `file is now ${res.total ?? 'fewer than'} bytes, shorter than the ${off} already read`,
      );
    }
    const body = res as FetchResponse & { status: 200 | 206 };
    const reader = new ByteReader(body.body, deps.idleTimeoutMs, `${site.code} ${result.file}`);
    try {
      let tail: Buffer = Buffer.alloc(0);
      let head: Buffer = Buffer.alloc(0);
      if (res.status === 206) {
        tail = await reader.read(overlap);
        if (tail.length !== overlap || sha(tail) !== cursor.tailHash) {
          return await reset('the bytes before the cursor changed: file rewritten');
        }
      } else if (off > 0) {
        // 200 while we asked for a range: the server ignored it, or the file was replaced.
        head = await reader.read(cursor.headLen);
        if (head.length !== cursor.headLen || sha(head) !== cursor.headHash) {
          return await reset('the start of the file changed: file rewritten');
        }
        const tailStart = off - overlap;
        if (tailStart >= head.length) {
          await reader.skip(tailStart - head.length);
          tail = await reader.read(overlap);
        } else {
          tail = Buffer.concat([head.subarray(tailStart), await reader.read(off - head.length)]);
        }
        if (tail.length !== overlap || sha(tail) !== cursor.tailHash) {
          return await reset('the file is shorter than, or differs from, what was already read');
        }
      }
      await consume(reader, body, tail, off === 0 ? head : null, fetchedAt);
    } finally {
      reader.close();
    }
  }

  async function consume(
    reader: ByteReader,
    res: FetchResponse & { status: 200 | 206 },
    initialTail: Buffer,
    headFromZero: Buffer | null,
    fetchedAt: number,
  ): Promise<void> {
    let tail: Buffer = initialTail;
    let head: Buffer = headFromZero ?? Buffer.alloc(0);
    let carry: Buffer = Buffer.alloc(0);
    let skippingLong: {
      preview: Buffer;
      bytes: number;
      undo: { tail: Buffer; head: Buffer };
    } | null = null;
    let segments: Segment[] = [];
    let batchLines = 0;
    let batchBytes = 0;

    const track = (b: Buffer) => {
      tail =
        tail.length + b.length <= OVERLAP
          ? Buffer.concat([tail, b])
          : Buffer.concat([tail, b]).subarray(-OVERLAP);
      if (headFromZero && head.length < HEAD)
        head = Buffer.concat([head, b.subarray(0, HEAD - head.length)]);
      batchBytes += b.length;
      result.bytes += b.length;
    };

    const addLines = (b: Buffer) => {
      segments.push({ lines: b });
      let n = 0;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
      batchLines += n;
      track(b);
    };

    // Batches are parsed here while the previous one commits (the database works while we parse),
    // but commits stay strictly in file order, each waiting for the one before.
    let plannedOffset = cursor.byteOffset;
    let plannedLine = cursor.lineNo;
    let inFlight: Promise<void> | null = null;
    let failure: { err: unknown } | null = null;
    const settle = async () => {
      if (inFlight) await inFlight;
      inFlight = null;
      if (failure) throw failure.err;
    };

    const flush = async (atEof: boolean, finalLine: boolean) => {
      const firstLine = plannedLine;
      const parsed = parseBatch(segments, {
        format,
        parse,
        encoding: deps.encoding,
        firstLine,
        atFileStart: plannedOffset === 0,
        maxLineBytes: deps.maxLineBytes,
      });
      const bytes = batchBytes;
      const endOffset = plannedOffset + bytes;
      const marks = {
        tailHash: sha(tail),
        tailLen: tail.length,
        ...(headFromZero ? { headHash: sha(head), headLen: head.length } : {}),
      };
      plannedOffset = endOffset;
      plannedLine = parsed.lastLine;
      segments = [];
      batchLines = 0;
      batchBytes = 0;
      await settle();
      inFlight = commit(parsed, { atEof, finalLine, firstLine, bytes, endOffset, marks }).catch(
        (err) => {
          failure = { err };
        },
      );
    };

    const commit = async (
      parsed: ParsedBatch,
      b: {
        atEof: boolean;
        finalLine: boolean;
        firstLine: number;
        bytes: number;
        endOffset: number;
        marks: Partial<IngestCursor>;
      },
    ) => {
      const used = cursor.encoding === 'gb18030' ? 'gb18030' : (parsed.used ?? cursor.encoding);
      const bad = parsed.bad.map((x) => [
        site.id,
        format.name,
        day,
        result.file,
        x.lineNo,
        x.raw,
        x.reason,
        fetchedAt,
      ]);
      const next = {
        byteOffset: b.endOffset,
        lineNo: parsed.lastLine,
        ...b.marks,
        // The validator describes the whole response: keep it only once all of it is consumed,
        // or a later If-None-Match would answer 304 for lines never read.
        etag: b.atEof ? res.etag : null,
        lastModified: res.lastModified,
        fileSize: res.total,
        encoding: used ?? null,
        lastFetchAt: fetchedAt,
        lastStatus: String(res.status),
        lastError: null,
        state:
          dayClosed && b.finalLine
            ? ('done' as const)
            : cursor.state === 'missing'
              ? ('open' as const)
              : cursor.state,
      };
      let counts;
      try {
        counts = await withTransaction(ds, async (em) => {
          const c = await format.store(parsed.records, {
            em,
            engine: deps.engine,
            site,
            servers: deps.servers,
            now: fetchedAt,
            hooks: deps.hooks,
          });
          if (bad.length > 0) {
            await upsert(
              em,
              deps.engine,
              'ingest_error',
              ['site_id', 'kind', 'file_date', 'file', 'line_no', 'raw', 'reason', 'created_at'],
              ['site_id', 'kind', 'file_date', 'line_no'],
              ['file', 'raw', 'reason', 'created_at'],
              bad,
            );
          }
          await deps.hooks.beforeCommit?.(em, {
            siteId: site.id,
            kind: format.name,
            day,
            endOffset: b.endOffset,
          });
          const updated = {
            ...cursor,
            ...next,
            bytesRead: cursor.bytesRead + b.bytes,
            rowsInserted: cursor.rowsInserted + c.inserted,
            rowsDuplicate: cursor.rowsDuplicate + c.duplicate,
            rowsQuarantined: cursor.rowsQuarantined + bad.length,
          };
          await saveCursor(em, updated as IngestCursor);
          return { ...c, next: updated };
        });
      } catch (err) {
        // Rolled back: servers registered in this transaction are gone, so forget the cache.
        deps.servers.invalidate();
        throw err;
      }
      Object.assign(cursor, counts.next);
      result.outcome = 'ingested';
      result.lines += parsed.lastLine - b.firstLine;
      result.inserted += counts.inserted;
      result.duplicate += counts.duplicate;
      result.updated += counts.updated;
      result.quarantined += bad.length;
      result.skipped += parsed.skipped;
    };

    try {
      for (let c = await reader.next(); c; c = await reader.next()) {
        if (skippingLong) {
          const nl = c.indexOf(10);
          if (nl === -1) {
            skippingLong.bytes += c.length;
            track(c);
            continue;
          }
          const rest = c.subarray(0, nl + 1);
          skippingLong.bytes += rest.length;
          track(rest);
          segments.push({ long: skippingLong.preview.toString('utf8'), bytes: skippingLong.bytes });
          batchLines++;
          skippingLong = null;
          c = c.subarray(nl + 1);
          if (c.length === 0) continue;
        }
        const data = carry.length > 0 ? Buffer.concat([carry, c]) : c;
        const last = data.lastIndexOf(10);
        if (last === -1) {
          carry = data;
        } else {
          carry = data.subarray(last + 1);
          // Cut batches at exactly chunkLines lines, so that a transaction never grows past that.
          let rest = data.subarray(0, last + 1);
          while (rest.length > 0) {
            let cut = -1;
            for (let n = batchLines; n < deps.chunkLines; n++) {
              cut = rest.indexOf(10, cut + 1);
              if (cut === -1) break;
            }
            const part = cut === -1 ? rest : rest.subarray(0, cut + 1);
            addLines(part);
            rest = rest.subarray(part.length);
            if (batchLines >= deps.chunkLines) await flush(false, false);
          }
        }
        if (carry.length > deps.maxLineBytes) {
          skippingLong = {
            preview: carry.subarray(0, 200),
            bytes: carry.length,
            undo: { tail, head },
          };
          track(carry);
          carry = Buffer.alloc(0);
        }
        // Never cut a batch inside an over-long line: the cursor must always sit on a line boundary.
        if (!skippingLong && (batchLines >= deps.chunkLines || batchBytes >= MAX_BATCH_BYTES))
          await flush(false, false);
      }
      let finalLine = false;
      if (skippingLong && dayClosed) {
        segments.push({ long: skippingLong.preview.toString('utf8'), bytes: skippingLong.bytes });
        skippingLong = null;
        finalLine = true;
      } else if (carry.length > 0 && dayClosed) {
        // The day is over: an unterminated last line will never be completed, so it is taken as it is.
        addLines(carry);
        batchLines++;
        carry = Buffer.alloc(0);
        finalLine = true;
      } else if (carry.length === 0 && !skippingLong) {
        finalLine = true;
      }
      if (skippingLong) {
        // An over-long line still being written: undo its bytes so the cursor stays before it.
        batchBytes -= skippingLong.bytes;
        result.bytes -= skippingLong.bytes;
        tail = skippingLong.undo.tail;
        head = skippingLong.undo.head;
      }
      if (segments.length > 0) await flush(true, finalLine);
      else {
        await settle();
        await persist((cur) => {
          Object.assign(cur, {
            lastFetchAt: fetchedAt,
            lastStatus: String(res.status),
            lastError: null,
            etag: res.etag,
            lastModified: res.lastModified,
            fileSize: res.total,
          });
          if (dayClosed && finalLine) cur.state = 'done';
        });
      }
      await settle();
    } finally {
      // Never leave a transaction running behind a failure of the read.
      await inFlight;
    }
  }
}
