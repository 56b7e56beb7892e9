// Retention on both engines: old samples, finished notifications, quarantined lines, bind codes, silences, expired sessions and old login counts go; the rest stays.
import type { DataSource } from 'typeorm';
import { BindCode, IngestError, Server } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { addUser } from '../../src/admin/users';
import { DELETE_BATCH, applyRetention, deleteInBatches } from '../../src/jobs/retention-job';
import { enqueue } from '../../src/outbox/store';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const DAY = 24 * 3600_000;
const retention = testConfig().retention;

async function count(ds: DataSource, table: string): Promise<number> {
  const [r] = (await ds.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
  return Number(r.n);
}

/** `n` cpu samples of one server, one a second from `from`, in multi-row inserts. */
async function cpuSamples(ds: DataSource, serverId: number, from: number, n: number) {
  for (let i = 0; i < n; i += 1000) {
    const rows = Math.min(1000, n - i);
    const params: number[] = [];
    for (let j = 0; j < rows; j++) params.push(serverId, from + (i + j) * 1000, 1, 2, 3, 94);
    await ds.query(
      `INSERT INTO cpu_sample (server_id, sampled_at, user_pct, sys_pct, io_pct, idle_pct) VALUES ${new Array(rows).fill('(?,?,?,?,?,?)').join(',')}`,
      params,
    );
  }
}

describeEachEngine('retention', (db) => {
  let serverId: number;
  let siteId: number;
  let userId: number;

  beforeEach(async () => {
    await resetDb(db());
    const { ds } = db();
    siteId = (await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' }, NOW))
      .id;
    userId = (await addUser(ds, { login: 'li', password: 'password-1' }, NOW)).id;
    const res = await ds.getRepository(Server).insert({
      siteId,
      name: 'app01',
      ip: '10.0.0.1',
      osName: null,
      osVersion: null,
      uptimeSeconds: null,
      uptimeAt: null,
      firstSeenAt: NOW - 200 * DAY,
      lastSeenAt: NOW,
    });
    serverId = Number(res.identifiers[0].id);
  });

  it('deletes what is past its time and keeps the rest', async () => {
    const { ds } = db();
    const sampleLimit = NOW - retention.sampleDays * DAY;
    for (const at of [sampleLimit - DAY, sampleLimit - 1, sampleLimit, NOW - DAY]) {
      await ds.query(
        'INSERT INTO cpu_sample (server_id, sampled_at, user_pct, sys_pct, io_pct, idle_pct) VALUES (?,?,?,?,?,?)',
        [serverId, at, 1, 2, 3, 94],
      );
      await ds.query(
        'INSERT INTO mem_sample (server_id, sampled_at, used_bytes, free_bytes, buffer_bytes, total_bytes) VALUES (?,?,?,?,?,?)',
        [serverId, at, 1, 2, 3, 6],
      );
      await ds.query(
        'INSERT INTO disk_sample (server_id, mount, sampled_at, used_bytes, total_bytes) VALUES (?,?,?,?,?)',
        [serverId, '/', at, 1, 2],
      );
      await ds.query(
        'INSERT INTO disk_sample (server_id, mount, sampled_at, used_bytes, total_bytes) VALUES (?,?,?,?,?)',
        [serverId, '/data', at, 1, 2],
      );
    }
    const outboxLimit = NOW - retention.outboxDays * DAY;
    const messages: [string, number][] = [
      ['sent', outboxLimit - 1],
      ['failed', outboxLimit - DAY],
      ['pending', outboxLimit - DAY],
      ['sending', outboxLimit - DAY],
      ['sent', outboxLimit],
      ['failed', NOW - DAY],
    ];
    for (const [i, [status, at]] of messages.entries()) {
      await enqueue(
        ds.manager,
        [
          {
            channel: 'email',
            recipient: `${status}-${i}@example.com`,
            event: `e${i}`,
            siteId,
            notice: { kind: 'bot', state: 'logged-in', at, qrUrl: null, qrPng: null },
          },
        ],
        at,
      );
      await ds.query('UPDATE outbox SET status = ?, updated_at = ? WHERE recipient = ?', [
        status,
        at,
        `${status}-${i}@example.com`,
      ]);
    }
    const quarantineLimit = NOW - retention.quarantineDays * DAY;
    for (const [i, at] of [quarantineLimit - 1, quarantineLimit, NOW].entries()) {
      await ds.getRepository(IngestError).insert({
        siteId,
        kind: 'system_info',
        fileDate: '20261125',
        file: 'system_info_20261125.txt',
        lineNo: i + 1,
        raw: 'bad|line',
        reason: 'too few fields',
        createdAt: at,
      });
    }
    for (const [i, expiresAt] of [NOW - DAY - 1, NOW - DAY, NOW + 600_000].entries()) {
      await ds.getRepository(BindCode).insert({
        userId,
        codeHash: `hash-${i}`,
        expiresAt,
        usedAt: null,
        createdAt: expiresAt - 600_000,
      });
    }
    for (const endsAt of [outboxLimit - 1, outboxLimit, NOW + DAY]) {
      await ds.query(
        'INSERT INTO silence (site_id, alarm_name, starts_at, ends_at, created_by, created_at, cancelled_at) VALUES (?,?,?,?,?,?,?)',
        [siteId, null, endsAt - DAY, endsAt, userId, endsAt - DAY, null],
      );
    }
    for (const [i, expiresAt] of [NOW - 1, NOW, NOW + 3_600_000].entries()) {
      await ds.query('INSERT INTO web_session (sid, data, expires_at) VALUES (?,?,?)', [
        `sid-${i}`,
        '{"userId":1}',
        expiresAt,
      ]);
    }

    for (const [i, windowStart] of [NOW - DAY - 1, NOW - DAY, NOW - 60_000].entries()) {
      await ds.query('INSERT INTO login_attempt (key_hash, hits, window_start) VALUES (?,?,?)', [
        `hash-${i}`,
        3,
        windowStart,
      ]);
    }

    expect(await applyRetention(ds, retention, NOW)).toEqual({
      cpu_sample: 2,
      mem_sample: 2,
      disk_sample: 4,
      outbox: 2,
      ingest_error: 1,
      bind_code: 1,
      silence: 1,
      web_session: 1,
      login_attempt: 1,
      chart_link: 0,
    });
    const sampledAt = async (table: string) =>
      (
        (await ds.query(`SELECT DISTINCT sampled_at FROM ${table} ORDER BY sampled_at`)) as {
          sampled_at: number | string;
        }[]
      ).map((r) => Number(r.sampled_at));
    for (const t of ['cpu_sample', 'mem_sample', 'disk_sample'])
      expect(await sampledAt(t)).toEqual([sampleLimit, NOW - DAY]);
    expect(await count(ds, 'disk_sample')).toBe(4);
    const left = (await ds.query('SELECT status, updated_at FROM outbox ORDER BY id')) as {
      status: string;
      updated_at: number | string;
    }[];
    expect(left.map((r) => [r.status, Number(r.updated_at)])).toEqual([
      ['pending', outboxLimit - DAY],
      ['sending', outboxLimit - DAY],
      ['sent', outboxLimit],
      ['failed', NOW - DAY],
    ]);
    const times = async (sql: string) =>
      ((await ds.query(sql)) as { t: number | string }[]).map((r) => Number(r.t));
    expect(await times('SELECT created_at AS t FROM ingest_error ORDER BY t')).toEqual([
      quarantineLimit,
      NOW,
    ]);
    expect(await times('SELECT expires_at AS t FROM bind_code ORDER BY t')).toEqual([
      NOW - DAY,
      NOW + 600_000,
    ]);
    expect(await times('SELECT window_start AS t FROM login_attempt ORDER BY t')).toEqual([
      NOW - DAY,
      NOW - 60_000,
    ]);
    expect(await times('SELECT expires_at AS t FROM web_session ORDER BY t')).toEqual([
      NOW,
      NOW + 3_600_000,
    ]);
    expect(await times('SELECT ends_at AS t FROM silence ORDER BY t')).toEqual([
      outboxLimit,
      NOW + DAY,
    ]);
    // Nothing left to delete: a second pass deletes nothing.
    expect(Object.values(await applyRetention(ds, retention, NOW))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it('deletes more rows than one batch holds, in several batches', async () => {
    const { ds } = db();
    const old = NOW - (retention.sampleDays + 10) * DAY;
    await cpuSamples(ds, serverId, old, DELETE_BATCH * 2 + 5);
    await cpuSamples(ds, serverId, NOW - DAY, 7);
    expect(await count(ds, 'cpu_sample')).toBe(DELETE_BATCH * 2 + 12);
    expect(
      await deleteInBatches(ds, 'cpu_sample', 'sampled_at < ?', [NOW - retention.sampleDays * DAY]),
    ).toBe(DELETE_BATCH * 2 + 5);
    expect(await count(ds, 'cpu_sample')).toBe(7);
    // Exactly one batch's worth: the loop stops after an empty second statement.
    await cpuSamples(ds, serverId, old, DELETE_BATCH);
    expect((await applyRetention(ds, retention, NOW)).cpu_sample).toBe(DELETE_BATCH);
    expect(await count(ds, 'cpu_sample')).toBe(7);
  });
});
