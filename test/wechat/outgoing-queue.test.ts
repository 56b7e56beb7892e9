// Outgoing queue: rate limits per chat and overall, retries, splitting of long text, order per chat.
import type { Reply } from '../../commands/types';
import { silentLogger } from '../../src/log';
import { createOutgoingQueue, splitText } from '../../src/wechat/outgoing-queue';

const text = (t: string): Reply => ({ kind: 'text', text: t });
const TOL = 40; // ms of timer slack allowed either way

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
  it('spaces messages to one chat by the per-chat interval and keeps their order', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 100,
      globalIntervalMs: 0,
      log: silentLogger,
    });
    const r = recorder();
    await Promise.all(['a', 'b', 'c'].map((t) => q.send('c1', r.deliver('c1'), text(t))));
    expect(r.sent.map((s) => s.text)).toEqual(['a', 'b', 'c']);
    expect(r.sent[0].at).toBeLessThan(TOL);
    expect(r.sent[1].at - r.sent[0].at).toBeGreaterThanOrEqual(100 - 2);
    expect(r.sent[1].at - r.sent[0].at).toBeLessThan(100 + TOL);
    expect(r.sent[2].at - r.sent[1].at).toBeGreaterThanOrEqual(100 - 2);
    expect(r.sent[2].at - r.sent[1].at).toBeLessThan(100 + TOL);
  });

  it('lets different chats go together but respects the global interval', async () => {
    const q = createOutgoingQueue({
      perChatIntervalMs: 200,
      globalIntervalMs: 50,
      log: silentLogger,
    });
    const r = recorder();
    await Promise.all([
      q.send('A', r.deliver('A'), text('a1')),
      q.send('B', r.deliver('B'), text('b1')),
      q.send('A', r.deliver('A'), text('a2')),
    ]);
    const at = Object.fromEntries(r.sent.map((s) => [s.text, s.at]));
    expect(at.a1).toBeLessThan(TOL);
    expect(at.b1 - at.a1).toBeGreaterThanOrEqual(50 - 2); // global limit
    expect(at.b1 - at.a1).toBeLessThan(50 + TOL); // not held back by A's per-chat limit
    expect(at.a2 - at.a1).toBeGreaterThanOrEqual(200 - 2);
    expect(at.a2 - at.a1).toBeLessThan(200 + TOL);
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
    await q.send(
      'c',
      async () => {
        attempts.push(Date.now() - t0);
        if (attempts.length < 3) throw new Error('network');
      },
      text('x'),
    );
    expect(attempts).toHaveLength(3);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(40 - 2);
    expect(attempts[1] - attempts[0]).toBeLessThan(40 + TOL);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(80 - 2);
    expect(attempts[2] - attempts[1]).toBeLessThan(80 + TOL);
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
    await expect(first).rejects.toThrow('refused');
    await second;
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
    await q.drain();
    expect(q.length()).toBe(0);
    expect(r.sent.map((s) => s.text)).toEqual(['line one', 'line two', 'line 3', 'c.png']);
    for (let i = 1; i < r.sent.length; i++)
      expect(r.sent[i].at - r.sent[i - 1].at).toBeGreaterThanOrEqual(30 - 2);
  });

  it('drain resolves at once when idle', async () => {
    const q = createOutgoingQueue({ log: silentLogger });
    await q.drain();
    expect(q.length()).toBe(0);
  });
});
