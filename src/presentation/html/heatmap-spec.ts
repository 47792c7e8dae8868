/**
 * The association heatmaps, sized to the page: the charts are drawn when the file is written, so
 * the cell size is chosen here from the column count (three heatmaps a row while the cells stay
 * large, fewer and wider past it) and the page's style scales them down on a narrow window.
 */
import type { TopLevelSpec } from 'vega-lite';

/** The width the page gives its charts (main is 1320 px less padding and gaps), and what labels and legend take of a heatmap's. */
const ROW_WIDTH = 1220;
const LABEL_ROOM = 250;
const MIN_STEP = 14;
const MAX_STEP = 36;
/** Cells at least this wide carry their value as text. */
const TEXT_STEP = 24;

const stepFor = (columns: number, perRow: number): number =>
  Math.floor((ROW_WIDTH / perRow - LABEL_ROOM) / Math.max(1, columns));

/** Heatmaps a row: as many as still leave cells wide enough for their values; one at the page's full width past that. */
export const heatmapsPerRow = (columns: number): number => [3, 2].find((n) => stepFor(columns, n) >= TEXT_STEP) ?? 1;

/** The cell size in px for a heatmap of `columns` columns. */
export const heatmapStep = (columns: number): number =>
  Math.max(MIN_STEP, Math.min(MAX_STEP, stepFor(columns, heatmapsPerRow(columns))));

/**
 * `labels`: one distinct short label per column (axis-labels.ts), drawn as they are. The difference
 * map runs from white at 0, so only what differs takes colour; the association maps are diverging around 0.
 */
export function heatmapSpec(
  labels: readonly string[],
  matrix: readonly (readonly (number | null)[])[],
  options: { title: string; subtitle: string; difference: boolean },
): TopLevelSpec {
  const values = labels.flatMap((a, x) =>
    labels.map((b, y) => ({ a, b, value: matrix[x][y], label: matrix[x][y]?.toFixed(2) ?? '' })),
  );
  const step = heatmapStep(labels.length);
  const colour = options.difference
    ? { type: 'linear', domain: [0, 1], range: ['#ffffff', '#b2182b'], interpolate: 'rgb', clamp: true }
    : { scheme: 'blueorange', domain: [-1, 1], reverse: true };
  const layers: unknown[] = [
    {
      mark: 'rect',
      encoding: {
        color: {
          field: 'value',
          type: 'quantitative',
          scale: colour,
          title: null,
          legend: { orient: 'right', gradientLength: Math.min(240, step * labels.length) },
        },
      },
    },
  ];
  if (step >= TEXT_STEP)
    layers.push({
      mark: { type: 'text', fontSize: step >= 32 ? 10 : 8.5 },
      encoding: {
        text: { field: 'label' },
        color: { condition: { test: 'abs(datum.value) > 0.6', value: 'white' }, value: 'black' },
      },
    });
  // Labels come cut to fit (axis-labels.ts): Vega's own limit would cut them again into look-alikes.
  const axis = { labelLimit: 400 };
  return {
    title: { text: options.title, subtitle: options.subtitle },
    width: { step },
    height: { step },
    data: { values },
    encoding: {
      x: { field: 'a', type: 'nominal', sort: [...labels], title: null, axis: { ...axis, labelAngle: -45 } },
      y: { field: 'b', type: 'nominal', sort: [...labels], title: null, axis },
    },
    layer: layers,
  } as TopLevelSpec;
}
