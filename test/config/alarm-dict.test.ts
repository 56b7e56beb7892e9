// loadAlarmDict's file (alarms.dictPath / SITEWATCH_ALARM_DICT): only a regular file of at most 1 MiB is read.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInAlarmDict, loadAlarmDict } from '../../config/alarm-dict';
import { ConfigError } from '../../config/schema';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-dict-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(path: string): string[] {
  try {
    loadAlarmDict(path);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('loadAlarmDict', () => {
  it('says a missing file does not exist', () => {
    const file = join(dir, 'missing.json');
    expect(problemsOf(file)).toEqual([`alarms.dictPath file ${file} does not exist`]);
  });

  it.each([
    ['a directory', () => dir],
    ['a character device', () => '/dev/zero'],
    [
      'a FIFO',
      () => {
        const fifo = join(dir, 'dict.fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
    ],
  ])('refuses %s without reading it', (kind, make) => {
    const file = make();
    expect(problemsOf(file)).toEqual([
      `alarms.dictPath file ${file} is not a regular file (${kind})`,
    ]);
  });

  it('reads a file of up to 1 MiB and refuses a larger one', () => {
    const entry = '{"X_DOWN":{"title":"X 停止","severity":"minor","action":""}}';
    const size = Buffer.byteLength(entry);
    const fits = join(dir, 'fits.json');
    writeFileSync(fits, entry + ' '.repeat(1024 * 1024 - size));
    expect(loadAlarmDict(fits).get('X_DOWN')).toEqual({
      title: 'X 停止',
      severity: 'minor',
      action: '',
    });
    expect(loadAlarmDict(fits).size).toBe(Object.keys(builtInAlarmDict).length + 1);
    const big = join(dir, 'big.json');
    writeFileSync(big, entry + ' '.repeat(1024 * 1024 - size + 1));
    expect(problemsOf(big)).toEqual([`alarms.dictPath file ${big} is larger than 1 MiB`]);
  });
});
