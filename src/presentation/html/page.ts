/**
 * One self-contained HTML file: inline style, charts as inline SVG drawn when the file is written,
 * no script, and a Content-Security-Policy that forbids the page any request at all, so it opens
 * offline and cannot leak what it shows.
 */
import { basename } from 'node:path';
import { VERSION } from '../../core/version.js';
import { escape } from './markup.js';
import { PAGE_STYLE } from './page-style.js';
import { SECTIONS } from './sections/index.js';
import type { ReportPage, Section } from './sections/section.js';

export type { ReportPage } from './sections/section.js';

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export async function renderHtmlReport(page: ReportPage, sections: readonly Section[] = SECTIONS): Promise<string> {
  const started = performance.now();
  const drawn: { section: Section; body: string }[] = [];
  for (const section of sections) {
    const body = await section.render(page);
    if (body !== null) drawn.push({ section, body });
  }
  const e = page.evaluation;
  // The private page of a DP run carries only its evaluation: its notice names it.
  const kind = page.notice ? 'private evaluation, outside the DP guarantee' : page.generation ? 'generate' : 'evaluate';
  const synthetic = page.generation?.output?.path ?? e?.inputs.synthetic.path ?? '';
  // The file's name: the default output path is absolute, and the full path is in the line below and in the inputs table.
  const title = `gesalp ${kind}: ${basename(synthetic)}`;
  const against = e
    ? `Real ${escape(e.inputs.real.path)} against synthetic ${escape(e.inputs.synthetic.path)}${e.inputs.holdout ? `, holdout ${escape(e.inputs.holdout.path)}` : ''}`
    : `Synthetic ${escape(synthetic)}, released under differential privacy`;
  const nav = drawn.map(({ section }) => `<a href="#${section.id}">${escape(section.title)}</a>`).join('');
  const body = drawn
    .map(({ section, body }) => `<section id="${section.id}">\n<h2>${escape(section.title)}</h2>\n${body}\n</section>`)
    .join('\n');
  const seconds = (performance.now() - started) / 1000;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gesalp ${escape(VERSION)}">
<title>${escape(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p>${against}; ${escape(page.generation?.created_at ?? e?.created_at ?? '')}.</p>
<nav>${nav}</nav>
</header>
<main>
${body}
</main>
<footer>Written by gesalp ${escape(VERSION)} in ${seconds.toFixed(2)} s; charts drawn with Vega-Lite as inline SVG. The JSON report holds the same data under <code>figures</code>.</footer>
</body>
</html>
`;
}
