// The chart link settings (web.publicUrl, web.linkSecret, web.chartLinkDays): defaults, variables, and each problem in plain words.
import { ConfigError, loadConfig } from '../../config/schema';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

const SECRET = 'z'.repeat(32);
const UNSIGNED =
  'is set, but nothing signs the chart links served there: set web.linkSecret (SITEWATCH_WEB_LINK_SECRET) or web.sessionSecret (SITEWATCH_WEB_SESSION_SECRET) to 32 or more characters';
const NOT_HTTP =
  'must be an http(s) address like https://sitewatch.example.com, without ?query or #part';

describe('chart link settings', () => {
  it('make no links by default', () => {
    const { web } = loadConfig({ env: {} });
    expect([web.publicUrl, web.linkSecret, web.chartLinkDays]).toEqual([null, null, 7]);
  });

  it('are read from SITEWATCH_WEB_PUBLIC_URL and SITEWATCH_WEB_LINK_SECRET', () => {
    const { web } = loadConfig({
      env: {
        SITEWATCH_WEB_PUBLIC_URL: 'http://10.1.2.3:8080/sitewatch/',
        SITEWATCH_WEB_LINK_SECRET: SECRET,
      },
    });
    expect([web.publicUrl, web.linkSecret, web.sessionSecret]).toEqual([
      'http://10.1.2.3:8080/sitewatch/',
      SECRET,
      null,
    ]);
  });

  it('accept web.sessionSecret alone as the signing secret', () => {
    const { web } = loadConfig({
      env: {
        SITEWATCH_WEB_PUBLIC_URL: 'https://sitewatch.example.com',
        SITEWATCH_WEB_SESSION_SECRET: SECRET,
      },
    });
    expect([web.publicUrl, web.linkSecret, web.sessionSecret]).toEqual([
      'https://sitewatch.example.com',
      null,
      SECRET,
    ]);
  });

  it('refuse a public URL with neither secret, naming the variable it came from', () => {
    expect(
      problemsOf(() =>
        loadConfig({ env: { SITEWATCH_WEB_PUBLIC_URL: 'https://sitewatch.example.com' } }),
      ),
    ).toEqual([`web.publicUrl (from SITEWATCH_WEB_PUBLIC_URL) ${UNSIGNED}`]);
    expect(
      problemsOf(() =>
        loadConfig({ env: {}, overrides: { web: { publicUrl: 'https://sitewatch.example.com' } } }),
      ),
    ).toEqual([`web.publicUrl ${UNSIGNED}`]);
  });

  it.each([
    ['ftp://sitewatch.example.com'],
    ['sitewatch.example.com'],
    ['/charts'],
    ['https://sitewatch.example.com/?a=1'],
    ['https://sitewatch.example.com/#top'],
    ['https://user:pass@sitewatch.example.com'],
    ['javascript:alert(1)'],
  ])('refuse the public URL %p', (url) => {
    expect(
      problemsOf(() =>
        loadConfig({ env: { SITEWATCH_WEB_PUBLIC_URL: url, SITEWATCH_WEB_LINK_SECRET: SECRET } }),
      ),
    ).toEqual([`web.publicUrl (from SITEWATCH_WEB_PUBLIC_URL) ${NOT_HTTP}`]);
  });

  it('refuse a short link secret and link days out of range', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          env: {
            SITEWATCH_WEB_PUBLIC_URL: 'https://sitewatch.example.com',
            SITEWATCH_WEB_LINK_SECRET: 'z'.repeat(31),
          },
        }),
      ),
    ).toEqual(['web.linkSecret (from SITEWATCH_WEB_LINK_SECRET) must be at least 32 characters']);
    expect(problemsOf(() => loadConfig({ overrides: { web: { chartLinkDays: 0 } } }))).toEqual([
      'web.chartLinkDays Too small: expected number to be >=1',
    ]);
    expect(problemsOf(() => loadConfig({ overrides: { web: { chartLinkDays: 366 } } }))).toEqual([
      'web.chartLinkDays Too big: expected number to be <=365',
    ]);
    expect(problemsOf(() => loadConfig({ overrides: { web: { chartLinkDays: 1.5 } } }))).toEqual([
      'web.chartLinkDays expected int, received number',
    ]);
    expect(loadConfig({ overrides: { web: { chartLinkDays: 365 } } }).web.chartLinkDays).toBe(365);
  });
});
