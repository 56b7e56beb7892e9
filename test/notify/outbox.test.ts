// The outbox on both engines: dedupe, concurrent claims, expired claims, retry scheduling, listing and large payloads.
import { addSite } from '../../src/admin/sites';
import type { AlarmItem, AlarmNotice } from '../../src/outbox/notices';
import {
  claimDue,
  dedupeKey,
  enqueue,
  getOutboxMessage,
  listOutbox,
  markAttemptFailed,
  markPartsSent,
  markSent,
  outboxCounts,
  retryMessage,
  type OutboxEntry,
} from '../../src/outbox/store';
import { describeEachEngine, resetDb } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const MIN = 60_000;

describeEachEngine('outbox', (db) => {
  let siteId: number;
  let notice: AlarmNotice;
  const entry = (event: string, recipient: string, channel = 'email'): OutboxEntry => ({
    channel,
    recipient,
    event,
    siteId,
    notice,
  });
  const ids = async () =>
    ((await db().ds.query('SELECT id FROM outbox ORDER BY id')) as { id: number | string }[]).map(
      (r) => Number(r.id),
    );

  beforeEach(async () => {
    await resetDb(db());
    const site = await addSite(
      db().ds,
      { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' },
      NOW,
    );
    siteId = site.id;
    notice = {
      kind: 'alarms',
      site: { id: site.id, code: 'BJ01', name: '北京一号', tz: 'Asia/Shanghai' },
      at: NOW,
      items: [],
      more: 0,
    };
  });

  it('queues an event once per channel and recipient', async () => {
    const { ds } = db();
    expect(await enqueue(ds.manager, [entry('alarms:1:7:raised', 'li@example.com')], NOW)).toBe(1);
    expect(
      await enqueue(ds.manager, [entry('alarms:1:7:raised', 'li@example.com')], NOW + MIN),
    ).toBe(0);
    expect(
      await enqueue(
        ds.manager,
        [
          entry('alarms:1:7:raised', 'li@example.com'),
          entry('alarms:1:7:raised', 'wang@example.com'),
          entry('alarms:1:7:raised', 'li@example.com', 'wecom'),
          entry('alarms:1:8:raised', 'li@example.com'),
        ],
        NOW + 2 * MIN,
      ),
    ).toBe(3);
    expect(await enqueue(ds.manager, [], NOW)).toBe(0);
    const rows = await listOutbox(ds);
    expect(rows.map((r) => [r.channel, r.recipient, r.createdAt])).toEqual([
      ['email', 'li@example.com', NOW + 2 * MIN],
      ['wecom', 'li@example.com', NOW + 2 * MIN],
      ['email', 'wang@example.com', NOW + 2 * MIN],
      ['email', 'li@example.com', NOW],
    ]);
    const first = rows[3];
    expect(first).toMatchObject({
      kind: 'alarms',
      siteId,
      status: 'pending',
      attempts: 0,
      nextTryAt: NOW,
      lastError: null,
      sentAt: null,
    });
    expect(JSON.parse(first.payload)).toEqual(notice);
    const keys = (await ds.query('SELECT dedupe_key FROM outbox ORDER BY id')) as {
      dedupe_key: string;
    }[];
    expect(keys[0].dedupe_key).toBe(dedupeKey('alarms:1:7:raised', 'email', 'li@example.com'));
    expect(new Set(keys.map((k) => k.dedupe_key)).size).toBe(4);
    expect(dedupeKey('a', 'b', 'c')).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupeKey('a', 'b', 'c')).not.toBe(dedupeKey('a', 'bc', ''));
  });

  it('two owners claiming at once get disjoint sets that together are every due row', async () => {
    const { ds } = db();
    const due = Array.from({ length: 30 }, (_, i) => entry(`e${i}`, `u${i}@example.com`));
    await enqueue(ds.manager, due, NOW);
    // Not yet due: queued for a minute later.
    await enqueue(ds.manager, [entry('later', 'later@example.com')], NOW + MIN);
    const all = await ids();
    const [x, y] = await Promise.all([
      claimDue(ds, 'hub-a', NOW, 5 * MIN, 100),
      claimDue(ds, 'hub-b', NOW, 5 * MIN, 100),
    ]);
    const xi = x.map((r) => r.id);
    const yi = y.map((r) => r.id);
    expect(xi.filter((id) => yi.includes(id))).toEqual([]);
    expect([...xi, ...yi].sort((p, q) => p - q)).toEqual(all.slice(0, 30));
    for (const r of [...x, ...y]) expect(r.status).toBe('sending');
    const claimed = (await ds.query(
      "SELECT claimed_by, claimed_until, COUNT(*) AS n FROM outbox WHERE status = 'sending' GROUP BY claimed_by, claimed_until ORDER BY claimed_by",
    )) as { claimed_by: string; claimed_until: number | string; n: number | string }[];
    expect(claimed.map((c) => [c.claimed_by, Number(c.claimed_until), Number(c.n)])).toEqual(
      [
        ['hub-a', NOW + 5 * MIN, x.length],
        ['hub-b', NOW + 5 * MIN, y.length],
      ].filter((c) => c[2] !== 0),
    );
    expect(await claimDue(ds, 'hub-c', NOW + MIN - 1, 5 * MIN, 100)).toEqual([]);
    expect((await claimDue(ds, 'hub-c', NOW + MIN, 5 * MIN, 100)).map((r) => r.recipient)).toEqual([
      'later@example.com',
    ]);
  });

  it('claims at most `limit` rows, oldest due first', async () => {
    const { ds } = db();
    await enqueue(ds.manager, [entry('b', 'b@example.com')], NOW - MIN);
    await enqueue(ds.manager, [entry('a', 'a@example.com')], NOW - 2 * MIN);
    await enqueue(ds.manager, [entry('c', 'c@example.com')], NOW);
    expect((await claimDue(ds, 'hub-a', NOW, 1000, 2)).map((r) => r.recipient)).toEqual([
      'b@example.com',
      'a@example.com',
    ]);
    // The rows come back by id; the two oldest were taken.
    expect((await claimDue(ds, 'hub-a', NOW, 1000, 2)).map((r) => r.recipient)).toEqual([
      'c@example.com',
    ]);
  });

  it('claims only the channels a process can send, leaving the rest for a hub that has them', async () => {
    const { ds } = db();
    await enqueue(
      ds.manager,
      [
        entry('w', 'room:运维群', 'wechat'),
        entry('m', 'li@example.com'),
        entry('r', 'ops', 'wecom'),
      ],
      NOW,
    );
    expect(await claimDue(ds, 'cli', NOW, 1000, 10, [])).toEqual([]);
    expect(
      (await claimDue(ds, 'cli', NOW, 1000, 10, ['email', 'wecom'])).map((r) => r.channel),
    ).toEqual(['email', 'wecom']);
    expect((await claimDue(ds, 'hub-a', NOW, 1000, 10)).map((r) => r.recipient)).toEqual([
      'room:运维群',
    ]);
  });

  it('an expired claim is taken over, and the first owner may no longer record the delivery', async () => {
    const { ds } = db();
    await enqueue(ds.manager, [entry('e', 'li@example.com')], NOW);
    const [mine] = await claimDue(ds, 'hub-a', NOW, 1000, 10);
    expect(await claimDue(ds, 'hub-b', NOW + 1000, 1000, 10)).toEqual([]);
    const [theirs] = await claimDue(ds, 'hub-b', NOW + 1001, 1000, 10);
    expect(theirs.id).toBe(mine.id);
    expect(await markSent(ds, mine.id, 'hub-a', NOW + 1100)).toBe(false);
    expect(await markAttemptFailed(ds, mine.id, 'hub-a', 'late', null, NOW + 1100)).toBe(false);
    expect(await markSent(ds, mine.id, 'hub-b', NOW + 1200)).toBe(true);
    expect(await markSent(ds, mine.id, 'hub-b', NOW + 1300)).toBe(false);
    expect(await getOutboxMessage(ds, mine.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentAt: NOW + 1200,
      lastError: null,
    });
    const [c] = (await ds.query('SELECT claimed_by, claimed_until FROM outbox WHERE id = ?', [
      mine.id,
    ])) as { claimed_by: string | null; claimed_until: unknown }[];
    expect(c).toEqual({ claimed_by: null, claimed_until: null });
    expect(await claimDue(ds, 'hub-c', NOW + 10 * MIN, 1000, 10)).toEqual([]);
  });

  it('a failed attempt is retried at retryAt, failed for good with null, and put back by retryMessage', async () => {
    const { ds } = db();
    await enqueue(ds.manager, [entry('e', 'li@example.com')], NOW);
    const [r] = await claimDue(ds, 'hub-a', NOW, 30_000, 10);
    expect(await markAttemptFailed(ds, r.id, 'hub-b', 'not mine', null, NOW)).toBe(false);
    expect(
      await markAttemptFailed(ds, r.id, 'hub-a', '421 try later', NOW + 5 * MIN, NOW + 1000),
    ).toBe(true);
    expect(await getOutboxMessage(ds, r.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextTryAt: NOW + 5 * MIN,
      lastError: '421 try later',
    });
    expect(await claimDue(ds, 'hub-a', NOW + 5 * MIN - 1, 30_000, 10)).toEqual([]);
    const [again] = await claimDue(ds, 'hub-a', NOW + 5 * MIN, 30_000, 10);
    expect(again).toMatchObject({ id: r.id, attempts: 1, status: 'sending' });
    expect(await markAttemptFailed(ds, r.id, 'hub-a', 'x'.repeat(3000), null, NOW + 6 * MIN)).toBe(
      true,
    );
    const failed = await getOutboxMessage(ds, r.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, nextTryAt: NOW + 6 * MIN });
    expect(failed!.lastError).toBe('x'.repeat(2000));
    expect(await claimDue(ds, 'hub-a', NOW + 60 * MIN, 30_000, 10)).toEqual([]);
    expect(await outboxCounts(ds)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 1 });

    expect(await retryMessage(ds, r.id, NOW + 61 * MIN)).toBe(true);
    expect(await getOutboxMessage(ds, r.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextTryAt: NOW + 61 * MIN,
    });
    const [back] = await claimDue(ds, 'hub-b', NOW + 61 * MIN, 30_000, 10);
    expect(back.id).toBe(r.id);
    // Neither a message in flight nor a sent one goes back.
    expect(await retryMessage(ds, r.id, NOW + 62 * MIN)).toBe(false);
    expect(await markSent(ds, r.id, 'hub-b', NOW + 62 * MIN)).toBe(true);
    expect(await retryMessage(ds, r.id, NOW + 63 * MIN)).toBe(false);
    expect(await retryMessage(ds, r.id + 1000, NOW + 63 * MIN)).toBe(false);
    expect(await getOutboxMessage(ds, r.id + 1000)).toBeNull();
  });

  it('a recipient’s messages wait for an earlier unsent one of the same site only', async () => {
    const { ds } = db();
    const other = await addSite(
      ds,
      { code: 'SH01', name: '上海一号', baseUrl: 'http://sh01' },
      NOW,
    );
    const at = (e: OutboxEntry, s: number | null): OutboxEntry => ({ ...e, siteId: s });
    await enqueue(ds.manager, [at(entry('a-raise', 'li@example.com'), siteId)], NOW);
    await enqueue(ds.manager, [at(entry('b-raise', 'li@example.com'), other.id)], NOW + 1);
    await enqueue(ds.manager, [at(entry('a-recovery', 'li@example.com'), siteId)], NOW + 2);
    await enqueue(ds.manager, [at(entry('bot-out', 'li@example.com'), null)], NOW + 3);
    await enqueue(ds.manager, [at(entry('bot-in', 'li@example.com'), null)], NOW + 4);
    const [aRaise, bRaise, aRecovery, botOut, botIn] = await ids();
    const claimed = await claimDue(ds, 'hub-a', NOW + 10, MIN, 10);
    expect(claimed.map((r) => r.id)).toEqual([aRaise, bRaise, botOut]);
    // Site A's raise waits for a retry: its recovery stays behind it; nothing else does.
    await markAttemptFailed(ds, aRaise, 'hub-a', '451 later', NOW + 5 * MIN, NOW + 20);
    await markSent(ds, bRaise, 'hub-a', NOW + 20);
    await markSent(ds, botOut, 'hub-a', NOW + 20);
    expect((await claimDue(ds, 'hub-a', NOW + 30, MIN, 10)).map((r) => r.id)).toEqual([botIn]);
    const [raiseAgain] = await claimDue(ds, 'hub-a', NOW + 5 * MIN, MIN, 10);
    expect(raiseAgain.id).toBe(aRaise);
    await markSent(ds, aRaise, 'hub-a', NOW + 5 * MIN);
    expect((await claimDue(ds, 'hub-a', NOW + 5 * MIN, MIN, 10)).map((r) => r.id)).toEqual([
      aRecovery,
    ]);
  });

  it('records delivered parts for the claiming hub only, and hands them to the next attempt', async () => {
    const { ds } = db();
    await enqueue(ds.manager, [entry('e', 'room:ops', 'wechat')], NOW);
    const [r] = await claimDue(ds, 'hub-a', NOW, 30_000, 10);
    expect(r.partsSent).toBe(0);
    expect(await markPartsSent(ds, r.id, 'hub-b', 1, NOW + 1)).toBe(false);
    expect(await markPartsSent(ds, r.id, 'hub-a', 1, NOW + 1)).toBe(true);
    await markAttemptFailed(ds, r.id, 'hub-a', 'image refused', NOW + MIN, NOW + 2);
    expect(await markPartsSent(ds, r.id, 'hub-a', 2, NOW + 3)).toBe(false);
    const [again] = await claimDue(ds, 'hub-b', NOW + MIN, 30_000, 10);
    expect(again).toMatchObject({ id: r.id, partsSent: 1, attempts: 1 });
    // A failed message put back by hand keeps its progress: the text is not sent twice.
    await markAttemptFailed(ds, r.id, 'hub-b', 'image refused', null, NOW + MIN + 1);
    expect(await retryMessage(ds, r.id, NOW + 2 * MIN)).toBe(true);
    expect(await getOutboxMessage(ds, r.id)).toMatchObject({ status: 'pending', partsSent: 1 });
  });

  it('lists newest first with filters, and counts per status', async () => {
    const { ds } = db();
    await enqueue(
      ds.manager,
      [
        entry('1', 'a@example.com'),
        entry('2', 'room:北京运维群', 'wechat'),
        entry('3', 'bj-robot', 'wecom'),
        { ...entry('4', 'admin@example.com'), siteId: null },
      ],
      NOW,
    );
    const [w] = await claimDue(ds, 'hub-a', NOW, 1000, 1);
    await markSent(ds, w.id, 'hub-a', NOW);
    const [x] = await claimDue(ds, 'hub-a', NOW, 1000, 1);
    await markAttemptFailed(ds, x.id, 'hub-a', 'boom', null, NOW);
    await claimDue(ds, 'hub-a', NOW, 1000, 1);
    expect(await outboxCounts(ds)).toEqual({ pending: 1, sending: 1, sent: 1, failed: 1 });
    expect((await listOutbox(ds)).map((r) => [r.recipient, r.status])).toEqual([
      ['admin@example.com', 'pending'],
      ['bj-robot', 'sending'],
      ['room:北京运维群', 'failed'],
      ['a@example.com', 'sent'],
    ]);
    expect((await listOutbox(ds, { status: 'failed' })).map((r) => r.recipient)).toEqual([
      'room:北京运维群',
    ]);
    expect((await listOutbox(ds, { channel: 'email' })).map((r) => r.recipient)).toEqual([
      'admin@example.com',
      'a@example.com',
    ]);
    expect((await listOutbox(ds, { siteId, limit: 2 })).map((r) => r.recipient)).toEqual([
      'bj-robot',
      'room:北京运维群',
    ]);
    expect((await listOutbox(ds, { channel: 'email', siteId })).map((r) => r.siteId)).toEqual([
      siteId,
    ]);
  });

  it('a payload of 300 alarms with 1000-character descriptions round-trips', async () => {
    const { ds } = db();
    const items: AlarmItem[] = Array.from({ length: 300 }, (_, i) => ({
      alarmId: i + 1,
      event: 'raised',
      name: 'DISK_FULL',
      node: `db-${String(i).padStart(3, '0')}`,
      // Mostly three-byte characters: about 680 KB of JSON, far over MySQL's 64 KB TEXT.
      description: `${i}:${'磁盘空间不足 /data'.repeat(100)}`.slice(0, 1000),
      raisedAt: NOW - i * MIN,
      resumedAt: null,
      title: '磁盘空间不足',
      severity: 'critical',
      action: '清理日志与临时文件，或扩容磁盘',
      source: 'site',
      ackedBy: null,
      silencedBy: null,
    }));
    const big: AlarmNotice = { ...notice, items, more: 12 };
    expect(
      await enqueue(ds.manager, [{ ...entry('big', 'li@example.com'), notice: big }], NOW),
    ).toBe(1);
    const [row] = await listOutbox(ds);
    expect(Buffer.byteLength(row.payload)).toBeGreaterThan(650_000);
    expect(JSON.parse(row.payload)).toEqual(big);
    const [claimed] = await claimDue(ds, 'hub-a', NOW, 1000, 10);
    expect(JSON.parse(claimed.payload).items[299].description).toBe(items[299].description);
  });
});
