// The hub's chart renderer: a bounded pool of worker threads drawing PNGs, with a queue limit and timeouts.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { SitewatchError, describeError } from '../errors';
import { silentLogger, type Logger } from '../log';
import type { ChartOption } from '../types/chart-option';
import { workerFile } from '../workers/worker-file';
import { registerChartFonts } from './fonts';
import { SIZES, checkRenderSize, type RenderSize } from './render';
import type { RenderTask, RenderWorkerData } from './render-worker';

export interface ChartRendererOptions {
  /** Worker threads; 0 means one per core but one, left to the event loop (and at least one). */
  threads: number;
  /** Charts that may wait for a free thread; one more is refused at once as busy. */
  maxQueue: number;
  /** Budget of one render from the call (queue wait included) to its PNG. */
  timeoutMs: number;
  fontFamily: string;
  fontPaths: string[];
  log?: Logger;
}

export interface ChartRenderer {
  render(option: ChartOption, size?: RenderSize): Promise<Buffer>;
  stats(): { queued: number; running: number; completed: number };
  /** Lets running and queued renders finish, then stops the threads; later renders are refused. */
  close(): Promise<void>;
}

/**
 * A render that timed out (code RENDER_TIMEOUT; the thread drawing it is replaced) or failed in
 * the worker (RENDER_FAILED: a bad option, a font error); one failure never affects other renders.
 */
export class ChartRenderError extends SitewatchError {
  constructor(
    code: 'RENDER_TIMEOUT' | 'RENDER_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ChartRenderError';
  }
}

const busy = (waiting: number) =>
  new SitewatchError('CONFLICT', `chart renderer is busy (${waiting} charts waiting)`);

/**
 * Starts the render threads. The fonts are registered here first, so a bad font path fails now
 * rather than on every render. Each render runs in its own task: a timeout or failure rejects
 * that render only.
 */
export function createChartRenderer(o: ChartRendererOptions): ChartRenderer {
  const log = o.log ?? silentLogger;
  registerChartFonts({ family: o.fontFamily, paths: o.fontPaths });
  // A worker on every core starves the event loop (bot, web) during a burst; keep one core free.
  const threads = o.threads > 0 ? o.threads : Math.max(1, availableParallelism() - 1);
  const workerData: RenderWorkerData = { fontFamily: o.fontFamily, fontPaths: o.fontPaths };
  const pool = new Piscina<RenderTask, Uint8Array>({
    filename: workerFile(__dirname, 'render-worker'),
    minThreads: threads,
    maxThreads: threads,
    // Our own check below refuses first, with our message; this is the pool's backstop.
    maxQueue: o.maxQueue,
    workerData,
  });
  // Errors outside any task (a thread dying while idle): without a listener they would crash.
  pool.on('error', (err: unknown) =>
    log.error({ err: describeError(err) }, 'chart render pool error'),
  );

  let inFlight = 0;
  let completed = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  async function render(option: ChartOption, size: RenderSize = SIZES.chat): Promise<Buffer> {
    if (closed) throw new SitewatchError('CONFLICT', 'chart renderer is closed');
    checkRenderSize(size);
    const waiting = pool.queueSize;
    if (waiting >= o.maxQueue) throw busy(waiting);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), o.timeoutMs);
    inFlight++;
    try {
      const png = await pool.run({ option, size }, { signal: abort.signal });
      completed++;
      return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
    } catch (err) {
      if (abort.signal.aborted) {
        const message = `chart render timed out after ${o.timeoutMs} ms`;
        throw new ChartRenderError('RENDER_TIMEOUT', message, { cause: err });
      }
      if (err instanceof Error && /queue is at limit/i.test(err.message)) {
        throw busy(pool.queueSize);
      }
      throw new ChartRenderError('RENDER_FAILED', `chart render failed: ${describeError(err)}`, {
        cause: err,
      });
    } finally {
      clearTimeout(timer);
      inFlight--;
    }
  }

  return {
    render,
    stats() {
      const queued = pool.queueSize;
      return { queued, running: Math.max(0, inFlight - queued), completed };
    },
    close() {
      closed = true;
      closing ??= pool.close();
      return closing;
    },
  };
}
