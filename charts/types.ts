// What every chart builder shares: the option type, the context (language, zone) and the builder interface.
export type Lang = 'zh' | 'en';

/**
 * An ECharts option as plain JSON (no functions), so that the same option is drawn to PNG on the
 * hub and sent as-is to ECharts in the browser.
 */
export type ChartOption = Record<string, unknown>;

export interface ChartContext {
  lang: Lang;
  /** IANA zone whose wall clock the time axes show (the site's zone). */
  tz: string;
}

export interface ChartBuilder<D> {
  readonly name: string;
  build(data: D, ctx: ChartContext): ChartOption;
}
