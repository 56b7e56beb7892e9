// Unit tests for decodeLines (UTF-8, explicit GBK, per-line auto detection) and isSupportedEncoding.
import iconv from 'iconv-lite';
import { UTF8_BOM, decodeLines, isSupportedEncoding } from '../../src/ingest/decode';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const gbk = (s: string) => iconv.encode(s, 'gbk');

describe('decodeLines with utf8', () => {
  it('splits on newlines and drops the empty piece after the final newline', () => {
    expect(decodeLines(utf8('a|b\nc|d\n'), 'utf8')).toEqual({
      lines: ['a|b', 'c|d'],
      used: 'utf8',
    });
  });

  it('accepts the utf-8 spelling', () => {
    expect(decodeLines(utf8('x\n'), 'utf-8')).toEqual({ lines: ['x'], used: 'utf8' });
  });

  it('strips a carriage return at the end of each line', () => {
    expect(decodeLines(utf8('a\r\nb\r\nc\n'), 'utf8').lines).toEqual(['a', 'b', 'c']);
  });

  it('keeps a carriage return that is not at the end of a line', () => {
    expect(decodeLines(utf8('a\rb\r\n'), 'utf8').lines).toEqual(['a\rb']);
  });

  it('keeps a final line that has no newline', () => {
    expect(decodeLines(utf8('a\nb'), 'utf8').lines).toEqual(['a', 'b']);
    expect(decodeLines(utf8('a\r\nb\r'), 'utf8').lines).toEqual(['a', 'b']);
  });

  it('keeps empty lines in the middle', () => {
    expect(decodeLines(utf8('a\n\nb\n'), 'utf8').lines).toEqual(['a', '', 'b']);
    expect(decodeLines(utf8('\r\n'), 'utf8').lines).toEqual(['']);
  });

  it('gives no lines for an empty buffer', () => {
    expect(decodeLines(Buffer.alloc(0), 'utf8')).toEqual({ lines: [], used: 'utf8' });
  });

  it('decodes Chinese text', () => {
    expect(decodeLines(utf8('服务器|正常\n告警\n'), 'utf8').lines).toEqual(['服务器|正常', '告警']);
  });
});

describe('decodeLines with an explicit legacy encoding', () => {
  it('decodes GBK and reports the encoding used', () => {
    const buf = gbk('服务器|正常\r\n告警描述\n');
    expect(decodeLines(buf, 'gbk')).toEqual({ lines: ['服务器|正常', '告警描述'], used: 'gbk' });
  });

  it('decodes GB18030 with a final line without newline', () => {
    const buf = iconv.encode('节点|停止\n运行', 'gb18030');
    expect(decodeLines(buf, 'gb18030')).toEqual({ lines: ['节点|停止', '运行'], used: 'gb18030' });
  });

  it('gives no lines for an empty buffer', () => {
    expect(decodeLines(Buffer.alloc(0), 'gbk')).toEqual({ lines: [], used: 'gbk' });
  });
});

describe('decodeLines with auto detection', () => {
  it('uses utf8 when the whole buffer is valid UTF-8', () => {
    expect(decodeLines(utf8('服务器|正常\r\nok\n'), 'auto')).toEqual({
      lines: ['服务器|正常', 'ok'],
      used: 'utf8',
    });
  });

  it('drops a UTF-8 byte order mark', () => {
    const buf = Buffer.concat([UTF8_BOM, utf8('a\nb\n')]);
    expect(decodeLines(buf, 'auto')).toEqual({ lines: ['a', 'b'], used: 'utf8' });
  });

  it('falls back to GB18030 for a GBK buffer', () => {
    const buf = gbk('服务器|正常\r\n告警\n');
    expect(decodeLines(buf, 'auto')).toEqual({ lines: ['服务器|正常', '告警'], used: 'gb18030' });
  });

  it('decides line by line in a mixed UTF-8 + GBK buffer', () => {
    const buf = Buffer.concat([
      utf8('web01|正常|utf8\n'),
      gbk('web02|异常|gbk\r\n'),
      utf8('plain ascii\n'),
      utf8('\n'),
      gbk('末行|无换行'),
    ]);
    expect(decodeLines(buf, 'auto')).toEqual({
      lines: ['web01|正常|utf8', 'web02|异常|gbk', 'plain ascii', '', '末行|无换行'],
      used: 'gb18030',
    });
  });

  it('drops a byte order mark and the final newline in a mixed buffer', () => {
    const buf = Buffer.concat([UTF8_BOM, utf8('头|行\r\n'), gbk('告警\r\n')]);
    expect(decodeLines(buf, 'auto')).toEqual({ lines: ['头|行', '告警'], used: 'gb18030' });
  });

  it('gives no lines for an empty buffer', () => {
    expect(decodeLines(Buffer.alloc(0), 'auto')).toEqual({ lines: [], used: 'utf8' });
  });
});

