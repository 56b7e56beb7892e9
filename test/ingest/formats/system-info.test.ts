// Unit tests for parseSystemInfo: every line type, unit handling, arity, site ownership and each error text.
import { LineError, createTimeParser } from '../../../src/ingest/values';
import type { ParseContext } from '../../../src/ingest/formats/types';
import { parseSystemInfo, systemInfo } from '../../../src/ingest/formats/system-info';
import { forFileDay } from '../../../src/ingest/plausible';

const ctx: ParseContext = {
  siteCode: 'S1',
  tz: 'Asia/Shanghai',
  time: createTimeParser('Asia/Shanghai'),
  units: { memory: 'M', disk: 'M' },
};
const T = '2026-11-25 08:30:00';
const AT = Date.UTC(2026, 10, 25, 0, 30);
const MB = 1024 * 1024;
const GB = 1024 * MB;

/** server|ip|site|type|...values|record_time, as the file writes it. */
const line = (type: string, ...values: string[]) => ['web01', '10.0.0.1', 'S1', type, ...values, T];

function errorOf(f: string[], c: ParseContext = ctx): string {
  try {
    parseSystemInfo(f, c);
  } catch (e) {
    if (e instanceof LineError) return e.message;
    throw e;
  }
  throw new Error('expected a LineError, nothing was thrown');
}

describe('systemInfo format', () => {
  it('names its file, directory and header field', () => {
    expect(systemInfo.name).toBe('system_info');
    expect(systemInfo.dir).toBe('sys_monitor');
    expect(systemInfo.headerField).toBe('server_name');
    expect(systemInfo.parse).toBe(parseSystemInfo);
  });
});

