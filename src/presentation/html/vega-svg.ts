/**
 * Vega-Lite specs to inline SVG, in Node: vega-lite compiles the spec, vega's headless View renders
 * it with the SVG string renderer (no canvas, no browser, no DOM). The page then needs no script.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** The page's font stack: Vega sizes text by it. */
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** One look for every chart: the page's font stack, no chart border, the page's palette. */
const CONFIG: vl.Config = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
  title: { fontSize: 13, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
};

/** Real and synthetic in every chart: a blue and an orange that stay apart for the common colour blindnesses. */
export const SERIES_COLOURS = { real: '#1f77b4', synthetic: '#ff7f0e', holdout: '#7f7f7f' } as const;

/** A Vega colour scale over `names` in the series' colours. */
export const seriesColour = (names: readonly string[]) => ({
  domain: [...names],
  range: names.map((n) => SERIES_COLOURS[n as keyof typeof SERIES_COLOURS]),
});

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Warnings go nowhere: below src/commands nothing writes to the console.
  const silent = vega.logger(vega.None);
  const compiled = vl.compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec, {
    logger: silent,
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    return withoutPageFont(stripNamespaces(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

/**
 * Inline SVG in HTML needs no namespace declarations; dropping them leaves the page without a
 * single http(s) address, which the tests check to the letter. Vega also repeats them in a class
 * attribute (a quirk of its SVG writer), dropped with them.
 */
function stripNamespaces(svg: string): string {
  return svg.replace(/ xmlns(:xlink)?="[^"]*"/g, '').replace(/ https?:\/\/www\.w3\.org\/[0-9]+\/(svg|xlink)/g, '');
}

/**
 * Inline SVG text inherits the page's font, so the attribute that repeats it on every label and
 * cell value (a fifth of a heatmap's bytes) goes; other fonts a spec sets stay.
 */
const withoutPageFont = (svg: string): string => svg.replaceAll(` font-family="${FONT.replace(/"/g, '&quot;')}"`, '');
