// Outgoing queue: rate limits per chat and overall, retries, splitting of long text, order per chat.
import type { Reply } from '../../commands/types';
import { silentLogger } from '../../src/log';
import { splitText } from '../../src/present/split-text';
import { createOutgoingQueue } from '../../src/chat/outgoing-queue';

const text = (t: string): Reply => ({ kind: 'text', text: t });

function recorder() {
  const t0 = Date.now();
  const sent: { chat: string; text: string; at: number }[] = [];
  const deliver = (chat: string) => async (part: Reply) => {
    sent.push({ chat, text: part.kind === 'text' ? part.text : part.name, at: Date.now() - t0 });
  };
  return { sent, deliver };
}

describe('splitText', () => {
  it('keeps short text whole and drops empty text', () => {
    expect(splitText('abc', 10)).toEqual(['abc']);
    expect(splitText('', 10)).toEqual([]);
  });

  it('splits on line boundaries, each part within the limit, nothing lost', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `第${i}行 line ${i}`);
    const parts = splitText(lines.join('\n'), 50);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(50);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    for (const p of parts) expect(lines).toContain(p.split('\n')[0]);
  });

  it('cuts an over-long line between characters, never inside a surrogate pair or emoji', () => {
    const line = '😀中'.repeat(10) + '👨‍👩‍👧';
    const parts = splitText(line, 5);
    expect(parts.join('')).toBe(line);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(8); // the family emoji alone is 8 code units
      expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
    expect(parts).toContain('👨‍👩‍👧');
  });
});

describe('createOutgoingQueue', () => {
  // A fake clock: the spacing is exact, whatever else this machine is doing.
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 10, 26, 1, 0, 0) }));
  afterEach(() => jest.useRealTimers());
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    await jest.runAllTimersAsync();
    return p;
  };

  it('spaces messages to one chat by the per-chat interval and keeps their order', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 100,
      globalIntervalMs: 0,
      log: silentLogger,
    });
    const r = recorder();
    await settle(Promise.all(['a', 'b', 'c'].map((t) => q.send('c1', r.deliver('c1'), text(t)))));
    expect(r.sent).toEqual([
      { chat: 'c1', text: 'a', at: 0 },
      { chat: 'c1', text: 'b', at: 100 },
      { chat: 'c1', text: 'c', at: 200 },
    ]);
  });

  it('lets different chats go together but respects the global interval', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 200,
      globalIntervalMs: 50,
      log: silentLogger,
    });
    const r = recorder();
    await settle(
      Promise.all([
        q.send('A', r.deliver('A'), text('a1')),
        q.send('B', r.deliver('B'), text('b1')),
        q.send('A', r.deliver('A'), text('a2')),
      ]),
    );
    // b1 waits only for the global interval, not for A's per-chat one; a2 waits for A's.
    expect(r.sent).toEqual([
      { chat: 'A', text: 'a1', at: 0 },
      { chat: 'B', text: 'b1', at: 50 },
      { chat: 'A', text: 'a2', at: 200 },
    ]);
  });

  it('retries a failed delivery with exponential backoff', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 0,
      globalIntervalMs: 0,
      retries: 3,
      retryDelayMs: 40,
      log: silentLogger,
    });
    const t0 = Date.now();
    const attempts: number[] = [];
    await settle(
      q.send(
        'c',
        async () => {
          attempts.push(Date.now() - t0);
          if (attempts.length < 3) throw new Error('network');
        },
        text('x'),
      ),
    );
    expect(attempts).toEqual([0, 40, 120]);
  });

  it('gives up after the retries, rejects that reply, and goes on with the next one', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 0,
      globalIntervalMs: 0,
      retries: 1,
      retryDelayMs: 5,
      maxTextLength: 3,
      log: silentLogger,
    });
    const seen: string[] = [];
    const deliver = async (p: Reply) => {
      const t = p.kind === 'text' ? p.text : '';
      seen.push(t);
      if (t === 'bad') throw new Error('refused');
    };
    const first = q.send('c', deliver, text('ok\nbad\nnot')); // 3 parts; the 3rd is skipped
    const second = q.send('c', deliver, text('next'));
    expect(q.length()).toBe(5);
    await expect(settle(first)).rejects.toThrow('refused');
    await settle(second);
    expect(seen).toEqual(['ok', 'bad', 'bad', 'nex', 't']);
    expect(q.length()).toBe(0);
  });

  it('sends each part of a long text as its own rate-limited message, in order', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 30,
      globalIntervalMs: 30,
      maxTextLength: 10,
      log: silentLogger,
    });
    const r = recorder();
    const image: Reply = { kind: 'image', png: Buffer.from('x'), name: 'c.png', alt: 'chart' };
    void q.send('c', r.deliver('c'), text('line one\nline two\nline 3'));
    void q.send('c', r.deliver('c'), image);
    expect(q.length()).toBe(4);
    await settle(q.drain());
    expect(q.length()).toBe(0);
    expect(r.sent.map((s) => [s.text, s.at])).toEqual([
      ['line one', 0],
      ['line two', 30],
      ['line 3', 60],
      ['c.png', 90],
    ]);
  });

  it('drain resolves at once when idle', async () => {
    const q = createOutgoingQueue({ log: silentLogger });
    await q.drain(); // no timers advanced: it must not wait for one
    expect(q.length()).toBe(0);
  });
});