describe('parseSystemInfo', () => {
  describe('cpu', () => {
    it('reads the four percentages', () => {
      expect(parseSystemInfo(line('cpu', '12.5', '3', '0.5', '84'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'cpu',
        user: 12.5,
        sys: 3,
        io: 0.5,
        idle: 84,
      });
    });

    it('accepts the type in any case and percent signs', () => {
      expect(parseSystemInfo(line('CPU', '1%', '2%', '3%', '94%'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'cpu',
        user: 1,
        sys: 2,
        io: 3,
        idle: 94,
      });
    });

    it('names the bad percentage', () => {
      expect(errorOf(line('cpu', 'x', '3', '0.5', '84'))).toBe('user_use "x" is not a percentage');
      expect(errorOf(line('cpu', '1', 'y', '0.5', '84'))).toBe('sys_use "y" is not a percentage');
      expect(errorOf(line('cpu', '1', '3', '', '84'))).toBe('io_use "" is not a percentage');
      expect(errorOf(line('cpu', '1', '3', '0.5', '101'))).toBe('idle 101 is outside 0–100%');
    });

    it('needs exactly four values', () => {
      expect(errorOf(line('cpu', '1', '2', '3'))).toBe('cpu line needs 9 fields, found 8');
      expect(errorOf(line('cpu', '1', '2', '3', '4', '5'))).toBe(
        'cpu line needs 9 fields, found 10',
      );
    });
  });

  describe('mem', () => {
    it('reads bare numbers in the configured memory unit', () => {
      expect(parseSystemInfo(line('mem', '2048', '1024', '512', '4096'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'mem',
        used: 2 * GB,
        free: GB,
        buffer: 512 * MB,
        total: 4 * GB,
      });
    });

    it('uses units.memory, not units.disk, and honours suffixes', () => {
      const k: ParseContext = { ...ctx, units: { memory: 'K', disk: 'G' } };
      expect(parseSystemInfo(line('mem', '1024', '2G', '0', '4GB'), k)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'mem',
        used: 1024 * 1024,
        free: 2 * GB,
        buffer: 0,
        total: 4 * GB,
      });
    });

    it('names the bad amount', () => {
      expect(errorOf(line('mem', 'a', '1', '1', '1'))).toBe('mem_use "a" is not an amount');
      expect(errorOf(line('mem', '1', '-1', '1', '1'))).toBe('mem_free -1 is negative');
      expect(errorOf(line('mem', '1', '1', '5%', '1'))).toBe(
        'mem_buffer "5%" is a percentage, expected an amount',
      );
      expect(errorOf(line('mem', '1', '1', '1', '9Q'))).toBe('mem_total "9Q" has an unknown unit');
    });

    it('needs exactly four values', () => {
      expect(errorOf(line('mem', '1', '2', '3'))).toBe('mem line needs 9 fields, found 8');
    });
  });

  describe('disk', () => {
    it('reads mount, used and total in the configured disk unit', () => {
      expect(parseSystemInfo(line('disk', '/data', '100', '200'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'disk',
        mount: '/data',
        used: 100 * MB,
        total: 200 * MB,
      });
    });

    it('uses units.disk, not units.memory', () => {
      const g: ParseContext = { ...ctx, units: { memory: 'K', disk: 'G' } };
      expect(parseSystemInfo(line('Disk', 'C:\\', '1.5', '2'), g)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'disk',
        mount: 'C:\\',
        used: 1.5 * GB,
        total: 2 * GB,
      });
    });

    it('accepts used equal to total', () => {
      const r = parseSystemInfo(line('disk', '/', '1024', '1G'), ctx);
      expect(r).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'disk',
        mount: '/',
        used: GB,
        total: GB,
      });
    });

    it('rejects used larger than total, quoting both raw values', () => {
      expect(errorOf(line('disk', '/data', '300', '200'))).toBe(
        'disk_used 300 is larger than disk_total 200',
      );
      expect(errorOf(line('disk', '/data', '1G', '1000'))).toBe(
        'disk_used 1G is larger than disk_total 1000',
      );
    });

    it('rejects an empty or overlong mount point', () => {
      expect(errorOf(line('disk', '', '1', '2'))).toBe('disk mount point is empty');
      expect(errorOf(line('disk', `/${'m'.repeat(255)}`, '1', '2'))).toBe(
        'disk mount point is longer than 255 characters',
      );
      expect(parseSystemInfo(line('disk', 'm'.repeat(255), '1', '2'), ctx)).toMatchObject({
        mount: 'm'.repeat(255),
      });
    });

    it('names the bad amount', () => {
      expect(errorOf(line('disk', '/', 'x', '2'))).toBe('disk_used "x" is not an amount');
      expect(errorOf(line('disk', '/', '1', 'y'))).toBe('disk_total "y" is not an amount');
    });

    it('needs exactly three values', () => {
      expect(errorOf(line('disk', '/', '1'))).toBe('disk line needs 8 fields, found 7');
      expect(errorOf(line('disk', '/', '1', '2', '3'))).toBe('disk line needs 8 fields, found 9');
    });
  });

  describe('os', () => {
    it('reads name and version', () => {
      expect(parseSystemInfo(line('os', 'CentOS Linux', '7.9.2009'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'os',
        osName: 'CentOS Linux',
        osVersion: '7.9.2009',
      });
    });

    it('accepts a name alone, with an empty version', () => {
      expect(parseSystemInfo(line('os', 'Ubuntu 22.04'), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'os',
        osName: 'Ubuntu 22.04',
        osVersion: '',
      });
    });

    it('cuts name and version to 128 characters', () => {
      const r = parseSystemInfo(line('os', 'n'.repeat(200), 'v'.repeat(130)), ctx);
      expect(r).toMatchObject({ osName: 'n'.repeat(128), osVersion: 'v'.repeat(128) });
    });

    it('rejects an empty name', () => {
      expect(errorOf(line('os', '', '7'))).toBe('os name is empty');
      expect(errorOf(line('os', ''))).toBe('os name is empty');
    });

    it('needs one or two values', () => {
      expect(errorOf(line('os', 'a', 'b', 'c'))).toBe('os line needs 7 fields, found 8');
      expect(errorOf(line('os'))).toBe('expected at least 6 fields, found 5');
    });
  });

  describe('uptime', () => {
    it.each([
      ['86400', 86_400],
      ['86400s', 86_400],
      ['86400S', 86_400],
      ['1,000', 1000],
      ['0', 0],
    ])('%p -> %p seconds', (raw, seconds) => {
      expect(parseSystemInfo(line('uptime', raw), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'uptime',
        seconds,
      });
    });

    it('names the bad value', () => {
      expect(errorOf(line('uptime', 'abc'))).toBe('uptime "abc" is not a count');
      expect(errorOf(line('uptime', '-5'))).toBe('uptime -5 is negative');
    });

    it('needs exactly one value', () => {
      expect(errorOf(line('uptime', '1', '2'))).toBe('uptime line needs 6 fields, found 7');
    });
  });

  describe('node', () => {
    const up = ['up', 'running', 'run', 'ok', 'alive', 'active', '1', 'true', '正常', '运行'];
    const down = [
      'down',
      'stopped',
      'stop',
      'dead',
      'failed',
      'inactive',
      '0',
      'false',
      '异常',
      '停止',
    ];

    it.each(up.map((w) => [w]))('%p is up', (word) => {
      expect(parseSystemInfo(line('node', 'nginx', word), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'node',
        node: 'nginx',
        status: 'up',
      });
    });

    it.each(down.map((w) => [w]))('%p is down', (word) => {
      expect(parseSystemInfo(line('node', 'nginx', word), ctx)).toEqual({
        server: 'web01',
        ip: '10.0.0.1',
        at: AT,
        type: 'node',
        node: 'nginx',
        status: 'down',
      });
    });

    it('reads status words in any case', () => {
      expect(parseSystemInfo(line('NODE', 'db', 'Running'), ctx)).toMatchObject({
        type: 'node',
        status: 'up',
      });
      expect(parseSystemInfo(line('node', 'db', 'STOPPED'), ctx)).toMatchObject({
        type: 'node',
        status: 'down',
      });
    });

    it('rejects an unknown status word', () => {
      expect(errorOf(line('node', 'nginx', 'maybe'))).toBe(
        'node status "maybe" is neither up nor down',
      );
      expect(errorOf(line('node', 'nginx', ''))).toBe('node status "" is neither up nor down');
    });

    it('rejects an empty or overlong node name', () => {
      expect(errorOf(line('node', '', 'up'))).toBe(
        'node name is empty or longer than 128 characters',
      );
      expect(errorOf(line('node', 'n'.repeat(129), 'up'))).toBe(
        'node name is empty or longer than 128 characters',
      );
    });

    it('needs exactly two values', () => {
      expect(errorOf(line('node', 'nginx'))).toBe('node line needs 7 fields, found 6');
    });
  });

  describe('common checks', () => {
    it('needs at least 6 fields', () => {
      expect(errorOf(['web01', '10.0.0.1', 'S1', 'cpu', T])).toBe(
        'expected at least 6 fields, found 5',
      );
      expect(errorOf([])).toBe('expected at least 6 fields, found 0');
    });

    it('rejects an unknown type', () => {
      expect(errorOf(line('gpu', '1'))).toBe(
        'unknown type "gpu" (expected cpu, mem, disk, os, uptime or node)',
      );
    });

    it('rejects a line of another site', () => {
      const f = ['web01', '10.0.0.1', 'S2', 'uptime', '5', T];
      expect(errorOf(f)).toBe('site_id "S2" does not belong to site "S1"');
      expect(errorOf(['web01', '10.0.0.1', 's1', 'uptime', '5', T])).toBe(
        'site_id "s1" does not belong to site "S1"',
      );
    });

    it('checks the server name and ip', () => {
      expect(errorOf(['', '10.0.0.1', 'S1', 'uptime', '5', T])).toBe('server_name is empty');
      expect(errorOf(['s'.repeat(129), '10.0.0.1', 'S1', 'uptime', '5', T])).toBe(
        'server_name is longer than 128 characters',
      );
      expect(errorOf(['web01', '', 'S1', 'uptime', '5', T])).toBe(
        'server_ip is empty or longer than 64 characters',
      );
      expect(errorOf(['web01', '1'.repeat(65), 'S1', 'uptime', '5', T])).toBe(
        'server_ip is empty or longer than 64 characters',
      );
      expect(parseSystemInfo(['s'.repeat(128), '10.0.0.1', 'S1', 'uptime', '5', T], ctx)).toEqual({
        server: 's'.repeat(128),
        ip: '10.0.0.1',
        at: AT,
        type: 'uptime',
        seconds: 5,
      });
    });

    it('reads record_time from the last field in the site zone', () => {
      expect(
        parseSystemInfo(['web01', '10.0.0.1', 'S1', 'uptime', '5', '20261125083000'], ctx),
      ).toMatchObject({ at: AT });
      const utc: ParseContext = { ...ctx, tz: 'UTC', time: createTimeParser('UTC') };
      expect(parseSystemInfo(line('uptime', '5'), utc)).toMatchObject({
        at: Date.UTC(2026, 10, 25, 8, 30),
      });
    });

    it('names a bad record_time', () => {
      expect(errorOf(['web01', '10.0.0.1', 'S1', 'uptime', '5', 'later'])).toBe(
        'record_time "later" is not a time (expected YYYY-mm-dd HH:MM:SS)',
      );
      expect(errorOf(['web01', '10.0.0.1', 'S1', 'uptime', '5', ''])).toBe('record_time is empty');
    });
  });

  describe('control and bidirectional characters in names', () => {
    it.each([
      ['0000', 'a control character (U+0000)'],
      ['0007', 'a control character (U+0007)'],
      ['001B', 'a control character (U+001B)'],
      ['007F', 'a control character (U+007F)'],
      ['0085', 'a control character (U+0085)'],
      ['009F', 'a control character (U+009F)'],
      ['202A', 'a bidirectional control character (U+202A)'],
      ['202E', 'a bidirectional control character (U+202E)'],
      ['2066', 'a bidirectional control character (U+2066)'],
      ['2069', 'a bidirectional control character (U+2069)'],
      ['200E', 'a bidirectional control character (U+200E)'],
      ['200F', 'a bidirectional control character (U+200F)'],
      ['061C', 'a bidirectional control character (U+061C)'],
    ])('quarantines U+%s in server_name', (code, what) => {
      const ch = String.fromCharCode(parseInt(code, 16));
      expect(errorOf([`web${ch}01`, '10.0.0.1', 'S1', 'uptime', '5', T])).toBe(
        `server_name contains ${what}`,
      );
    });

    it('names the field it found one in', () => {
      expect(errorOf(line('disk', '/da\u0000ta', '1', '2'))).toBe(
        'disk mount point contains a control character (U+0000)',
      );
      expect(errorOf(line('node', 'ngi\u202enx', 'up'))).toBe(
        'node name contains a bidirectional control character (U+202E)',
      );
      expect(errorOf(line('os', 'Cent\u0008OS', '7'))).toBe(
        'os name contains a control character (U+0008)',
      );
      expect(errorOf(line('os', 'CentOS', '7\u200f'))).toBe(
        'os version contains a bidirectional control character (U+200F)',
      );
      expect(errorOf(['web01', '10.0.0.1', 'S1\u0007', 'uptime', '5', T])).toBe(
        'site_id contains a control character (U+0007)',
      );
    });

    it('refuses a TAB in a name, keeps Chinese and an encoded replacement character', () => {
      expect(errorOf(['web\t01', '10.0.0.1', 'S1', 'uptime', '5', T])).toBe(
        'server_name contains a control character (U+0009)',
      );
      expect(
        parseSystemInfo(['数据库-01', '10.0.0.1', 'S1', 'disk', '/数据\ufffd', '1', '2', T], ctx),
      ).toMatchObject({
        server: '数据库-01',
        mount: '/数据\ufffd',
      });
    });

    it('shows such characters escaped when a reason quotes the value', () => {
      expect(errorOf(line('gpu\u001b[31m', '1'))).toBe(
        'unknown type "gpu\\u001b[31m" (expected cpu, mem, disk, os, uptime or node)',
      );
      expect(errorOf(line('node', 'nginx', 'up\u202e'))).toBe(
        'node status "up\\u202e" is neither up nor down',
      );
    });
  });

  describe('server_ip', () => {
    it.each([
      ['<img src=x onerror=alert(1)>'],
      ['10.0.0.256'],
      ['10.0.0'],
      ['web01'],
      ['10.0.0.1:22'],
      ['[::1]'],
      ['fe80::1::2'],
    ])('quarantines %p, which is no IP address', (ip) => {
      expect(errorOf(['web01', ip, 'S1', 'uptime', '5', T])).toBe(
        `server_ip "${ip}" is not an IPv4 or IPv6 address`,
      );
    });

    it('accepts IPv4 and IPv6 addresses, and still needs one', () => {
      for (const ip of [
        '192.168.1.20',
        '::1',
        'fe80::1',
        '2001:db8::8a2e:370:7334',
        '::ffff:10.0.0.1',
      ])
        expect(parseSystemInfo(['web01', ip, 'S1', 'uptime', '5', T], ctx)).toMatchObject({ ip });
      expect(errorOf(['web01', '', 'S1', 'uptime', '5', T])).toBe(
        'server_ip is empty or longer than 64 characters',
      );
      expect(errorOf(['web01', '1\u0000', 'S1', 'uptime', '5', T])).toBe(
        'server_ip "1\\u0000" is not an IPv4 or IPv6 address',
      );
    });
  });

  describe('record_time against the file day', () => {
    const inFile = forFileDay(ctx, '20261125');
    const WINDOW = "2026-11-24 00:00 – 2026-11-27 00:00 (Asia/Shanghai), the file's day ±1 day";
    const at = (t: string) => ['web01', '10.0.0.1', 'S1', 'uptime', '5', t];

    it('quarantines a time that cannot be real, naming the window', () => {
      expect(errorOf(at('9999-12-31 23:59:59'), inFile)).toBe(
        `record_time 9999-12-31 23:59:59 is outside ${WINDOW}`,
      );
      expect(errorOf(at('0001-01-01 00:00:00'), inFile)).toBe(
        `record_time 0001-01-01 00:00:00 is outside ${WINDOW}`,
      );
      expect(errorOf(at('1000000000'), inFile)).toBe(`record_time 1000000000 is outside ${WINDOW}`);
      expect(
        errorOf(
          ['web01', '10.0.0.1', 'S1', 'cpu', '1', '1', '1', '97', '2026-12-31 00:00'],
          inFile,
        ),
      ).toBe(`record_time 2026-12-31 00:00 is outside ${WINDOW}`);
    });

    it('takes the day before the file day and leaves out the day two after', () => {
      expect(parseSystemInfo(at('2026-11-24 00:00:00'), inFile).at).toBe(
        Date.UTC(2026, 10, 23, 16),
      );
      expect(parseSystemInfo(at('2026-11-26 23:59:59'), inFile).at).toBe(
        Date.UTC(2026, 10, 26, 15, 59, 59),
      );
      expect(errorOf(at('2026-11-27 00:00:00'), inFile)).toBe(
        `record_time 2026-11-27 00:00:00 is outside ${WINDOW}`,
      );
      expect(errorOf(at('2026-11-23 23:59:59'), inFile)).toBe(
        `record_time 2026-11-23 23:59:59 is outside ${WINDOW}`,
      );
    });

    it('uses the configured days before and after', () => {
      const wide = forFileDay({ ...ctx, plausibleDays: { before: 2, after: 0 } }, '20261125');
      expect(parseSystemInfo(at('2026-11-23 00:00:00'), wide).at).toBe(Date.UTC(2026, 10, 22, 16));
      expect(errorOf(at('2026-11-26 00:00:00'), wide)).toBe(
        "record_time 2026-11-26 00:00:00 is outside 2026-11-23 00:00 – 2026-11-26 00:00 (Asia/Shanghai), the file's day, 2 days before to 0 days after",
      );
      const two = forFileDay({ ...ctx, plausibleDays: { before: 2, after: 2 } }, '20261125');
      expect(errorOf(at('2026-11-28 00:00:00'), two)).toBe(
        "record_time 2026-11-28 00:00:00 is outside 2026-11-23 00:00 – 2026-11-28 00:00 (Asia/Shanghai), the file's day ±2 days",
      );
    });

    it('counts the days in the site zone, across a clock change', () => {
      const berlin = forFileDay(
        { ...ctx, tz: 'Europe/Berlin', time: createTimeParser('Europe/Berlin') },
        '20260329',
      );
      const window = "2026-03-28 00:00 – 2026-03-31 00:00 (Europe/Berlin), the file's day ±1 day";
      expect(parseSystemInfo(at('2026-03-30 23:59:59'), berlin).at).toBe(
        Date.UTC(2026, 2, 30, 21, 59, 59),
      );
      expect(parseSystemInfo(at('2026-03-27T23:00:00Z'), berlin).at).toBe(
        Date.UTC(2026, 2, 27, 23),
      );
      expect(errorOf(at('2026-03-27T22:59:59Z'), berlin)).toBe(
        `record_time 2026-03-27T22:59:59Z is outside ${window}`,
      );
      expect(errorOf(at('2026-03-31 00:00:00'), berlin)).toBe(
        `record_time 2026-03-31 00:00:00 is outside ${window}`,
      );
    });
  });
});
