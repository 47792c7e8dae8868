/** Issue 28 item 3: heatmaps sized to the page with their values, the difference map white at 0. */
import { describe, expect, it } from '@jest/globals';
import { heatmapSpec, heatmapsPerRow, heatmapStep } from '../../../src/presentation/html/heatmap-spec.js';
import { renderSvg } from '../../../src/presentation/html/vega-svg.js';

const square = (n: number, value: (x: number, y: number) => number | null) =>
  Array.from({ length: n }, (_, x) => Array.from({ length: n }, (_, y) => value(x, y)));
const names = (n: number) => Array.from({ length: n }, (_, k) => `column_${k}`);

describe('heatmaps', () => {
  it('keep cells wide enough for their values at 18 columns, one heatmap a row', () => {
    expect(heatmapsPerRow(18)).toBe(1);
    expect(heatmapStep(18)).toBeGreaterThanOrEqual(30);
    expect(heatmapsPerRow(4)).toBe(3);
  });

  it('write the values at 18 columns, and the map is wider than half the page', async () => {
    const svg = await renderSvg(
      heatmapSpec(
        names(18),
        square(18, (x, y) => (x === y ? null : 0.42)),
        { title: 'Real', subtitle: 'association', difference: false },
      ),
    );
    expect(svg).toContain('>0.42</text>');
    expect(Number(svg.match(/<svg[^>]* width="(\d+)"/)![1])).toBeGreaterThan(660);
  });

  it('colour the difference map from white at 0', async () => {
    const svg = await renderSvg(
      heatmapSpec(
        ['a', 'b', 'c'],
        square(3, (x, y) => (x === y ? null : x + y === 3 ? 0.5 : 0)),
        { title: 'Difference', subtitle: 'difference', difference: true },
      ),
    );
    const cells = [...svg.matchAll(/<path[^>]*aria-label="a: [^"]*value: ([0-9.]+)"[^>]*fill="([^"]+)"/g)];
    const white = (fill: string) => ['#ffffff', '#fff', 'rgb(255, 255, 255)', 'white'].includes(fill);
    const fills = cells.map((m) => ({ value: Number(m[1]), white: white(m[2]) }));
    expect(fills).toContainEqual({ value: 0, white: true });
    expect(fills).toContainEqual({ value: 0.5, white: false });
  });
});
