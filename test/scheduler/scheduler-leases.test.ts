// Two schedulers (two hubs) on one database: exclusive jobs run once per slot or on demand, shared jobs on every hub.
import { createLeases } from '../../src/cluster/leases';
import { createScheduler, slotOf } from '../../src/scheduler/scheduler';
import type { Job, JobContext } from '../../src/types/job';
import { describeEachEngine, resetDb } from '../helpers/db';
import { captureLog } from '../helpers/log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('scheduler with leases', (db) => {
  beforeEach(() => resetDb(db()));

  /** Two hubs with the same job list; `make(hub)` builds the jobs for one hub. */
  function hubs(make: (hub: 'a' | 'b') => Job[]) {
    return (['a', 'b'] as const).map((hub) => {
      const { log, lines } = captureLog();
      const leases = createLeases({ ds: db().ds, owner: `hub-${hub}`, ttlMs: 60_000 });
      return { hub, lines, scheduler: createScheduler(make(hub), log, leases) };
    });
  }

  it('fired for the same slot on both hubs, an exclusive job runs once; a shared job runs on both', async () => {
    const exclusive: { hub: string; slot: number; scheduled: boolean }[] = [];
    const shared: typeof exclusive = [];
    const job = (name: string, cluster: Job['cluster'], runs: typeof exclusive, hub: string) => ({
      name,
      schedule: '* * * * * *',
      timezone: 'Asia/Shanghai',
      cluster,
      run: async (ctx: JobContext) => {
        runs.push({ hub, slot: slotOf(ctx.firedAt), scheduled: ctx.scheduled });
      },
    });
    const [a, b] = hubs((hub) => [
      job('exclusive', 'exclusive', exclusive, hub),
      job('shared', 'shared', shared, hub),
    ]);
    a.scheduler.start();
    b.scheduler.start();
    await sleep(3300);
    await a.scheduler.stop();
    await b.scheduler.stop();

    const slotsOf = (runs: typeof exclusive, hub?: string) =>
      runs.filter((r) => !hub || r.hub === hub).map((r) => r.slot);
    const both = slotsOf(shared, 'a').filter((s) => slotsOf(shared, 'b').includes(s));
    // Every second both hubs fired, the exclusive job ran, and only once.
    expect(both.length).toBeGreaterThanOrEqual(1);
    const ran = slotsOf(exclusive);
    expect(new Set(ran).size).toBe(ran.length);
    for (const s of both) expect(ran.filter((r) => r === s)).toHaveLength(1);
    for (const s of ran) expect(s % 1000).toBe(0);
    expect([...exclusive, ...shared].every((r) => r.scheduled)).toBe(true);
    // Whichever hub lost a slot's race logged it as skipped.
    const skipped = [...a.lines, ...b.lines].filter(
      (l) => l.job === 'exclusive' && l.msg === 'job skipped: another hub runs it',
    );
    expect(skipped.length).toBeGreaterThanOrEqual(both.length);
    const [row] = (await db().ds.query(
      "SELECT done_slot FROM job_lease WHERE name = 'job:exclusive'",
    )) as { done_slot: number | string }[];
    expect(Number(row.done_slot)).toBe(Math.max(...ran));
  });

  it('runNow: an exclusive job runs on one hub at a time and marks no slot; a shared one on both', async () => {
    const runs: string[] = [];
    const gates: (() => void)[] = [];
    const [a, b] = hubs((hub) => [
      {
        name: 'report',
        schedule: '0 9 * * *',
        timezone: 'Asia/Shanghai',
        run: async (ctx) => {
          runs.push(`report@${hub}${ctx.scheduled ? ' (scheduled)' : ''}`);
          await new Promise<void>((r) => gates.push(r));
        },
      },
      {
        name: 'notify',
        schedule: '* * * * *',
        timezone: 'Asia/Shanghai',
        cluster: 'shared',
        run: async () => {
          runs.push(`notify@${hub}`);
          await new Promise<void>((r) => gates.push(r));
        },
      },
    ]);
    const first = a.scheduler.runNow('report');
    while (gates.length === 0) await sleep(5);
    // Held by hub a: hub b does not run it, and says so.
    expect(await b.scheduler.runNow('report')).toBe(false);
    expect(b.lines.map((l) => l.msg)).toEqual(['job started', 'job skipped: another hub runs it']);
    gates.shift()!();
    expect(await first).toBe(true);
    // Released: on demand it runs again, on the other hub too.
    const second = b.scheduler.runNow('report');
    while (gates.length === 0) await sleep(5);
    gates.shift()!();
    expect(await second).toBe(true);
    const [row] = (await db().ds.query(
      "SELECT owner, expires_at, done_slot FROM job_lease WHERE name = 'job:report'",
    )) as Record<string, unknown>[];
    expect([row.owner, Number(row.expires_at), Number(row.done_slot)]).toEqual(['hub-b', 0, 0]);

    const both = [a.scheduler.runNow('notify'), b.scheduler.runNow('notify')];
    while (gates.length < 2) await sleep(5);
    gates.splice(0).forEach((g) => g());
    expect(await Promise.all(both)).toEqual([true, true]);
    expect(runs).toEqual(['report@a', 'report@b', 'notify@a', 'notify@b']);
    expect(
      (await db().ds.query("SELECT name FROM job_lease WHERE name = 'job:notify'")) as unknown[],
    ).toEqual([]);
  });

  it('a failing exclusive run is reported as run and leaves the lease free', async () => {
    const [a, b] = hubs(() => [
      {
        name: 'retention',
        schedule: '30 3 * * *',
        timezone: 'Asia/Shanghai',
        run: async () => {
          throw new Error('disk on fire');
        },
      },
    ]);
    expect(await a.scheduler.runNow('retention')).toBe(true);
    expect(a.lines[1]).toMatchObject({ msg: 'job failed', job: 'retention', err: 'disk on fire' });
    expect(await b.scheduler.runNow('retention')).toBe(true);
    expect(b.lines[1]).toMatchObject({ msg: 'job failed', job: 'retention' });
  });
});
