// CLI text tables line up by terminal display width, Chinese included.
import { displayWidth, table } from '../../src/cli/io';

describe('displayWidth and table', () => {
  it('counts wide characters as two columns', () => {
    expect([
      displayWidth('abc'),
      displayWidth('北京'),
      displayWidth('ＡＢ'),
      displayWidth('a北b'),
    ]).toEqual([3, 4, 4, 4]);
  });

  it('pads columns so that Chinese and ASCII cells line up', () => {
    expect(
      table([
        ['SITE', 'NAME', 'OK'],
        ['BJ', '北京移动', 'yes'],
        ['SHANGHAI', 'x', 'no'],
      ]),
    ).toBe('SITE      NAME      OK\n' + 'BJ        北京移动  yes\n' + 'SHANGHAI  x         no\n');
  });
});
