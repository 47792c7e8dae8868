/**
 * Column names as chart labels: short enough to fit, never two alike (a plain cut turned four
 * `measurement_station_…` columns into one label), and each shown in full on hover through an SVG
 * <title>, which needs no script.
 */
import { escape } from './markup.js';

/** Characters a label keeps; longer names keep their start and end around an ellipsis. */
export const LABEL_CHARS = 20;

/** One label per name, all distinct: the cut that keeps each group of look-alikes apart, numbered as a last resort. */
export function shortLabels(names: readonly string[], max = LABEL_CHARS): string[] {
  const balanced = Math.floor((max - 1) / 2);
  const labels = names.map((name) => cut(name, max, balanced));
  // Tails from the balanced cut outwards: the first that tells a group apart wins.
  const tails = Array.from({ length: max - 2 }, (_, k) => k + 1).sort(
    (a, b) => Math.abs(a - balanced) - Math.abs(b - balanced) || b - a,
  );
  for (const group of duplicateGroups(labels)) {
    const others = new Set(labels.filter((_, k) => !group.includes(k)));
    const tail = tails.find((t) => {
      const tried = group.map((k) => cut(names[k], max, t));
      return new Set(tried).size === group.length && tried.every((l) => !others.has(l));
    });
    group.forEach(
      (k, n) =>
        (labels[k] = tail === undefined ? `${cut(names[k], max - 4, balanced)} (${n + 1})` : cut(names[k], max, tail)),
    );
  }
  return labels;
}

function cut(name: string, max: number, tail: number): string {
  const chars = [...name];
  return chars.length <= max ? name : `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(-tail).join('')}`;
}

/** Indices sharing a label, group by group. */
function duplicateGroups(labels: readonly string[]): number[][] {
  const at = new Map<string, number[]>();
  labels.forEach((label, k) => at.set(label, [...(at.get(label) ?? []), k]));
  return [...at.values()].filter((group) => group.length > 1);
}

/**
 * Gives each label text of a Vega SVG its full name as a <title> child (the browser's tooltip).
 * Vega writes text content with &, < and > escaped; the label is matched the same way.
 */
export function withLabelTitles(svg: string, labels: readonly string[], names: readonly string[]): string {
  const full = new Map(labels.map((label, k) => [svgText(label), names[k]]));
  return svg.replace(
    /(<g class="mark-text role-axis-label"[^>]*>)([\s\S]*?)(<\/g>)/g,
    (_, open: string, texts: string, close: string) =>
      open +
      texts.replace(/(<text\b[^>]*>)([^<]*)(<\/text>)/g, (m, start: string, text: string, end: string) =>
        full.has(text) ? `${start}<title>${escape(full.get(text)!)}</title>${text}${end}` : m,
      ) +
      close,
  );
}

const svgText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
