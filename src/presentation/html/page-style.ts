/** The page's only style sheet, inline: system fonts, no web fonts, nothing fetched. */
export const PAGE_STYLE = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #f6f8fa; }
header, main, footer { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
header h1 { font-size: 22px; margin: 20px 0 4px; }
header p { margin: 0 0 8px; color: var(--muted); }
nav { margin: 8px 0 0; font-size: 13px; }
nav a { margin-right: 12px; color: #0969da; text-decoration: none; }
section { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 12px 18px 16px; margin: 16px 0; }
h2 { font-size: 18px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
h4 { font-size: 14px; margin: 6px 0 4px; }
table { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
table.compact td, table.compact th { padding: 2px 8px; font-size: 13px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
/* The metrics table takes the page's width; a long check message wraps in its cell, never a metric name. */
table.metrics { width: 100%; }
table.metrics td:not(:last-child) { white-space: nowrap; }
code.metric-name { word-break: normal; }
.message { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-weight: 600; font-size: 13px; }
.badge.pass { color: var(--pass); background: #dafbe1; }
.badge.fail { color: var(--fail); background: #ffebe9; }
.badge.muted { color: var(--muted); background: #eaeef2; font-weight: normal; }
p.verdict { font-size: 18px; margin: 4px 0; }
p.verdict .badge { font-size: 18px; padding: 3px 12px; }
.compliance { color: var(--muted); margin-left: 8px; }
.quality { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: center; margin: 4px 0 12px; }
.quality-score { text-align: center; }
.quality-score .score { font-size: 44px; font-weight: 700; line-height: 1; }
.quality-score .out-of { color: var(--muted); margin-left: 4px; }
.quality-score div { color: var(--muted); font-size: 12px; }
.quality-parts { flex: 1 1 420px; }
.quality-parts p { margin: 2px 0; }
table.checkpoints td, table.checkpoints th { white-space: nowrap; }
tr.kept td { background: #fff8c5; }
.kept-mark { color: #6f42c1; white-space: nowrap; }
ul.checks { list-style: none; padding: 0; margin: 6px 0; }
ul.checks li { margin: 3px 0; }
.grid { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-start; }
/* The figure takes its chart's width (the caption adds none and wraps to it); a chart wider than the page scales down. */
figure { margin: 0; width: fit-content; max-width: 100%; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { contain: inline-size; font-size: 12px; color: var(--muted); padding-top: 2px; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 24px; }
@media print { body { background: white; } section { break-inside: avoid; border: none; } nav { display: none; } }
`;
