// What every chart builder shares: the context (language, zone) and the builder interface; the option type is src/types/chart-option.
import type { ChartOption } from '../src/types/chart-option';

export type Lang = 'zh' | 'en';

export interface ChartContext {
  lang: Lang;
  /** IANA zone whose wall clock the time axes show (the site's zone). */
  tz: string;
}

/** `N` is the chart's name as a literal type, from which the registry derives each chart's data type. */
export interface ChartBuilder<D, N extends string = string> {
  readonly name: N;
  build(data: D, ctx: ChartContext): ChartOption;
}
