// `sitewatch alarm …` (list, silence, unsilence, silences, ack) and `sitewatch user notify`: output and exit codes.
import type { DataSource } from 'typeorm';
import { Alarm, Silence, User, WechatBinding } from '../../entities';
import { silenceSite } from '../../src/alarms/silences';
import { migrate, openDataSource } from '../../src/db/data-source';
import { formatInstant } from '../../src/time';
import { HOUR, seed, type Seeded } from '../commands/seed';
import { urlDatabases } from '../helpers/db';
import { cli } from '../helpers/cli';

const engines = urlDatabases('sitewatch alarm');

/** CLI times are in the configured zone (the default, Asia/Shanghai). */
const at = (ms: number) => formatInstant(ms, 'Asia/Shanghai');

const HEADER =
  'ID  SITE  NAME       NODE   STATE   RAISED            RESUMED  ACKED  SILENCED  DESCRIPTION\n';

describe.each(engines)('sitewatch alarm [$name]', ({ open }) => {
  let env: Record<string, string>;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let s: Seeded;
  const alarm: Record<string, number> = {};
  const lastSilence = async () =>
    (await ds.getRepository(Silence).find({ order: { id: 'DESC' }, take: 1 }))[0];

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = { SITEWATCH_DB: db.url, SITEWATCH_LOG_LEVEL: 'silent' };
    ds = await openDataSource(db.url);
    await migrate(ds);
    s = await seed(ds);
    for (const a of await ds.getRepository(Alarm).find()) alarm[a.name] = a.id;
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('lists alarms newest first: active by default, by site, by state, capped', async () => {
    const { CPU_HIGH: cpu, DISK_FULL: disk, MEM_HIGH: mem, NODE_DOWN: down } = alarm;
    const rows = {
      mem: `${mem}   SH01  MEM_HIGH   app01  active  2026-11-25 20:30  -        -      -         memory over 85%\n`,
      cpu: `${cpu}   BJ01  CPU_HIGH   app01  active  2026-11-25 19:30  -        -      -         cpu over 90% for 5 minutes\n`,
      disk: `${disk}   BJ01  DISK_FULL  db01   active  2026-11-23 18:00  -        -      -         disk / at 90%\n`,
    };
    expect(await cli(['alarm', 'list'], env)).toEqual({
      code: 0,
      stdout: HEADER + rows.mem + rows.cpu + rows.disk,
      stderr: '',
    });
    expect((await cli(['alarm', 'list', '--site', 'BJ01'], env)).stdout).toBe(
      HEADER + rows.cpu + rows.disk,
    );
    expect((await cli(['alarm', 'list', '--state', 'resolved'], env)).stdout).toBe(
      'ID  SITE  NAME       NODE   STATE     RAISED            RESUMED           ACKED  SILENCED  DESCRIPTION\n' +
        `${down}   BJ01  NODE_DOWN  app02  resolved  2026-11-25 16:00  2026-11-25 17:00  -      -         nginx down\n`,
    );
    expect((await cli(['alarm', 'list', '--state', 'all', '--limit', '2'], env)).stdout).toBe(
      'ID  SITE  NAME      NODE   STATE   RAISED            RESUMED  ACKED  SILENCED  DESCRIPTION\n' +
        `${mem}   SH01  MEM_HIGH  app01  active  2026-11-25 20:30  -        -      -         memory over 85%\n` +
        `${cpu}   BJ01  CPU_HIGH  app01  active  2026-11-25 19:30  -        -      -         cpu over 90% for 5 minutes\n` +
        'Showing 2 of 4 alarms.\n',
    );
    expect(await cli(['alarm', 'list', '--state', 'stale'], env)).toEqual({
      code: 0,
      stdout: 'No stale alarms.\n',
      stderr: '',
    });
    expect(await cli(['alarm', 'list', '--site', 'NOPE'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No site "NOPE".\n',
    });
    expect((await cli(['alarm', 'list', '--limit', 'ten'], env)).stderr).toBe(
      'sitewatch: --limit "ten" must be a positive whole number.\n',
    );
    const bad = await cli(['alarm', 'list', '--state', 'open'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "argument 'open' is invalid. Allowed choices are active, resolved, stale, all.",
    );
  });

  it('silences a site or one alarm name as a user, lists and ends silences', async () => {
    const r = await cli(['alarm', 'silence', 'BJ01', '2h', 'disk_full', '--as', 'li'], env);
    const named = await lastSilence();
    expect(r).toEqual({
      code: 0,
      stdout: `Silenced DISK_FULL at BJ01 (北京一号) for 2h, until ${at(named.endsAt)} (silence #${named.id}).\n`,
      stderr: '',
    });
    expect(named).toMatchObject({
      siteId: s.sites.bj01.id,
      alarmName: 'DISK_FULL',
      createdBy: s.li.userId,
      cancelledAt: null,
    });
    expect(named.endsAt - named.startsAt).toBe(2 * HOUR);
    expect(Math.abs(named.startsAt - Date.now())).toBeLessThan(60_000);

    expect((await cli(['alarm', 'silence', 'SH01', '1d2h', '--as', 'admin'], env)).stdout).toBe(
      `Silenced all alarms at SH01 (上海移动) for 1d2h, until ${at((await lastSilence()).endsAt)} (silence #${(await lastSilence()).id}).\n`,
    );
    const wide = await lastSilence();
    expect(wide.alarmName).toBeNull();

    const { CPU_HIGH: cpu, DISK_FULL: disk, MEM_HIGH: mem } = alarm;
    expect((await cli(['alarm', 'list'], env)).stdout).toBe(
      HEADER +
        `${mem}   SH01  MEM_HIGH   app01  active  2026-11-25 20:30  -        -      #${wide.id}        memory over 85%\n` +
        `${cpu}   BJ01  CPU_HIGH   app01  active  2026-11-25 19:30  -        -      -         cpu over 90% for 5 minutes\n` +
        `${disk}   BJ01  DISK_FULL  db01   active  2026-11-23 18:00  -        -      #${named.id}        disk / at 90%\n`,
    );
    expect(await cli(['alarm', 'silences'], env)).toEqual({
      code: 0,
      stdout:
        'ID  SITE  ALARM      FROM              UNTIL             BY\n' +
        `${named.id}   BJ01  DISK_FULL  ${at(named.startsAt)}  ${at(named.endsAt)}  李雷\n` +
        `${wide.id}   SH01  (all)      ${at(wide.startsAt)}  ${at(wide.endsAt)}  admin\n`,
      stderr: '',
    });
    expect((await cli(['alarm', 'silences', '--site', 'SH01'], env)).stdout).toBe(
      'ID  SITE  ALARM  FROM              UNTIL             BY\n' +
        `${wide.id}   SH01  (all)  ${at(wide.startsAt)}  ${at(wide.endsAt)}  admin\n`,
    );

    // another user's silence is answered like a missing one
    expect(await cli(['alarm', 'unsilence', String(named.id), '--as', 'wang'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `sitewatch: No silence #${named.id}.\n`,
    });
    expect((await cli(['alarm', 'unsilence', '9999', '--as', 'wang'], env)).stderr).toBe(
      'sitewatch: No silence #9999.\n',
    );
    expect(await cli(['alarm', 'unsilence', String(named.id), '--as', 'li'], env)).toEqual({
      code: 0,
      stdout: `Cancelled silence #${named.id} (DISK_FULL at BJ01).\n`,
      stderr: '',
    });
    const cancelled = await ds.getRepository(Silence).findOneByOrFail({ id: named.id });
    expect(await cli(['alarm', 'unsilence', String(named.id), '--as', 'admin'], env)).toEqual({
      code: 0,
      stdout: `Silence #${named.id} was already cancelled at ${at(cancelled.cancelledAt!)}.\n`,
      stderr: '',
    });
    const old = await silenceSite(ds, {
      userId: s.li.userId,
      siteId: s.sites.bj01.id,
      minutes: 60,
      alarmName: null,
      now: Date.now() - 2 * HOUR,
    });
    expect((await cli(['alarm', 'unsilence', String(old.id), '--as', 'li'], env)).stdout).toBe(
      `Silence #${old.id} already ended at ${at(old.endsAt)}.\n`,
    );
    expect((await cli(['alarm', 'silences'], env)).stdout).toBe(
      'ID  SITE  ALARM  FROM              UNTIL             BY\n' +
        `${wide.id}   SH01  (all)  ${at(wide.startsAt)}  ${at(wide.endsAt)}  admin\n`,
    );
    await ds.query('DELETE FROM silence');
    expect((await cli(['alarm', 'silences'], env)).stdout).toBe('No active silences.\n');
  });

  it('refuses bad silences: usage exit 2, unknown or unmanaged site and unknown user exit 1', async () => {
    expect(await cli(['alarm', 'silence', 'BJ01', '2x', '--as', 'li'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sitewatch: Duration "2x" is not like 30m, 2h, 1d or 1h30m (at most 30d).\n',
    });
    expect(await cli(['alarm', 'silence', 'BJ01', '31d', '--as', 'li'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sitewatch: A silence lasts from 1 minute to 30 days (got 44640 minutes).\n',
    });
    const unmanaged = await cli(['alarm', 'silence', 'BJ02', '1h', '--as', 'li'], env);
    expect(unmanaged).toEqual({ code: 1, stdout: '', stderr: 'sitewatch: No site "BJ02".\n' });
    expect(await cli(['alarm', 'silence', 'NOPE', '1h', '--as', 'li'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No site "NOPE".\n',
    });
    expect((await cli(['alarm', 'silence', 'BJ01', '1h', '--as', 'ghost'], env)).stderr).toBe(
      'sitewatch: No user "ghost".\n',
    );
    const noUser = await cli(['alarm', 'silence', 'BJ01', '1h'], env);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain("error: required option '--as <login>' not specified");
    expect(await ds.getRepository(Silence).count()).toBe(0);
  });

  it('acknowledges an alarm once, as a user; others’ alarms read like missing ones', async () => {
    const { DISK_FULL: disk, MEM_HIGH: mem, NODE_DOWN: down } = alarm;
    expect(await cli(['alarm', 'ack', String(disk), '--as', 'li'], env)).toEqual({
      code: 0,
      stdout: `Acknowledged alarm #${disk} DISK_FULL (db01) at BJ01; no more reminders.\n`,
      stderr: '',
    });
    const row = await ds.getRepository(Alarm).findOneByOrFail({ id: disk });
    expect(row.ackedBy).toBe(s.li.userId);
    expect(Math.abs(row.ackedAt! - Date.now())).toBeLessThan(60_000);
    expect(await cli(['alarm', 'ack', String(disk), '--as', 'admin'], env)).toEqual({
      code: 0,
      stdout: `Alarm #${disk} was already acknowledged by 李雷 at ${at(row.ackedAt!)}.\n`,
      stderr: '',
    });
    expect((await cli(['alarm', 'list', '--site', 'BJ01'], env)).stdout.split('\n')[2]).toBe(
      `${disk}   BJ01  DISK_FULL  db01   active  2026-11-23 18:00  -        李雷 ${at(row.ackedAt!)}  -         disk / at 90%`,
    );
    const other = await cli(['alarm', 'ack', String(mem), '--as', 'wang'], env);
    expect(other).toEqual({ code: 1, stdout: '', stderr: `sitewatch: No alarm #${mem}.\n` });
    expect(await cli(['alarm', 'ack', '9999', '--as', 'wang'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No alarm #9999.\n',
    });
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id: mem })).ackedBy).toBeNull();
    expect(await cli(['alarm', 'ack', String(down), '--as', 'li'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `sitewatch: Alarm #${down} is resolved; only active alarms can be acknowledged.\n`,
    });
    expect(await cli(['alarm', 'ack', 'x1', '--as', 'li'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sitewatch: Alarm id "x1" must be a positive whole number.\n',
    });
  });
});

describe.each(engines)('sitewatch user notify [$name]', ({ open }) => {
  let env: Record<string, string>;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let s: Seeded;

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = { SITEWATCH_DB: db.url, SITEWATCH_LOG_LEVEL: 'silent' };
    ds = await openDataSource(db.url);
    await migrate(ds);
    s = await seed(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  const settings = async (login: string) => {
    const u = await ds.getRepository(User).findOneByOrFail({ login });
    return [u.email, u.notifyEmail, u.notifyWechat, u.reportEmail];
  };

  it('shows the settings, with what stops a notification from being sent', async () => {
    expect(await cli(['user', 'notify', 'li'], env)).toEqual({
      code: 0,
      stdout:
        'Notifications of li:\n' +
        '  email:                -\n' +
        '  alarm emails:         on (no email address: nothing is sent)\n' +
        '  alarm WeChat pushes:  off\n' +
        '  daily report email:   off\n',
      stderr: '',
    });
    expect(await settings('li')).toEqual([null, true, false, false]);
  });

  it('changes only the settings given and prints the result', async () => {
    expect(
      await cli(
        ['user', 'notify', 'li', '--email', 'li@example.com', '--wechat-alarms', 'on'],
        env,
      ),
    ).toEqual({
      code: 0,
      stdout:
        'Notifications of li:\n' +
        '  email:                li@example.com\n' +
        '  alarm emails:         on\n' +
        '  alarm WeChat pushes:  on (not bound to WeChat: nothing is sent)\n' +
        '  daily report email:   off\n',
      stderr: '',
    });
    expect(await settings('li')).toEqual(['li@example.com', true, true, false]);
    await ds.getRepository(WechatBinding).insert({
      userId: s.li.userId,
      alias: 'sw-li',
      contactId: 'c1',
      contactName: '李雷',
      boundAt: Date.now(),
      lastSeenAt: null,
    });
    expect(
      (await cli(['user', 'notify', 'li', '--email-alarms', 'off', '--email-report', 'on'], env))
        .stdout,
    ).toBe(
      'Notifications of li:\n' +
        '  email:                li@example.com\n' +
        '  alarm emails:         off\n' +
        '  alarm WeChat pushes:  on\n' +
        '  daily report email:   on\n',
    );
    expect(await settings('li')).toEqual(['li@example.com', false, true, true]);
    expect((await cli(['user', 'notify', 'li', '--email', 'none'], env)).stdout).toContain(
      '  email:                -\n  alarm emails:         off\n  alarm WeChat pushes:  on\n  daily report email:   on (no email address: nothing is sent)\n',
    );
    expect(await settings('li')).toEqual([null, false, true, true]);
    // others are untouched
    expect(await settings('wang')).toEqual([null, true, false, false]);
  });

  it('refuses bad values (exit 2) and unknown users (exit 1), changing nothing', async () => {
    const before = await settings('wang');
    const bad = await cli(['user', 'notify', 'wang', '--email-alarms', 'yes'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "error: option '--email-alarms <on|off>' argument 'yes' is invalid. Allowed choices are on, off.",
    );
    expect(
      await cli(['user', 'notify', 'wang', '--email', 'not-an-email', '--email-report', 'on'], env),
    ).toEqual({ code: 2, stdout: '', stderr: 'sitewatch: email is not an email address\n' });
    expect(await settings('wang')).toEqual(before);
    expect(await cli(['user', 'notify', 'ghost', '--email-report', 'on'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No user "ghost".\n',
    });
  });
});
