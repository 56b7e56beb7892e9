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
