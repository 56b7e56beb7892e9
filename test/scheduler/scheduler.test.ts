// The scheduler: jobs as data, no overlapping runs, failures logged and contained, duplicates refused.
import { createScheduler } from '../../src/scheduler/scheduler';
import type { Job } from '../../src/types/job';
import { captureLog } from '../helpers/log';

const job = (name: string, run: Job['run']): Job => ({
  name,
  schedule: '*/5 * * * *',
  timezone: 'Asia/Shanghai',
  run,
});

describe('scheduler', () => {
  it('refuses two jobs with the same name at start-up', () => {
    const { log } = captureLog();
    expect(() =>
      createScheduler([job('ingest', async () => {}), job('ingest', async () => {})], log),
    ).toThrow('Duplicate job "ingest" in the registry.');
  });

  it('does not start a run on top of one still running', async () => {
    const { log, lines } = captureLog();
    let release!: () => void;
    let runs = 0;
    const s = createScheduler(
      [
        job('slow', () => {
          runs++;
          return new Promise<void>((r) => (release = r));
        }),
      ],
      log,
    );
    const first = s.runNow('slow');
    await new Promise((r) => setImmediate(r));
    expect(await s.runNow('slow')).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(runs).toBe(1);
    expect(lines.map((l) => l.msg)).toEqual([
      'job started',
      'job still running; this run is skipped',
      'job finished',
    ]);
  });

  it('logs a failing job and keeps going', async () => {
    const { log, lines } = captureLog();
    const s = createScheduler(
      [
        job('bad', async () => {
          throw new Error('disk on fire');
        }),
      ],
      log,
    );
    expect(await s.runNow('bad')).toBe(true);
    expect(lines[1]).toMatchObject({ msg: 'job failed', job: 'bad', err: 'disk on fire' });
    expect(await s.runNow('bad')).toBe(true);
  });

  it('fires on its cron schedule in the job time zone, and stop waits for the run in flight', async () => {
    const { log } = captureLog();
    let fired = 0;
    const s = createScheduler(
      [
        {
          name: 'tick',
          schedule: '* * * * * *',
          timezone: 'Asia/Shanghai',
          run: async () => void fired++,
        },
      ],
      log,
    );
    s.start();
    await new Promise((r) => setTimeout(r, 2200));
    await s.stop();
    const after = fired;
    expect(after).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(fired).toBe(after);
  });
});

describe('scheduler.add', () => {
  it('adds a job while running: scheduled at once, listed, run by name; a used name or bad zone is refused', async () => {
    const { log } = captureLog();
    let fired = 0;
    const s = createScheduler([job('ingest', async () => {})], log);
    s.start();
    try {
      s.add({
        name: 'daily-report@Europe/Berlin',
        schedule: '* * * * * *',
        timezone: 'Europe/Berlin',
        run: async () => void fired++,
      });
      expect(s.jobs().map((j) => j.name)).toEqual(['ingest', 'daily-report@Europe/Berlin']);
      await new Promise((r) => setTimeout(r, 2200));
      expect(fired).toBeGreaterThanOrEqual(1);
      expect(await s.runNow('daily-report@Europe/Berlin')).toBe(true);
      expect(() => s.add(job('ingest', async () => {}))).toThrow(
        'Duplicate job "ingest" in the registry.',
      );
      expect(() => s.add(job('daily-report@Europe/Berlin', async () => {}))).toThrow(
        'Duplicate job "daily-report@Europe/Berlin" in the registry.',
      );
      expect(() =>
        s.add({ ...job('daily-report@Mars/Olympus', async () => {}), timezone: 'Mars/Olympus' }),
      ).toThrow();
      expect(s.jobs().map((j) => j.name)).toEqual(['ingest', 'daily-report@Europe/Berlin']);
      await expect(s.runNow('nope')).rejects.toThrow('Unknown job "nope".');
    } finally {
      await s.stop();
    }
    const after = fired;
    await new Promise((r) => setTimeout(r, 1200));
    expect(fired).toBe(after);
  });

  it('a job added before start is scheduled by start', async () => {
    const { log } = captureLog();
    let fired = 0;
    const s = createScheduler([], log);
    s.add({
      name: 'tick',
      schedule: '* * * * * *',
      timezone: 'UTC',
      run: async () => void fired++,
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(fired).toBe(0);
    s.start();
    await new Promise((r) => setTimeout(r, 2200));
    await s.stop();
    expect(fired).toBeGreaterThanOrEqual(1);
  });
});

describe('scheduler.catchUp', () => {
  it('runs a missed slot as a scheduled run, but not while the job is running', async () => {
    const { log, lines } = captureLog();
    let release!: () => void;
    const seen: { firedAt: number; scheduled: boolean }[] = [];
    const s = createScheduler(
      [
        job('report', (ctx) => {
          seen.push({ firedAt: ctx.firedAt.getTime(), scheduled: ctx.scheduled });
          return new Promise<void>((r) => (release = r));
        }),
      ],
      log,
    );
    const slot = new Date(Date.UTC(2026, 10, 26, 1, 0));
    const first = s.catchUp('report', slot);
    await new Promise((r) => setImmediate(r));
    // Its own cron fired in the same second: the catch-up stands aside, quietly.
    expect(await s.catchUp('report', slot)).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(seen).toEqual([{ firedAt: slot.getTime(), scheduled: true }]);
    expect(lines.map((l) => l.msg)).toEqual([
      'catching up a missed run',
      'job started',
      'job finished',
    ]);
    await expect(s.catchUp('nope', slot)).rejects.toThrow('Unknown job "nope".');
  });
});
