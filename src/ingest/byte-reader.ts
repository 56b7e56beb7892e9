// Pull-style reader over a byte stream: exact reads for validator checks, then chunk iteration, with an idle timeout.
import type { Readable } from 'node:stream';
import { FetchError, SitewatchError } from '../errors';

export class ByteReader {
  private readonly it: AsyncIterator<Buffer>;
  private head: Buffer | null = null;
  private done = false;

  constructor(
    private readonly body: Readable,
    private readonly idleMs: number,
    private readonly what: string,
  ) {
    this.it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Next chunk of bytes, or null at the end; fails if the stream stalls for idleMs. */
  async next(): Promise<Buffer | null> {
    if (this.head) {
      const h = this.head;
      this.head = null;
      return h;
    }
    if (this.done) return null;
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new SitewatchError('FETCH_TIMEOUT', `${this.what}: no data for ${this.idleMs} ms`));
      }, this.idleMs);
    });
    try {
      const r = await Promise.race([this.it.next(), stall]);
      if (r.done) {
        this.done = true;
        return null;
      }
      return Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    } catch (err) {
      this.close();
      if (err instanceof SitewatchError) throw err;
      throw new FetchError(`${this.what}: ${(err as Error).message}`, true, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exactly n bytes, or fewer if the stream ends first. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const c = await this.next();
      if (!c) break;
      const need = n - have;
      if (c.length > need) {
        parts.push(c.subarray(0, need));
        this.head = c.subarray(need);
        have = n;
      } else {
        parts.push(c);
        have += c.length;
      }
    }
    return Buffer.concat(parts);
  }

  /** Discard n bytes; returns how many were actually skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const c = await this.next();
      if (!c) break;
      if (c.length > left) {
        this.head = c.subarray(left);
        left = 0;
      } else left -= c.length;
    }
    return n - left;
  }

  /** Put bytes back in front of the stream. */
  unshift(buf: Buffer): void {
    if (buf.length === 0) return;
    this.head = this.head ? Buffer.concat([buf, this.head]) : buf;
  }

  close(): void {
    this.done = true;
    this.body.destroy();
  }
}