describe('decodeLines with bytes that are not valid in the encoding', () => {
  const bytes = (...parts: (string | number[] | Buffer)[]) =>
    Buffer.concat(
      parts.map((p) => (typeof p === 'string' ? utf8(p) : Buffer.isBuffer(p) ? p : Buffer.from(p))),
    );

  it('utf8: marks the line with the column of the first bad byte, keeps an encoded U+FFFD', () => {
    const buf = bytes(
      'ok|1\n',
      'ab|',
      [0xff, 0xfe, 0xc3],
      '|c\n',
      '服务|',
      [0xc3],
      '\r\n',
      'x|\ufffd|y\n',
    );
    expect(decodeLines(buf, 'utf8')).toEqual({
      lines: ['ok|1', 'ab|\ufffd\ufffd\ufffd|c', '服务|\ufffd', 'x|\ufffd|y'],
      used: 'utf8',
      invalid: new Map([
        [1, 'bytes not valid UTF-8 at column 4'],
        [2, 'bytes not valid UTF-8 at column 4'],
      ]),
    });
  });

  it('utf8: finds the bad byte behind an encoded U+FFFD and after a character outside the BMP', () => {
    expect(decodeLines(bytes('\ufffd😀a', [0x80], '\n'), 'utf8')).toEqual({
      lines: ['\ufffd😀a\ufffd'],
      used: 'utf8',
      invalid: new Map([[0, 'bytes not valid UTF-8 at column 4']]),
    });
  });

  it('gbk: marks a byte GBK does not know, with the column in characters', () => {
    const buf = Buffer.concat([gbk('服务|正常\n服务|'), Buffer.from([0xff]), gbk('|x\n')]);
    expect(decodeLines(buf, 'gbk')).toEqual({
      lines: ['服务|正常', '服务|\ufffd|x'],
      used: 'gbk',
      invalid: new Map([[1, 'bytes not valid GBK at column 4']]),
    });
  });

  it('gb18030: accepts an encoded U+FFFD and marks a bad byte after it', () => {
    const buf = Buffer.concat([
      iconv.encode('a|\ufffd|b\n', 'gb18030'),
      iconv.encode('节点|\ufffd|', 'gb18030'),
      Buffer.from([0x41, 0xff]),
      Buffer.from('\n'),
    ]);
    expect(decodeLines(buf, 'gb18030')).toEqual({
      lines: ['a|\ufffd|b', '节点|\ufffd|A\ufffd'],
      used: 'gb18030',
      invalid: new Map([[1, 'bytes not valid GB18030 at column 7']]),
    });
  });

  it('auto: marks a line valid in neither UTF-8 nor GB18030, shown in the reading with fewer bad characters', () => {
    const buf = Buffer.concat([
      utf8('web01|正常\n'),
      utf8('ab|'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      utf8('|c\n'),
      gbk('服务|'),
      Buffer.from([0xff]),
      gbk('|x\n'),
    ]);
    expect(decodeLines(buf, 'auto')).toEqual({
      lines: ['web01|正常', 'ab|\ufffd\ue48a|c', '服务|\ufffd|x'],
      used: 'utf8',
      invalid: new Map([
        [1, 'bytes not valid UTF-8 or GB18030 at column 4'],
        [2, 'bytes not valid UTF-8 at column 1, nor GB18030 at column 4'],
      ]),
    });
  });

  it('auto: still reports GB18030 as used when a valid GBK line sits next to a bad one', () => {
    const buf = Buffer.concat([gbk('告警\n'), Buffer.from([0xff, 0x0a])]);
    expect(decodeLines(buf, 'auto')).toEqual({
      lines: ['告警', '\ufffd'],
      used: 'gb18030',
      invalid: new Map([[1, 'bytes not valid UTF-8 or GB18030 at column 1']]),
    });
  });
});

describe('isSupportedEncoding', () => {
  it.each([['auto'], ['utf8'], ['utf-8'], ['gbk'], ['GBK'], ['gb18030'], ['gb2312'], ['latin1']])(
    '%p is supported',
    (enc) => {
      expect(isSupportedEncoding(enc)).toBe(true);
    },
  );

  it.each([['klingon'], [''], ['utf-9']])('%p is not supported', (enc) => {
    expect(isSupportedEncoding(enc)).toBe(false);
  });
});
