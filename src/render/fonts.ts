// Chart fonts: registers the bundled Noto Sans SC (OFL) and any configured font files with Skia.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { SitewatchError } from '../errors';

/** The family the bundled fonts are registered under (config `charts.fontFamily` default). */
export const BUNDLED_FAMILY = 'Noto Sans SC';

/**
 * Paths of the bundled Noto Sans Hans OTFs. The package's `exports` map hides its font files from
 * require.resolve, so they are found next to its resolved entry point (dist/…).
 */
export function bundledFontPaths(): { regular: string; bold: string } {
  const dir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  return {
    regular: path.join(dir, 'NotoSansHans-Regular.otf'),
    bold: path.join(dir, 'NotoSansHans-Bold.otf'),
  };
}

/** Font files this thread has registered, keyed by file and alias. */
const done = new Set<string>();

function register(file: string, alias?: string): void {
  const key = `${path.resolve(file)}\0${alias ?? ''}`;
  if (done.has(key)) return;
  if (!existsSync(file)) {
    throw new SitewatchError('CONFIG_INVALID', `chart font file not found: ${file}`);
  }
  if (GlobalFonts.registerFromPath(file, alias) === null) {
    throw new SitewatchError(
      'CONFIG_INVALID',
      `chart font file could not be loaded (not a TTF/OTF/TTC font?): ${file}`,
    );
  }
  done.add(key);
}

/** Whether Skia already has a regular and a bold face for `family` (from any thread). */
function hasRegularAndBold(family: string): boolean {
  const entry = GlobalFonts.families.find((f) => f.family === family);
  const upright = entry?.styles.filter((s) => s.style === 'normal').map((s) => s.weight) ?? [];
  return upright.includes(400) && upright.includes(700);
}

/**
 * Makes `o.family` and the fonts in `o.paths` available to chart drawing. When the family is
 * Noto Sans SC, the bundled Regular and Bold faces are registered under it; each extra path is
 * registered under the family names inside the file. Fails with a SitewatchError naming the file
 * that cannot be read, or when no registered or system font provides `o.family`.
 *
 * Idempotent. Skia's font collection is shared by the whole process (every worker thread sees
 * it): the bundled faces are registered once per process, extra paths once per thread.
 * Returns the family and the font files registered for it (bundled ones included).
 */
export function registerChartFonts(o: { family: string; paths: string[] }): {
  family: string;
  registered: string[];
} {
  const registered: string[] = [];
  if (o.family === BUNDLED_FAMILY) {
    const { regular, bold } = bundledFontPaths();
    if (!hasRegularAndBold(BUNDLED_FAMILY)) {
      register(regular, BUNDLED_FAMILY);
      register(bold, BUNDLED_FAMILY);
    }
    registered.push(regular, bold);
  }
  for (const file of o.paths) {
    register(file);
    registered.push(file);
  }
  if (!GlobalFonts.has(o.family)) {
    throw new SitewatchError(
      'CONFIG_INVALID',
      `chart font family "${o.family}" is not provided by any font file` +
        (o.paths.length ? ` (${o.paths.join(', ')})` : ' (charts.fontPaths is empty)') +
        ' nor installed on the system',
    );
  }
  return { family: o.family, registered };
}
