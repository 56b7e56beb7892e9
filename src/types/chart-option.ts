// The chart option that chart builders produce and the renderer, notifications and portal consume.

/**
 * An ECharts option as plain JSON (no functions), so that the same option is drawn to PNG on the
 * hub and sent as-is to ECharts in the browser.
 */
export type ChartOption = Record<string, unknown>;
