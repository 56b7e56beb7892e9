// Database leases on both engines: one holder at a time, takeover after expiry, completed slots, renewal, and a real race.
import { createLeases, type Leases } from '../../src/cluster/leases';
import { describeEachEngine, resetDb } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 25, 13, 0, 0);
const TTL = 10_000;
const SLOT = T0;
const NEXT_SLOT = T0 + 60_000;

describeEachEngine('leases', (db) => {
  let t: number;
  let a: Leases;
  let b: Leases;
  const row = async (name: string) => {
    const rows = (await db().ds.query(
      'SELECT owner, expires_at, done_slot FROM job_lease WHERE name = ?',
      [name],
    )) as { owner: string; expires_at: number | string; done_slot: number | string }[];
    return rows.map((r) => ({
      owner: r.owner,
      expiresAt: Number(r.expires_at),
      doneSlot: Number(r.done_slot),
    }));
  };

  beforeEach(async () => {
    await resetDb(db());
    t = T0;
    a = createLeases({ ds: db().ds, owner: 'hub-a', ttlMs: TTL, now: () => t });
    b = createLeases({ ds: db().ds, owner: 'hub-b', ttlMs: TTL, now: () => t });
  });

  it('a held lease cannot be taken by another owner until it expires; the loser’s renew says so', async () => {
    const held = await a.acquire('job:x');
    expect(held?.name).toBe('job:x');
    expect(await row('job:x')).toEqual([{ owner: 'hub-a', expiresAt: T0 + TTL, doneSlot: 0 }]);
    expect(await b.acquire('job:x')).toBeNull();
    t = T0 + TTL - 1;
    expect(await b.acquire('job:x')).toBeNull();
    // Renewing before expiry pushes the expiry on.
    expect(await held!.renew()).toBe(true);
    expect(await row('job:x')).toEqual([
      { owner: 'hub-a', expiresAt: T0 + 2 * TTL - 1, doneSlot: 0 },
    ]);
    t = T0 + 2 * TTL - 1;
    const taken = await b.acquire('job:x');
    expect(taken).not.toBeNull();
    expect(await row('job:x')).toEqual([
      { owner: 'hub-b', expiresAt: T0 + 3 * TTL - 1, doneSlot: 0 },
    ]);
    expect(await held!.renew()).toBe(false);
    // Releasing a lost lease leaves the new holder alone.
    await held!.release(SLOT);
    expect(await row('job:x')).toEqual([
      { owner: 'hub-b', expiresAt: T0 + 3 * TTL - 1, doneSlot: 0 },
    ]);
    expect(await a.acquire('job:x')).toBeNull();
    // A released lease is free at once.
    await taken!.release();
    expect(await row('job:x')).toEqual([{ owner: 'hub-b', expiresAt: 0, doneSlot: 0 }]);
    expect(await a.acquire('job:x')).not.toBeNull();
  });

  it('an owner cannot take its own held lease a second time', async () => {
    expect(await a.acquire('job:x')).not.toBeNull();
    expect(await a.acquire('job:x')).toBeNull();
    expect(await a.withLease('job:x', async () => 'ran')).toEqual({ ran: false });
  });

  it('a completed slot is never run again by anyone; a later slot and unslotted runs are', async () => {
    const first = await a.acquire('job:y', { slot: SLOT });
    await first!.release(SLOT);
    expect(await row('job:y')).toEqual([{ owner: 'hub-a', expiresAt: 0, doneSlot: SLOT }]);
    expect(await b.acquire('job:y', { slot: SLOT })).toBeNull();
    expect(await a.acquire('job:y', { slot: SLOT })).toBeNull();
    t = T0 + 30 * TTL;
    expect(await b.acquire('job:y', { slot: SLOT })).toBeNull();
    const later = await b.acquire('job:y', { slot: NEXT_SLOT });
    expect(later).not.toBeNull();
    await later!.release(NEXT_SLOT);
    expect(await row('job:y')).toEqual([{ owner: 'hub-b', expiresAt: 0, doneSlot: NEXT_SLOT }]);
    // A run on demand (no slot) is not held back by completed slots.
    expect(await a.acquire('job:y')).not.toBeNull();
  });

  it('withLease runs fn, marks the slot, and skips without running when another holds it', async () => {
    const ran: string[] = [];
    expect(await a.withLease('job:z', async () => (ran.push('a'), 42), { slot: SLOT })).toEqual({
      ran: true,
      value: 42,
    });
    expect(await row('job:z')).toEqual([{ owner: 'hub-a', expiresAt: 0, doneSlot: SLOT }]);
    expect(await b.withLease('job:z', async () => ran.push('b'), { slot: SLOT })).toEqual({
      ran: false,
    });
    const held = await b.acquire('job:z');
    expect(await a.withLease('job:z', async () => ran.push('a2'), { slot: NEXT_SLOT })).toEqual({
      ran: false,
    });
    await held!.release();
    expect(ran).toEqual(['a']);
  });

  it('withLease releases on a throw without marking the slot, so another hub can run that slot', async () => {
    await expect(
      a.withLease(
        'job:w',
        async () => {
          throw new Error('disk on fire');
        },
        { slot: SLOT },
      ),
    ).rejects.toThrow('disk on fire');
    expect(await row('job:w')).toEqual([{ owner: 'hub-a', expiresAt: 0, doneSlot: 0 }]);
    expect(await b.withLease('job:w', async () => 'retried', { slot: SLOT })).toEqual({
      ran: true,
      value: 'retried',
    });
    expect(await row('job:w')).toEqual([{ owner: 'hub-b', expiresAt: 0, doneSlot: SLOT }]);
  });

  it('a renewal still in flight when the lease is released does not keep the lease', async () => {
    for (let i = 0; i < 10; i++) {
      const name = `job:r${i}`;
      const held = await a.acquire(name);
      t += 1_000;
      // The renewal timer fires just as the job ends: both statements are sent at once (two pooled connections on MariaDB).
      const renewed = held!.renew();
      await held!.release(SLOT);
      await renewed;
      expect(await row(name)).toEqual([{ owner: 'hub-a', expiresAt: 0, doneSlot: SLOT }]);
      // And a renewal after the release neither succeeds nor brings the lease back.
      expect(await held!.renew()).toBe(false);
      expect(await row(name)).toEqual([{ owner: 'hub-a', expiresAt: 0, doneSlot: SLOT }]);
      expect(await b.acquire(name)).not.toBeNull();
    }
  });

  it('withLease renews the lease while fn runs longer than its time', async () => {
    // Real clock: the renewal timer is what keeps the lease (every third of 900 ms).
    const ra = createLeases({ ds: db().ds, owner: 'hub-a', ttlMs: 900 });
    const rb = createLeases({ ds: db().ds, owner: 'hub-b', ttlMs: 900 });
    const attempts: boolean[] = [];
    const r = await ra.withLease('job:long', async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((res) => setTimeout(res, 700));
        attempts.push((await rb.acquire('job:long')) !== null);
      }
      return 'done';
    });
    expect(r).toEqual({ ran: true, value: 'done' });
    expect(attempts).toEqual([false, false, false]);
    expect((await row('job:long'))[0]).toMatchObject({ owner: 'hub-a', expiresAt: 0 });
  });

  it('two owners racing for one lease: exactly one of 20 concurrent attempts wins', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `job:race-${round}`;
      const got = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).acquire(name)),
      );
      const winners = got.filter((l) => l !== null);
      expect(winners).toHaveLength(1);
      const [{ owner }] = await row(name);
      expect(['hub-a', 'hub-b']).toContain(owner);
    }
  });
});
