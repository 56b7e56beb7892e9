// The composition root's teardown stack: newest first, each once, and one failure never keeps the rest open.
import { createTeardown } from '../src/teardown';
import { captureLog } from './helpers/log';

describe('createTeardown', () => {
  it('closes newest first, each once, however often it runs', async () => {
    const closed: string[] = [];
    const t = createTeardown(captureLog().log);
    for (const what of ['database', 'renderer', 'web']) t.add(what, () => void closed.push(what));
    await Promise.all([t.run(), t.run()]);
    await t.run();
    expect(closed).toEqual(['web', 'renderer', 'database']);
  });

  it('logs a failing close and still closes the rest', async () => {
    const closed: string[] = [];
    const { log, lines } = captureLog();
    const t = createTeardown(log);
    t.add('database', () => void closed.push('database'));
    t.add('web', async () => {
      throw new Error('socket hang up');
    });
    t.add('scheduler', () => void closed.push('scheduler'));
    await t.run();
    expect(closed).toEqual(['scheduler', 'database']);
    expect(lines.map((l) => [l.level, l.msg, l.what, l.err])).toEqual([
      [50, 'could not close', 'web', 'socket hang up'],
    ]);
  });
});
