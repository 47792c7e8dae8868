/** Issue 28 item 3: chart labels never alike, each name in full on hover. */
import { describe, expect, it } from '@jest/globals';
import { LABEL_CHARS, shortLabels, withLabelTitles } from '../../../src/presentation/html/axis-labels.js';
import { STATIONS } from '../../helpers/weather-tables.js';

describe('short labels', () => {
  it('keeps short names and tells long look-alikes apart within the length', () => {
    const names = ['date', 'precipitation', ...STATIONS];
    const labels = shortLabels(names);
    expect(labels.slice(0, 2)).toEqual(['date', 'precipitation']);
    expect(new Set(labels).size).toBe(names.length);
    for (const label of labels) expect([...label].length).toBeLessThanOrEqual(LABEL_CHARS);
    // Each keeps the name's start and end around one ellipsis.
    for (const [k, label] of labels.entries())
      if (label !== names[k]) {
        const [head, tail] = label.split('…');
        expect(names[k].startsWith(head) && names[k].endsWith(tail)).toBe(true);
      }
  });

  it('numbers names that differ only in the middle, as a last resort', () => {
    const names = ['a_very_long_prefix_1_and_the_same_long_suffix', 'a_very_long_prefix_2_and_the_same_long_suffix'];
    const labels = shortLabels(names);
    expect(new Set(labels).size).toBe(2);
  });

  it('gives each axis label of an SVG its full name as a <title>, escaped', () => {
    const svg =
      '<g class="mark-text role-axis-label" pointer-events="none"><text x="1">a &lt;b…c</text><text>plain</text></g><text>a &lt;b…c</text>';
    const out = withLabelTitles(svg, ['a <b…c', 'plain'], ['a <b and c', 'plain']);
    expect(out).toContain('<text x="1"><title>a &lt;b and c</title>a &lt;b…c</text>');
    expect(out).toContain('<text><title>plain</title>plain</text>');
    // Text outside the axis labels (a title, a cell value) is left alone.
    expect(out.endsWith('<text>a &lt;b…c</text>')).toBe(true);
  });
});
