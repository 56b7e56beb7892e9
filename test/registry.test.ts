// Unit tests for createRegistry: lookup by name, listing order, unknown names and duplicate rejection.
import { createRegistry } from '../src/registry';
import { createFormatRegistry } from '../src/ingest/formats/registry';
import { createSelfCheckRegistry, selfChecks } from '../src/alarms/self-checks/registry';

interface Unit {
  name: string;
  n: number;
}

const a: Unit = { name: 'alpha', n: 1 };
const b: Unit = { name: 'beta', n: 2 };
const c: Unit = { name: 'gamma', n: 3 };

describe('createRegistry', () => {
  it('finds items by name', () => {
    const r = createRegistry('widget', [a, b, c]);
    expect(r.get('alpha')).toBe(a);
    expect(r.get('beta')).toBe(b);
    expect(r.require('gamma')).toBe(c);
  });

  it('returns undefined from get for an unknown name', () => {
    const r = createRegistry('widget', [a]);
    expect(r.get('delta')).toBeUndefined();
    expect(r.get('Alpha')).toBeUndefined();
    expect(r.get('')).toBeUndefined();
  });

  it('throws from require for an unknown name, naming the kind', () => {
    const r = createRegistry('widget', [a]);
    expect(() => r.require('delta')).toThrow(new Error('Unknown widget "delta".'));
  });

  it('does not find inherited object properties', () => {
    const r = createRegistry('widget', [a]);
    expect(r.get('toString')).toBeUndefined();
    expect(r.get('__proto__')).toBeUndefined();
    expect(() => r.require('constructor')).toThrow(new Error('Unknown widget "constructor".'));
  });

  it('lists items in registration order', () => {
    expect(createRegistry('widget', [c, a, b]).list()).toEqual([c, a, b]);
  });

  it('accepts an empty list', () => {
    const r = createRegistry<Unit>('widget', []);
    expect(r.list()).toEqual([]);
    expect(r.get('alpha')).toBeUndefined();
  });

  it('gives a fresh list each time, so callers cannot change the registry', () => {
    const r = createRegistry('widget', [a, b]);
    const l = r.list() as Unit[];
    l.pop();
    l.push(c);
    expect(r.list()).toEqual([a, b]);
  });

  it('is not affected by later changes to the input array', () => {
    const items = [a, b];
    const r = createRegistry('widget', items);
    items.push(c);
    expect(r.get('gamma')).toBeUndefined();
    expect(r.list()).toEqual([a, b]);
  });

  it('rejects a duplicate name with the exact message', () => {
    const twin: Unit = { name: 'beta', n: 99 };
    expect(() => createRegistry('chart', [a, b, twin])).toThrow(
      new Error('Duplicate chart "beta" in the registry.'),
    );
  });

  it('rejects the very same item registered twice', () => {
    expect(() => createRegistry('command', [a, a])).toThrow(
      new Error('Duplicate command "alpha" in the registry.'),
    );
  });

  it('treats names case-sensitively', () => {
    const upper: Unit = { name: 'ALPHA', n: 4 };
    const r = createRegistry('widget', [a, upper]);
    expect(r.get('alpha')).toBe(a);
    expect(r.get('ALPHA')).toBe(upper);
  });
});

describe('createFormatRegistry', () => {
  it('holds the three site file formats in order', () => {
    const r = createFormatRegistry();
    expect(r.list().map((f) => f.name)).toEqual(['system_info', 'system_alarm', 'system_service']);
    expect(() => r.require('system_disk')).toThrow(new Error('Unknown file format "system_disk".'));
  });

  it('rejects a format registered twice', () => {
    const [info] = createFormatRegistry().list();
    expect(() => createFormatRegistry([info, info])).toThrow(
      new Error('Duplicate file format "system_info" in the registry.'),
    );
  });
});

describe('createSelfCheckRegistry', () => {
  it('holds the ten self checks in order, each by the alarm it raises', () => {
    const r = createSelfCheckRegistry(selfChecks);
    expect(r.list().map((c) => c.name)).toEqual([
      'SW_FILE_MISSING',
      'SW_FILE_STALE',
      'SW_SERVER_SILENT',
      'SW_FETCH_FAILING',
      'SW_CPU_HIGH',
      'SW_MEM_HIGH',
      'SW_DISK_HIGH',
      'SW_DISK_FILLING',
      'SW_MEM_GROWTH',
      'SW_KPI_ANOMALY',
    ]);
    expect(() => r.require('SW_GPU_HIGH')).toThrow(new Error('Unknown self check "SW_GPU_HIGH".'));
  });

  it('rejects two checks for one alarm', () => {
    const [missing] = selfChecks;
    expect(() => createSelfCheckRegistry([...selfChecks, { ...missing }])).toThrow(
      new Error('Duplicate self check "SW_FILE_MISSING" in the registry.'),
    );
  });
});
