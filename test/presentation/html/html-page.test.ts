import { beforeAll, describe, expect, it } from '@jest/globals';
import { useBackend } from '../../../src/core/backend.js';
import { DEFAULT_THRESHOLDS } from '../../../src/metrics/thresholds.js';
import { evaluateTables } from '../../../src/metrics/evaluate.js';
import { buildEvaluationReport } from '../../../src/metrics/evaluation-report.js';
import { buildFigures } from '../../../src/metrics/figures/figures.js';
import { renderHtmlReport } from '../../../src/presentation/html/page.js';
import { SECTIONS } from '../../../src/presentation/html/sections/index.js';
import type { Schema } from '../../../src/core/schema/schema.js';
import { PENGUIN_COLUMNS, penguinsReport } from '../../helpers/penguins-report.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

/** The page's <section> ids, in order. */
const sectionIds = (html: string) => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);

/** Every way a page could make the browser fetch something. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const pattern of [
    /https?:\/\//gi, // any absolute web address at all, even in text
    /\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi, // protocol-relative addresses
    /<script\b/gi, // no script, inline or not
    /\ssrc\s*=/gi,
    /\shref\s*=\s*"(?!#)/gi, // links only to anchors in the page
    /url\(\s*(?!#)/gi, // CSS or SVG references other than to ids in the page
    /@import/gi,
    /<(link|iframe|object|embed|img|image|use)\b/gi,
  ])
    for (const m of html.matchAll(pattern)) found.push(m[0]);
  return found;
}

describe('the HTML report of the penguins fixture', () => {
  let html: string;
  beforeAll(async () => {
    ({ html } = await penguinsReport());
  });

  it('shows the detector, its giveaway columns and the three attack risks with their control rates', () => {
    const section = html.slice(
      html.indexOf('<section id="learned"'),
      html.indexOf('</section>', html.indexOf('<section id="learned"')),
    );
    expect(section).toContain('Detection: can a classifier tell synthetic rows from real ones?');
    for (const attack of ['singling out', 'linkability', 'attribute inference']) expect(section).toContain(attack);
    expect(section).toMatch(/Body Mass \(g\)|Flipper Length \(mm\)|Beak (Length|Depth) \(mm\)/);
  });

  it('has the sections of an evaluate report in the issue order, and none of generate', () => {
    expect(sectionIds(html)).toEqual([
      'verdict',
      'metrics',
      'columns',
      'associations',
      'privacy',
      'learned',
      'provenance',
    ]);
  });

  it('says the verdict in words: the failing check with its value and threshold', () => {
    const verdict = html.slice(html.indexOf('<section id="verdict">'), html.indexOf('<section id="metrics">'));
    expect(verdict).toContain('NOT ALL GREEN: corr_delta, detection_auc');
    expect(verdict).toMatch(/✗ FAIL<\/span> corr_delta = 0\.5\d*, needs &lt;= 0\.1/);
    expect(verdict).toMatch(/✓ pass<\/span> mia_auc = 0\.\d+ &lt;= 0\.6/);
    // Six checks, two failing (the baseline resamples each column on its own, which a detector sees at once).
    // compliance_score counts passing checks, and says so (the quality score is another figure).
    expect(verdict).toContain('checks passed 66.7%');
    expect(verdict).toMatch(/✗ FAIL<\/span> detection_auc = 0\.9\d*, needs &lt;= 0\.75/);
  });

  it('draws every column as an inline SVG chart with its KS or TVD', () => {
    for (const name of PENGUIN_COLUMNS) {
      const escaped = name.replace(/\(/g, '\\(').replace(/\)/g, '\\)');
      const figure = html.match(new RegExp(`<figure class="column" data-column="${escaped}"><svg[\\s\\S]*?</figure>`));
      expect(figure).not.toBeNull();
      expect(figure![0]).toMatch(/<figcaption>[^<]*: (KS|TVD) 0\.\d{3}<\/figcaption>/);
      // The chart has bars (paths in Vega's SVG), not just axes.
      expect((figure![0].match(/<path /g) ?? []).length).toBeGreaterThan(5);
    }
    expect(html.match(/<figure class="column"/g)).toHaveLength(PENGUIN_COLUMNS.length);
  });

  it('draws the three heatmaps, the distance histograms and the ROC curve, and lists the top pairs', () => {
    expect(html.match(/<figure class="heatmap"><svg/g)).toHaveLength(3);
    expect(html).toMatch(/<figure class="dcr"><svg/);
    expect(html).toMatch(/<figure class="roc"><svg/);
    expect(html).toContain('Pairs that contribute most to corr_delta');
    expect(html).toMatch(/Flipper Length \(mm\) × Body Mass \(g\)/);
    expect(html).toMatch(/synthetic rows equal to a training row<\/td><td>0 of 275/);
  });

  it('refers to nothing outside the file: no address, no script, a policy that forbids requests', () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('stays small', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
  });
});

describe('the HTML report with hostile names', () => {
  beforeAll(async () => {
    await useBackend('auto');
  });

  it('escapes column names and categories everywhere, charts included', async () => {
    const name = '<script>alert(1)</script>';
    const level = '"><img src=x onerror=alert(2)>';
    const t = table(
      numeric(name, [1, 2, 3, 4, 5, 6]),
      categorical('c', [0, 1, 0, 1, 0, -1], [level, 'https://evil.example/x']),
    );
    const evaluation = await evaluateTables(t, t, undefined, {
      thresholds: DEFAULT_THRESHOLDS,
      backend: 'wasm',
      seed: 0,
    });
    const schema: Schema = {
      columns: [
        { name, kind: 'numeric', reason: 'test' },
        { name: 'c', kind: 'categorical', reason: 'test' },
      ],
    } as unknown as Schema;
    const file = { path: '<b>x.csv', rows: 6, columns: 2, bytes: 1, sha256: 'x' };
    const report = buildEvaluationReport(evaluation, {
      files: { real: file, synthetic: file, holdout: null },
      schema,
      real: t,
      thresholds: DEFAULT_THRESHOLDS,
      backend: 'wasm',
      seed: 0,
      timings: {},
      figures: await buildFigures(evaluation, { real: t, synthetic: t }, { seed: 0 }),
    });
    const html = await renderHtmlReport({ evaluation: report });
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // A category that looks like an address is shown as text, never as a link or a source.
    expect(html).not.toMatch(/(href|src)\s*=\s*["']?https/i);
  });
});

describe('the section list', () => {
  it('is the one place a section is added: every section has a unique id', () => {
    const ids = SECTIONS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
