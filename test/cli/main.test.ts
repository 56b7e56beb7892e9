// The `sitewatch` CLI contract: commands, output and exit codes, against SQLite and MariaDB.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { urlDatabases } from '../helpers/db';
import { cli } from '../helpers/cli';
import { OFFTOPIC_TEXT } from '../../commands/natural';
import { dayKey } from '../../src/time';

const engines = urlDatabases('sitewatch CLI');

describe.each(engines)('sitewatch CLI [$name]', ({ open }) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let siteDir: string;
  const today = dayKey(Date.now(), 'Asia/Shanghai');

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = { SITEWATCH_DB: db.url, SITEWATCH_LOG_LEVEL: 'silent', SITEWATCH_INGEST_RETRIES: '0' };
    siteDir = mkdtempSync(join(tmpdir(), 'sw-site-'));
    mkdirSync(join(siteDir, 'sys_monitor'));
    const t = `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6)} 00:05:00`;
    writeFileSync(
      join(siteDir, 'sys_monitor', `system_info_${today}.txt`),
      `app1|10.0.0.1|S1|cpu|10|5|1|84|${t}\napp1|10.0.0.1|S1|cpu|ten|5|1|84|${t}\n`,
    );
  });
  afterAll(async () => {
    await drop();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('migrates, then says the schema is up to date', async () => {
    expect(await cli(['db', 'migrate'], env)).toEqual({
      code: 0,
      stdout:
        'Applied: InitialSchema1764028800000, BotBindings1764115200000, Notifications1764288000000, WebSessions1764374400000, OutboxParts1764460800000, LoginAttempts1764547200000, WebSessionUser1764633600000, ChatTransport1764720000000, ChartLinks1764806400000, TransportStatus1764849600000, WecomRooms1764892800000, AlarmSeverity1764979200000, KpiIgnoredDays1765065600000\n',
      stderr: '',
    });
    expect(await cli(['db', 'migrate'], env)).toEqual({
      code: 0,
      stdout: 'Schema is up to date.\n',
      stderr: '',
    });
  });

  it('adds and lists sites, refusing duplicates and bad URLs', async () => {
    const base = pathToFileURL(siteDir).href;
    expect(await cli(['site', 'add', 'S1', '--name', '一号局点', '--url', base], env)).toEqual({
      code: 0,
      stdout: `Added site S1 (一号局点) at ${base}\n`,
      stderr: '',
    });
    expect(await cli(['site', 'add', 'S1', '--name', 'x', '--url', base], env)).toMatchObject({
      code: 1,
      stderr: 'sitewatch: Site "S1" already exists.\n',
    });
    expect(await cli(['site', 'add', 'S2', '--name', 'x', '--url', 'ftp://x'], env)).toMatchObject({
      code: 2,
      stderr: 'sitewatch: baseUrl must start with http://, https:// or file://\n',
    });
    expect(
      await cli(['site', 'add', 'S3', '--name', 'x', '--url', base, '--encoding', 'klingon'], env),
    ).toMatchObject({ code: 2 });
    const list = await cli(['site', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(
      /^SITE\s+NAME\s+ENABLED\s+ENCODING\s+LAST SUCCESS\s+LAST ERROR\s+URL$/,
    );
    expect(list.stdout).toContain(
      `S1    一号局点  yes      auto      -             -           ${base}`,
    );
  });

  it('adds users with the password from stdin, never echoing it', async () => {
    const r = await cli(
      ['user', 'add', 'li.lei', '--password-stdin', '--sites', 'S1', '--email', 'li@example.com'],
      env,
      'correct horse\n',
    );
    expect(r).toEqual({ code: 0, stdout: 'Added operator li.lei managing S1\n', stderr: '' });
    expect(
      await cli(['user', 'add', 'boss', '--password-stdin', '--admin'], env, 'sup3rsecret'),
    ).toMatchObject({ code: 0, stdout: 'Added admin boss\n' });
    expect(await cli(['user', 'add', 'x', '--password-stdin'], env, 'short')).toMatchObject({
      code: 2,
      stderr: 'sitewatch: password must be at least 8 characters\n',
    });
    expect(
      await cli(['user', 'add', 'y', '--password-stdin', '--sites', 'NOPE'], env, 'longenough'),
    ).toMatchObject({ code: 1, stderr: 'sitewatch: No site "NOPE".\n' });
    const list = await cli(['user', 'list'], env);
    expect(list.stdout).toBe(
      'LOGIN   NAME    ROLE      EMAIL           SITES\n' +
        'boss    boss    admin     -               (all)\n' +
        'li.lei  li.lei  operator  li@example.com  S1\n',
    );
    expect(list.stdout + list.stderr).not.toContain('correct horse');
  });

  it('prints a one-time bind code for a user, and refuses an unknown login', async () => {
    const r = await cli(['user', 'bind-code', 'li.lei'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Bind code for li\.lei: ([A-Z2-9]{8})\nSend "绑定 \1" to the bot on WeChat before \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(single use\)\.\n$/,
    );
    expect(await cli(['user', 'bind-code', 'ghost'], env)).toMatchObject({
      code: 1,
      stderr: 'sitewatch: No user "ghost".\n',
    });
  });

  it('ingests with per-file counts and lists the quarantined line', async () => {
    const r = await cli(['ingest', '--site', 'S1', '--date', today], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `S1    system_info_${today}.txt  ingested  2      1         0          0        1            `,
    );
    expect(r.stdout).toContain('2 file(s) not published yet (404).\n');
    expect(r.stdout).toMatch(
      /Total: 1 site\(s\), 0 failed; lines 2, inserted 1, duplicate 0, updated 0, quarantined 1, bytes \d+\nAlarms: 0 raised, 0 resolved/,
    );
    const again = await cli(['ingest', '--site', 'S1', '--date', today], env);
    expect(again.stdout).toContain('lines 0, inserted 0');
    const errs = await cli(['errors', '--site', 'S1'], env);
    expect(errs.stdout.split('\n')[1]).toBe(
      `S1    system_info_${today}.txt  2     user_use "ten" is not a percentage  "app1|10.0.0.1|S1|cpu|ten|5|1|84|${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6)} 00:05:00"`,
    );
  });

  it("answers on the console through the bot's command layer, as a given user", async () => {
    const sites = await cli(['ask', '--as', 'li.lei', '局点'], env);
    expect(sites.code).toBe(0);
    expect(sites.stdout.split('\n')[0]).toBe('局点（1）：');
    expect(sites.stdout).toContain('S1 一号局点：服务器 ');
    const out = mkdtempSync(join(tmpdir(), 'sw-ask-'));
    const status = await cli(['ask', '--as', 'boss', '--out', out, '状态', 's1'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^一号局点（S1）状态（/);
    const image = /\[image\] [^:]+: (.+\.png)\n/.exec(status.stdout);
    expect(image).not.toBeNull();
    expect(readFileSync(image![1]).subarray(1, 4).toString()).toBe('PNG');
    rmSync(out, { recursive: true, force: true });
    expect(await cli(['ask', '--as', 'ghost', '局点'], env)).toMatchObject({
      code: 1,
      stderr: 'sitewatch: No user "ghost".\n',
    });
    const chat = await cli(
      ['chat', '--as', 'li.lei'],
      env,
      '帮助\nfoo\napp1 最近6小时cpu\n换成内存\n',
    );
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('Sitewatch 命令：\n帮助（help/?） — 列出所有命令。\n');
    // foo names nothing Sitewatch knows; 换成内存 re-asks the question before it with memory.
    expect(chat.stdout).toContain(
      `${OFFTOPIC_TEXT}\napp1（一号局点）近 6 小时 CPU：暂无数据。\napp1（一号局点）近 6 小时内存：暂无数据。\n`,
    );
  });

  it('exits 1 when a site fails and 2 on bad usage', async () => {
    expect(
      await cli(['site', 'add', 'DEAD', '--name', 'dead', '--url', 'http://127.0.0.1:1'], env),
    ).toMatchObject({ code: 0 });
    const r = await cli(['ingest', '--site', 'DEAD', '--date', today], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DEAD: FAILED site unreachable: .*ECONNREFUSED/);
    expect((await cli(['ingest', '--date', '20261332'], env)).code).toBe(2);
    expect((await cli(['ingest', '--days', '0'], env)).stderr).toBe(
      'sitewatch: --days "0" must be a whole number from 1 to 366.\n',
    );
    expect((await cli(['ingest', '--date', today, '--days', '2'], env)).code).toBe(2);
    expect(await cli(['ingest', '--site', 'NOPE'], env)).toMatchObject({
      code: 1,
      stderr: 'sitewatch: No site "NOPE".\n',
    });
    expect((await cli(['frobnicate'], env)).code).toBe(2);
  });
});

describe('sitewatch CLI configuration errors', () => {
  it('reports every bad setting at once in one sentence, exit 2', async () => {
    const r = await cli(['site', 'list'], {
      SITEWATCH_DB: 'postgres://x/y',
      SITEWATCH_TZ: 'Mars/Base',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sitewatch: Invalid configuration: db.url (from SITEWATCH_DB) must look like mysql://user:pass@host:3306/dbname or sqlite:./path.sqlite or sqlite::memory:; ' +
        'timezone (from SITEWATCH_TZ) is not a known IANA time zone (e.g. Asia/Shanghai).\n',
    );
  });

  it('names the database server it cannot reach without showing the password, exit 3', async () => {
    expect(
      await cli(['site', 'list'], { SITEWATCH_DB: 'mysql://root:hunter2@127.0.0.1:1/x' }),
    ).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'sitewatch: Cannot reach the database server at mysql://root:***@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1\n',
    });
  });
});
