// Configuration edge cases: a database URL or a settings file that is wrong ends in one clear line and
// exit 2 (bad configuration), a database server that cannot be reached in exit 3; no typo makes a new database.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testMysqlUrl } from '../../config/schema';
import { redactUrl } from '../../src/db/data-source';
import { cli } from '../helpers/cli';
import { mysqlAvailable, requireMysqlUnderCi } from '../helpers/db';

/** No WeChat, no portal, no log: what is left is the command's own output. */
const QUIET = {
  SITEWATCH_LOG_LEVEL: 'silent',
  SITEWATCH_BOT_ENABLED: 'false',
  SITEWATCH_BOT_PUPPET: 'wechaty-puppet-mock',
  SITEWATCH_WEB_ENABLED: 'false',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-edge-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Commands that read the database and must never create it (`demo --dir` keeps the demo's files in `dir`). */
const READERS: [string, () => string[]][] = [
  ['site list', () => ['site', 'list']],
  ['user list', () => ['user', 'list']],
  ['errors', () => ['errors']],
  ['alarm list', () => ['alarm', 'list']],
  ['outbox', () => ['outbox']],
  ['ingest', () => ['ingest']],
  ['ask', () => ['ask', '--as', 'boss', '局点']],
  ['bot', () => ['bot']],
];

const missing = (file: string) =>
  `sitewatch: Database file ${file} does not exist; check the database URL, or run \`sitewatch db migrate\` to create it.\n`;

describe('a SQLite database that does not exist', () => {
  it.each(READERS)('is not created by %s, which names it (exit 2)', async (_, argv) => {
    const file = join(dir, 'typo.sqlite');
    expect(await cli(argv(), { ...QUIET, SITEWATCH_DB: `sqlite:${file}` })).toEqual({
      code: 2,
      stdout: '',
      stderr: missing(file),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('in a folder that does not exist is not created by site list, folders included', async () => {
    const file = join(dir, 'nonexistent', 'dir', 'x.sqlite');
    expect(await cli(['site', 'list'], { ...QUIET, SITEWATCH_DB: `sqlite:${file}` })).toEqual({
      code: 2,
      stdout: '',
      stderr: missing(file),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['db migrate', ['db', 'migrate']],
    ['start', ['start']],
  ])('is created by %s where its folder exists, but no folder is', async (_, argv) => {
    const file = join(dir, 'new.sqlite');
    expect(await cli(argv, { ...QUIET, SITEWATCH_DB: `sqlite:${file}` })).toMatchObject({
      code: 0,
      stderr: '',
    });
    expect(existsSync(file)).toBe(true);
    const deep = join(dir, 'no', 'such', 'x.sqlite');
    expect(await cli(argv, { ...QUIET, SITEWATCH_DB: `sqlite:${deep}` })).toEqual({
      code: 2,
      stdout: '',
      stderr: `sitewatch: Cannot create database file ${deep}: folder ${join(dir, 'no', 'such')} does not exist.\n`,
    });
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('demo makes its own default ./data folder, but not the folder of a configured database', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli(['demo', '--days', '1'], QUIET);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(existsSync(join(dir, 'data', 'sitewatch.sqlite'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    const file = join(dir, 'no', 'such', 'demo.sqlite');
    expect(
      await cli(['demo', '--dir', join(dir, 'sites'), '--days', '1'], {
        ...QUIET,
        SITEWATCH_DB: `sqlite:${file}`,
      }),
    ).toEqual({
      code: 2,
      stdout: `Sitewatch demo (log: ${join(dir, 'sites', 'hub.log')})\n`,
      stderr: `sitewatch: Cannot create database file ${file}: folder ${join(dir, 'no', 'such')} does not exist.\n`,
    });
    expect(existsSync(join(dir, 'no'))).toBe(false);
  }, 60_000);
});

describe('a SQLite URL that names something else than a database', () => {
  it.each([
    ['site list', ['site', 'list']],
    ['db migrate', ['db', 'migrate']],
  ])('%s: a directory is bad configuration (exit 2)', async (_, argv) => {
    expect(await cli(argv, { ...QUIET, SITEWATCH_DB: 'sqlite:/etc' })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'sitewatch: Cannot open the database at sqlite:/etc: /etc is a directory, not a SQLite database file.\n',
    });
  });

  it.each([
    ['site list', ['site', 'list']],
    ['db migrate', ['db', 'migrate']],
  ])('%s: a text file is bad configuration (exit 2), left as it was', async (_, argv) => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are my notes, not a database\n');
    expect(await cli(argv, { ...QUIET, SITEWATCH_DB: `sqlite:${file}` })).toEqual({
      code: 2,
      stdout: '',
      stderr: `sitewatch: Cannot open the database at sqlite:${file}: ${file} is not a SQLite database.\n`,
    });
    expect(readFileSync(file, 'utf8')).toBe('these are my notes, not a database\n');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('a MySQL server that refuses the connection', () => {
  it.each([
    ['db migrate', ['db', 'migrate']],
    ['start', ['start']],
  ])('%s: cannot reach a service (exit 3), without the password', async (_, argv) => {
    expect(
      await cli(argv, { ...QUIET, SITEWATCH_DB: 'mysql://root:hunter2@127.0.0.1:1/x' }),
    ).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'sitewatch: Cannot reach the database server at mysql://root:***@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1\n',
    });
  });
});

if (mysqlAvailable()) {
  describe('a MariaDB database name that does not exist', () => {
    it.each([
      ['site list', ['site', 'list']],
      ['db migrate', ['db', 'migrate']],
    ])('%s: says so (exit 2)', async (_, argv) => {
      const u = new URL(testMysqlUrl());
      u.pathname = `/sw_missing_${process.pid}`;
      expect(await cli(argv, { ...QUIET, SITEWATCH_DB: u.toString() })).toEqual({
        code: 2,
        stdout: '',
        stderr: `sitewatch: Database "sw_missing_${process.pid}" does not exist on the server at ${redactUrl(u.toString())}; create it, then run \`sitewatch db migrate\`.\n`,
      });
    });
  });
} else requireMysqlUnderCi('a MariaDB database name that does not exist');

describe('a broken alarm dictionary (SITEWATCH_ALARM_DICT)', () => {
  const every: [string, () => string[]][] = [
    ['db migrate', () => ['db', 'migrate']],
    ...READERS,
    ['start', () => ['start']],
    ['demo', () => ['demo', '--dir', join(dir, 'sites')]],
  ];

  it.each(every)('%s: a missing file is bad configuration (exit 2)', async (_, argv) => {
    const dict = join(dir, 'missing.json');
    expect(
      await cli(argv(), {
        ...QUIET,
        SITEWATCH_DB: `sqlite:${join(dir, 'hub.sqlite')}`,
        SITEWATCH_ALARM_DICT: dict,
      }),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr: `sitewatch: Invalid configuration: alarms.dictPath file ${dict} does not exist.\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['site list', ['site', 'list']],
    ['start', ['start']],
  ])('%s: a wrong entry or a directory is bad configuration (exit 2)', async (_, argv) => {
    const env = { ...QUIET, SITEWATCH_DB: `sqlite:${join(dir, 'hub.sqlite')}` };
    const dict = join(dir, 'dict.json');
    writeFileSync(dict, JSON.stringify({ CPU_HIGH: { title: 'CPU', severity: 'fatal' } }));
    expect(await cli(argv, { ...env, SITEWATCH_ALARM_DICT: dict })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `sitewatch: Invalid configuration: alarms.dictPath ${dict}: CPU_HIGH.severity Invalid option: expected one of "critical"|"major"|"minor"|"info"; ` +
        `alarms.dictPath ${dict}: CPU_HIGH.action Invalid input: expected string, received undefined.\n`,
    });
    mkdirSync(join(dir, 'dict.d'));
    expect(await cli(argv, { ...env, SITEWATCH_ALARM_DICT: join(dir, 'dict.d') })).toEqual({
      code: 2,
      stdout: '',
      stderr: `sitewatch: Invalid configuration: alarms.dictPath file ${join(dir, 'dict.d')} is not a regular file (a directory).\n`,
    });
    expect(readdirSync(dir).sort()).toEqual(['dict.d', 'dict.json']);
  });
});

describe('a settings file (SITEWATCH_CONFIG) that is not a regular file', () => {
  it('/dev/zero is refused without reading it (exit 2)', async () => {
    expect(await cli(['site', 'list'], { ...QUIET, SITEWATCH_CONFIG: '/dev/zero' })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'sitewatch: Invalid configuration: SITEWATCH_CONFIG file /dev/zero is not a regular file (a character device).\n',
    });
  });
});
