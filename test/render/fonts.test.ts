// Tests for chart fonts: CJK glyphs drawn from the bundled Noto Sans SC (not tofu), extra font files, errors.
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { SitewatchError } from '../../src/errors';
import { BUNDLED_FAMILY, bundledFontPaths, registerChartFonts } from '../../src/render/fonts';
import { renderPng, type RenderSize } from '../../src/render/render';
import { crop, decode, diffCount, inkCount, type Pixels } from './pixels';

const CJK = '局点告警';
/** Private-use code points: no glyph in any font here, so each draws as the missing-glyph box. */
const TOFU = '\uE000\uE001\uE002\uE003';
const UNREGISTERED = 'Sitewatch No Such Font';

// One title of four glyphs at a known place: 48 px glyphs, each a full em wide, from x = 40.
const FONT_PX = 48;
const LEFT = 40;
const TOP = 40;
const SIZE: RenderSize = { width: 320, height: 140, pixelRatio: 1 };
const titleOnly = (text: string) => ({
  title: {
    text,
    left: LEFT,
    top: TOP,
    padding: 0,
    textStyle: { fontSize: FONT_PX, color: '#000' },
  },
});

async function title(text: string, family: string): Promise<Pixels> {
  return decode(renderPng(titleOnly(text), SIZE, family));
}

/** The four glyph cells of the title. */
function cells(p: Pixels): Pixels[] {
  return [0, 1, 2, 3].map((i) => crop(p, LEFT + i * FONT_PX, TOP - 10, FONT_PX, FONT_PX + 30));
}

describe('registerChartFonts', () => {
  beforeAll(() => {
    registerChartFonts({ family: BUNDLED_FAMILY, paths: [] });
  });

  it('registers the bundled Regular and Bold under the family, once', () => {
    const { regular, bold } = bundledFontPaths();
    const styles = () =>
      GlobalFonts.families.find((f) => f.family === BUNDLED_FAMILY)?.styles ?? [];
    const before = styles().length;
    const r = registerChartFonts({ family: BUNDLED_FAMILY, paths: [] });
    expect(r).toEqual({ family: BUNDLED_FAMILY, registered: [regular, bold] });
    expect(styles().length).toBe(before);
    expect(styles().map((s) => s.weight)).toEqual(expect.arrayContaining([400, 700]));
  });

  it('draws each Chinese glyph, unlike the missing-glyph box, and all four differently', async () => {
    const cjk = cells(await title(CJK, BUNDLED_FAMILY));
    const tofu = cells(await title(TOFU, BUNDLED_FAMILY));
    // The tofu cells are one and the same box.
    for (const t of tofu.slice(1)) expect(diffCount(t, tofu[0])).toBe(0);
    expect(inkCount(tofu[0])).toBeGreaterThan(50);
    const report: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect(inkCount(cjk[i])).toBeGreaterThan(150);
      const d = diffCount(cjk[i], tofu[i]);
      report.push(`${CJK[i]} vs tofu: ${d} px`);
      expect(d).toBeGreaterThan(400);
      for (let j = i + 1; j < 4; j++) {
        const dd = diffCount(cjk[i], cjk[j]);
        report.push(`${CJK[i]} vs ${CJK[j]}: ${dd} px`);
        expect(dd).toBeGreaterThan(300);
      }
    }
    console.log(`glyph cell differences (${FONT_PX} px glyphs): ${report.join(', ')}`);
  });

  it('draws tofu when no font provides the family, so the test above depends on the font', async () => {
    const cjk = await title(CJK, UNREGISTERED);
    const tofu = await title(TOFU, UNREGISTERED);
    // Same pixels for Chinese text and private-use code points: every Chinese glyph is missing.
    expect(diffCount(cjk, tofu, 0)).toBe(0);
    expect(inkCount(cjk)).toBeGreaterThan(0);
    // And the registered family draws something else entirely.
    expect(diffCount(await title(CJK, BUNDLED_FAMILY), cjk)).toBeGreaterThan(1000);
  });

  it('registers extra font files under their own family names', async () => {
    const demiLight = path.join(
      path.dirname(bundledFontPaths().regular),
      'NotoSansHans-DemiLight.otf',
    );
    const family = 'Noto Sans S Chinese'; // the name inside the file
    const r = registerChartFonts({ family, paths: [demiLight] });
    expect(r).toEqual({ family, registered: [demiLight] });
    const weights = GlobalFonts.families
      .find((f) => f.family === family)
      ?.styles.map((s) => s.weight);
    expect(weights).toContain(350);
    const cjk = cells(await title(CJK, family));
    const tofu = cells(await title(TOFU, BUNDLED_FAMILY));
    for (let i = 0; i < 4; i++) expect(diffCount(cjk[i], tofu[i])).toBeGreaterThan(400);
  });

  it('names a font file that does not exist or is not a font', () => {
    const missing = '/nonexistent/fonts/wqy-microhei.ttc';
    expect(() => registerChartFonts({ family: BUNDLED_FAMILY, paths: [missing] })).toThrow(
      new SitewatchError('CONFIG_INVALID', `chart font file not found: ${missing}`),
    );
    const notAFont = path.join(__dirname, 'pixels.ts');
    let err: unknown;
    try {
      registerChartFonts({ family: BUNDLED_FAMILY, paths: [notAFont] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SitewatchError);
    expect((err as SitewatchError).code).toBe('CONFIG_INVALID');
    expect((err as SitewatchError).message).toContain(notAFont);
  });

  it('refuses a family no font provides', () => {
    expect(() => registerChartFonts({ family: UNREGISTERED, paths: [] })).toThrow(
      /chart font family "Sitewatch No Such Font" is not provided by any font file/,
    );
  });
});
