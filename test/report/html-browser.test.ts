/**
 * The penguins report opened in headless Chromium (puppeteer-core drives the system browser): no
 * console error, no request leaves the file, every chart is laid out, and the screenshot is not blank.
 * Skipped, saying so, only when no Chromium is installed (.ci/run installs Debian's).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { findChromium } from '../helpers/chromium.js';
import { PENGUIN_COLUMNS, penguinsReport } from '../helpers/penguins-report.js';

/** What the callbacks run inside the page use: Node's type library has no DOM, so they are named here. */
interface PageElement {
  getBoundingClientRect(): { width: number; height: number };
  parentElement: { dataset: Record<string, string | undefined> } | null;
}
declare const document: {
  title: string;
  querySelectorAll(selector: string): Iterable<PageElement>;
  createElement(tag: 'canvas'): {
    width: number;
    height: number;
    getContext(kind: '2d'): {
      drawImage(image: unknown, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    } | null;
  };
};
declare const Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };

const chromium = findChromium();
if (!chromium)
  process.stderr.write(
    "html-browser.test: no Chromium found (install Debian's chromium or set GESALP_CHROMIUM): the browser check is SKIPPED\n",
  );
const describeWithBrowser = chromium ? describe : describe.skip;

describeWithBrowser('the HTML report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-html-'));
    file = join(dir, 'penguins.report.html');
    writeFileSync(file, (await penguinsReport()).html);
    const { default: puppeteer } = await import('puppeteer-core');
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens without a console error or a request, lays out every chart, and is not blank', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${String(e)}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // The file itself is the only request.
    expect(requests).toEqual([pathToFileURL(file).href]);
    const layout = await page.evaluate(() => ({
      charts: [...document.querySelectorAll('figure > svg')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { column: svg.parentElement?.dataset.column ?? null, width: box.width, height: box.height };
      }),
      title: document.title,
    }));
    for (const name of PENGUIN_COLUMNS) {
      const chart = layout.charts.find((c) => c.column === name);
      expect(chart?.width).toBeGreaterThan(100);
      expect(chart?.height).toBeGreaterThan(100);
    }
    // Column shapes, 7 columns, 3 heatmaps, 3 top pairs, distances, ROC.
    expect(layout.charts.length).toBe(1 + PENGUIN_COLUMNS.length + 3 + 3 + 2);
    expect(layout.title).toContain('gesalp evaluate');

    const png = await page.screenshot({ fullPage: true, encoding: 'base64' });
    expect(errors).toEqual([]);
    const pixels = await dominantColourShare(browser, png);
    expect(pixels.width).toBe(1280);
    expect(pixels.height).toBeGreaterThan(2000);
    // A blank page is nearly one colour; this one has charts, text and panels.
    expect(pixels.dominantShare).toBeLessThan(0.9);
    expect(pixels.colours).toBeGreaterThan(50);
  });
});

/** Decodes the screenshot in the browser (a page without the report's policy) and counts its colours. */
async function dominantColourShare(browser: Browser, png: string) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (data: string) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.width, image.height];
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const rgba = context.getImageData(0, 0, image.width, image.height).data;
      const counts = new Map<number, number>();
      for (let i = 0; i < rgba.length; i += 4) {
        const key = (rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const top = Math.max(...counts.values());
      return { width: image.width, height: image.height, dominantShare: top / (rgba.length / 4), colours: counts.size };
    }, png);
  } finally {
    await page.close();
  }
}
