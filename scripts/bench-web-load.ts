// The load generator of npm run bench:web: autocannon in a process of its own, one job per IPC message from bench-web.
import autocannon from 'autocannon';

export interface LoadJob {
  title: string;
  /** The portal's base URL (loopback only). */
  origin: string;
  /** The session cookie header (`name=value`). */
  cookie: string;
  /** Paths each connection cycles through. */
  paths: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  title: string;
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  bytes: number;
  /** Exact percentiles (ms) over every response time autocannon reported in its `response` event. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** autocannon's own histogram percentiles (ms, whole-millisecond buckets), for comparison. */
  autocannon: { p50: number; p97_5: number; p99: number };
}

const pct = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.origin);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`bench:web loads loopback addresses only, not ${url.hostname}`);
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: job.seconds,
        headers: { cookie: job.cookie, accept: 'application/json' },
        requests: job.paths.map((path) => ({ method: 'GET', path })),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  const sorted = Float64Array.from(times).sort();
  const seconds = (Number(r.finish) - Number(r.start)) / 1000;
  return {
    title: job.title,
    requests: r.requests.total,
    seconds,
    rps: r.requests.total / seconds,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    bytes: r.throughput.total,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    autocannon: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99 },
  };
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send?.({ ok: true, result }),
    (err: Error) => process.send?.({ ok: false, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
