import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleScanKernel, kernelModuleSource } from '../../scripts/build-scan-kernel.js';
import { ScanKernel } from '../../src/metrics/neighbours/scan-kernel.js';

describe('ScanKernel', () => {
  it('is assembled from the committed scan-kernel.wat (npm run build:kernel)', async () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../src/metrics/neighbours/scan-kernel.wasm.ts', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(kernelModuleSource(await assembleScanKernel()));
  });

  it('adds the group tables, finds the row minimum and lowers the column minima', () => {
    // 5 references, 2 groups; row distances and tables chosen by hand.
    const kernel = new ScanKernel(5, [2, 3], [Int32Array.of(0, 1, 0, 1, 0), Int32Array.of(2, 2, 0, 1, 2)], 10);
    kernel.tables[0].set([0, 1]);
    kernel.tables[1].set([0, 1, 2]);
    kernel.load(Float32Array.of(0.5, 0.25, 2, 0.1, 1.5, /* row 1 */ 9, 9, 0.2, 9, 9));
    // row 0: 0.5+0+2, 0.25+1+2, 2+0+0, 0.1+1+1, 1.5+0+2 = 2.5, 3.25, 2, 2.1, 3.5
    expect(kernel.scan(0, 0, 5, 7)).toBe(2);
    expect(kernel.scan(0, 0, 2, 7)).toBe(0);
    // row 1: 11, 12, 0.2, 11, 11
    expect(kernel.scan(1, 0, 5, 8)).toBe(2);
    expect(Array.from(kernel.colMin())).toEqual([2.5, 3.25, Math.fround(0.2), Math.fround(2.1), 3.5]);
    expect(Array.from(kernel.colNearest())).toEqual([7, 7, 8, 7, 7]);
  });
});
