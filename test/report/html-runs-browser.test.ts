/**
 * Issue 28's acceptance, in headless Chromium at 1400 px: the pages of a FAILING and a PASSING
 * generate run (test/helpers/weather-report.ts, built in seconds) read as laid out: no metric name
 * wraps, heatmap labels are distinct and scale to the page, the point-mass bar and the ECDF are
 * there for a column with exact zeros, and the kept checkpoint is marked. Skipped, saying so, only
 * when no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { findChromium } from '../helpers/chromium.js';
import { failingWeatherReport, passingWeatherReport } from '../helpers/weather-report.js';

/** What the callbacks run inside the page use: Node's type library has no DOM, so they are named here. */
interface Box {
  width: number;
  height: number;
}
interface PageElement {
  getBoundingClientRect(): Box;
  getClientRects(): { length: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  childNodes: Iterable<{ nodeType: number; textContent: string | null }>;
  textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null } & Pick<PageElement, 'querySelectorAll'>;
declare function getComputedStyle(element: PageElement): { backgroundColor: string };

const chromium = findChromium();
if (!chromium)
  process.stderr.write(
    "html-runs-browser.test: no Chromium found (install Debian's chromium or set GESALP_CHROMIUM): the browser check is SKIPPED\n",
  );
const describeWithBrowser = chromium ? describe : describe.skip;

/** Everything the checks read from one page, measured in the browser. */
function measure() {
  const own = (text: PageElement) =>
    [...text.childNodes]
      .filter((n) => n.nodeType === 3)
      .map((n) => n.textContent)
      .join('');
  const rects = (el: PageElement) => el.getClientRects().length;
  const main = document.querySelector('main')!.getBoundingClientRect().width;
  const precipitation = document.querySelector('figure[data-column="precipitation"]')!;
  const loss = document.querySelector('figure.loss');
  const kept = [...document.querySelectorAll('table.checkpoints tr.kept')];
  const other = document.querySelector('table.checkpoints tbody tr:not(.kept)');
  return {
    metricNameLines: [...document.querySelectorAll('table.metrics tbody td:first-child code')].map((c) => [
      c.textContent,
      rects(c),
    ]),
    metricsTableWidth: document.querySelector('table.metrics')!.getBoundingClientRect().width,
    main,
    heatmaps: [...document.querySelectorAll('figure.heatmap')].map((f) => ({
      width: f.querySelector('svg')!.getBoundingClientRect().width,
      axes: [...f.querySelectorAll('g.role-axis-label')].map((axis) =>
        [...axis.querySelectorAll('text')].map((t) => ({ label: own(t), full: t.querySelector('title')?.textContent })),
      ),
    })),
    pointMassBars: [...precipitation.querySelectorAll('g.exact_values_marks path')].map(
      (p) => p.getBoundingClientRect().height,
    ),
    pointMassLabels: [...precipitation.querySelectorAll('g.role-axis-label text')].map(own),
    ecdfCurves: [...precipitation.querySelectorAll('g.ecdf_marks path')].map((p) => p.getBoundingClientRect().width),
    ksGap: [...precipitation.querySelectorAll('g.ks_gap_marks line')].map((l) => l.getBoundingClientRect().height),
    keptRows: kept.map((row) => row.querySelector('td')!.textContent),
    keptBackground: kept[0] ? getComputedStyle(kept[0].querySelector('td')!).backgroundColor : null,
    otherBackground: other ? getComputedStyle(other.querySelector('td')!).backgroundColor : null,
    keptOnChart: loss
      ? {
          rules: [...loss.querySelectorAll('g.kept_checkpoint_marks line')].map(
            (l) => l.getBoundingClientRect().height,
          ),
          label: [...loss.querySelectorAll('g.kept_label_marks text')].map(own),
        }
      : null,
  };
}

type Measured = ReturnType<typeof measure> & { errors: string[] };
const RUNS = {
  failing: { build: failingWeatherReport, kept: '160' },
  passing: { build: passingWeatherReport, kept: '120' },
};

describeWithBrowser('the pages of a failing and a passing run in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  const pages = {} as Record<keyof typeof RUNS, Measured>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-html-runs-'));
    const { default: puppeteer } = await import('puppeteer-core');
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox'] });
    for (const [name, run] of Object.entries(RUNS) as [keyof typeof RUNS, (typeof RUNS)['failing']][]) {
      const file = join(dir, `${name}.report.html`);
      writeFileSync(file, (await run.build()).html);
      pages[name] = await measured(browser, file);
    }
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const each = (check: (m: Measured, run: (typeof RUNS)['failing'], name: string) => void) => () => {
    for (const [name, run] of Object.entries(RUNS)) check(pages[name as keyof typeof RUNS], run, name);
  };

  it(
    'opens both pages without a console error',
    each((m) => expect(m.errors).toEqual([])),
  );

  it(
    'keeps every metric name on one line, however long a check message, and the table within the page',
    each((m) => {
      expect(m.metricNameLines.length).toBeGreaterThanOrEqual(13);
      for (const [metric, lines] of m.metricNameLines) expect({ metric, lines }).toEqual({ metric, lines: 1 });
      expect(m.metricsTableWidth).toBeLessThanOrEqual(m.main + 1);
    }),
  );

  it(
    'labels the heatmaps with distinct names, each with its full name as a tooltip',
    each((m) => {
      expect(m.heatmaps).toHaveLength(3);
      for (const heatmap of m.heatmaps)
        for (const axis of heatmap.axes) {
          expect(new Set(axis.map((t) => t.label)).size).toBe(axis.length);
          for (const t of axis) expect(t.full).toBeTruthy();
        }
    }),
  );

  it('scales the heatmaps of 18 columns to the page: wide cells, not a thumbnail', () => {
    for (const heatmap of pages.failing.heatmaps) expect(heatmap.width).toBeGreaterThan(0.55 * pages.failing.main);
  });

  it(
    "draws precipitation's exact zeros as bars of their own, and its ECDFs with the KS gap",
    each((m, _, name) => {
      expect(m.pointMassLabels).toContain('= 0');
      expect(m.pointMassBars).toHaveLength(2);
      for (const height of m.pointMassBars) expect(height).toBeGreaterThan(5);
      expect(m.ecdfCurves).toHaveLength(2);
      for (const width of m.ecdfCurves) expect(width).toBeGreaterThan(100);
      expect(m.ksGap).toHaveLength(1);
      // The gap is KS on a 0-1 axis: wide where the zeros were thinned, thin where the run passed.
      expect(m.ksGap[0]).toBeGreaterThan(name === 'failing' ? 20 : 0);
    }),
  );

  it(
    'marks the kept checkpoint: one highlighted row, and a solid line with its label on the loss chart',
    each((m, run) => {
      expect(m.keptRows).toEqual([run.kept]);
      expect(m.keptBackground).not.toBe(m.otherBackground);
      expect(m.keptOnChart?.label).toEqual([`kept: epoch ${run.kept}`]);
      expect(m.keptOnChart?.rules).toHaveLength(1);
      expect(m.keptOnChart!.rules[0]).toBeGreaterThan(100);
    }),
  );
});

/** Opens a page at 1400 px and measures it, with the console errors it logged. */
async function measured(browser: Browser, file: string): Promise<Measured> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${String(e)}`));
  await page.setViewport({ width: 1400, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const m = await page.evaluate(measure);
  await page.close();
  return { ...m, errors };
}
