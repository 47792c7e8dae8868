/**
 * Screenshots of an HTML report's sections for the docs, taken in the system Chromium:
 * node dist/scripts/screenshot-report.js REPORT.html OUT_DIR [section ...]
 * (GESALP_CHROMIUM, else `chromium` on the PATH). Writes OUT_DIR/<section>.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [report, outDir, ...wanted] = process.argv.slice(2);
if (!report || !outDir) {
  process.stderr.write('usage: node dist/scripts/screenshot-report.js REPORT.html OUT_DIR [section ...]\n');
  process.exit(2);
}
const chromium = process.env.GESALP_CHROMIUM ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
mkdirSync(outDir, { recursive: true });
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' });
  const ids = wanted.length ? wanted : await page.$$eval('section', (all) => all.map((s) => s.id));
  for (const id of ids) {
    const section = await page.$(`section#${id}`);
    if (!section) throw new Error(`no section #${id} in ${report}`);
    const path = join(outDir, `${id}.png`);
    await section.screenshot({ path: path as `${string}.png` });
    process.stdout.write(`wrote ${path}\n`);
  }
} finally {
  await browser.close();
}
