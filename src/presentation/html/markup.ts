/** Small HTML builders: every piece of text from the data goes through escape(). */
import { formatNumber } from '../../core/text/format.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** A number as the terminal shows it, escaped. */
export const num = (value: number | null | undefined, digits?: number): string => escape(formatNumber(value, digits));

/** A table; `head` and `rows` are HTML already (escape text before passing it); `rowClasses` mark rows (the kept checkpoint). */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  className = '',
  rowClasses: readonly string[] = [],
): string {
  const cls = className ? ` class="${className}"` : '';
  const header = `<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
  const tr = (k: number) => (rowClasses[k] ? `<tr class="${rowClasses[k]}">` : '<tr>');
  const body = rows.map((row, k) => `${tr(k)}${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls}>${header}<tbody>\n${body}\n</tbody></table>`;
}

/** A verdict word with its colour class: the word alone carries the meaning (readable without colour). */
export function badge(kind: 'pass' | 'fail' | 'muted', text: string): string {
  const mark = kind === 'pass' ? '✓ ' : kind === 'fail' ? '✗ ' : '';
  return `<span class="badge ${kind}">${mark}${escape(text)}</span>`;
}

/** A chart (inline SVG) with a caption; `attributes` tag it for readers and tests. */
export function figure(svg: string, caption: string, attributes = ''): string {
  return `<figure${attributes ? ` ${attributes}` : ''}>${svg}<figcaption>${escape(caption)}</figcaption></figure>`;
}
