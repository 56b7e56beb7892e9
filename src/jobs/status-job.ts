// The hub's status reporter: every chat transport's health written to transport_status at start and every few seconds, the hub's rows removed when it stops.
import type { DataSource } from 'typeorm';
import { forgetHub, forgetSilentHubs, recordTransportHealth } from '../admin/transport-status';
import type { ChatTransport } from '../chat/transport';
import { describeError } from '../errors';
import { type Logger, silentLogger } from '../log';
import { STATUS_EVERY_MS } from '../queries/hub-status';

/** Rows of hubs silent this long are removed (a hub that died leaves them, under an id never used again). */
const FORGET_AFTER_MS = 24 * 3600_000;

export interface StatusReporter {
  /** Write every transport's health now, then every `everyMs`; calling it again does nothing. */
  start(): Promise<void>;
  /** Stop writing, let a write in flight finish, and remove this hub's rows; safe twice or before start(). */
  stop(): Promise<void>;
  /** Write now (a transport's state changed), unless not started or a write is in flight. */
  touch(): Promise<void>;
  /** Resolves when the write in flight, if any, is done. */
  settled(): Promise<void>;
}

/**
 * A timer rather than a scheduled job: the scheduler's jobs are cron slots run by one hub at a
 * time and absent from `sitewatch bot`, while every hub that runs transports reports its own.
 */
export function createStatusReporter(o: {
  ds: DataSource;
  hub: string;
  transports: readonly ChatTransport[];
  now?: () => number;
  everyMs?: number;
  log?: Logger;
}): StatusReporter {
  const { ds, hub, transports } = o;
  const now = o.now ?? Date.now;
  const everyMs = o.everyMs ?? STATUS_EVERY_MS;
  const log = o.log ?? silentLogger;
  // Transports that do not say since when they are in their state: since this reporter first saw it.
  const seen = new Map<string, { state: string; since: number }>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let starting: Promise<void> | null = null;
  let stopping = false;
  let inFlight: Promise<void> | null = null;

  async function writeAll(): Promise<void> {
    const t = now();
    for (const tr of transports) {
      const h = tr.health();
      const prev = seen.get(tr.name);
      const since = prev && prev.state === h.state ? prev.since : t;
      seen.set(tr.name, { state: h.state, since });
      await recordTransportHealth(ds, hub, tr.name, { ...h, since: h.since ?? since }, t);
    }
  }

  /** One write at a time: a tick that finds the previous one still running is skipped. */
  function report(): Promise<void> {
    inFlight ??= writeAll()
      .catch((err) =>
        log.warn({ err: describeError(err), hub }, 'could not record the transports status'),
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    start() {
      starting ??= (async () => {
        stopping = false;
        await forgetSilentHubs(ds, now() - FORGET_AFTER_MS).catch((err) =>
          log.warn({ err: describeError(err) }, 'could not remove old transport status rows'),
        );
        if (stopping) return;
        await report();
        if (stopping) return;
        timer = setInterval(() => void report(), everyMs);
        timer.unref();
      })();
      return starting;
    },
    async stop() {
      if (!starting) return;
      stopping = true;
      // A stop during start() waits for it, so that no row is written after the hub's are removed.
      await starting;
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
      starting = null;
      await forgetHub(ds, hub);
    },
    touch: () => (timer && !stopping ? report() : Promise.resolve()),
    settled: async () => {
      await inFlight;
    },
  };
}
