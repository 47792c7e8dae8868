/**
 * The WebAssembly row scan (scan-kernel.wat) and its memory: each reference's group signatures,
 * the per-query mismatch tables, the running column minima and one block of distances.
 * Measured on adult (20k x 26.5k distances): the same loop in JavaScript was half the search time.
 */
import { SCAN_KERNEL_WASM } from './scan-kernel.wasm.js';

const module = new WebAssembly.Module(Buffer.from(SCAN_KERNEL_WASM, 'base64'));

type ScanFunction = (
  row: number,
  from: number,
  to: number,
  groups: number,
  tableOffsets: number,
  sigs: number,
  nr: number,
  colMin: number,
  colNearest: number,
  query: number,
) => number;

export class ScanKernel {
  /** One mismatch table per group, for fillMismatchTable to write a query's counts into. */
  readonly tables: Float32Array[];
  private readonly scanFunction: ScanFunction;
  private readonly block: Float32Array;
  private readonly colMinView: Float32Array;
  private readonly colNearestView: Int32Array;
  private readonly at: { sigs: number; tableOffsets: number; colMin: number; colNearest: number; block: number };

  constructor(
    private readonly nr: number,
    groupSizes: readonly number[],
    signatures: readonly Int32Array[],
    blockElements: number,
  ) {
    const groups = groupSizes.length;
    const sigs = 0;
    const tableOffsets = sigs + 4 * groups * nr;
    let next = tableOffsets + 4 * groups;
    const tableStarts = groupSizes.map((size) => {
      const start = next;
      next += 4 * size;
      return start;
    });
    const colMin = next;
    const colNearest = colMin + 4 * nr;
    const block = colNearest + 4 * nr;
    const bytes = block + 4 * blockElements;
    const instance = new WebAssembly.Instance(module);
    const memory = instance.exports.memory as WebAssembly.Memory;
    memory.grow(Math.max(0, Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536));
    this.scanFunction = instance.exports.scan as ScanFunction;
    const buffer = memory.buffer;
    signatures.forEach((s, g) => new Int32Array(buffer, sigs + 4 * g * nr, nr).set(s));
    new Int32Array(buffer, tableOffsets, groups).set(tableStarts);
    this.tables = groupSizes.map((size, g) => new Float32Array(buffer, tableStarts[g], size));
    this.colMinView = new Float32Array(buffer, colMin, nr).fill(Infinity);
    this.colNearestView = new Int32Array(buffer, colNearest, nr).fill(-1);
    this.block = new Float32Array(buffer, block, blockElements);
    this.at = { sigs, tableOffsets, colMin, colNearest, block };
  }

  /** Copies a block of squared numeric distances (rows of nr) into the kernel's memory. */
  load(distances: Float32Array): void {
    this.block.set(distances);
  }

  /** Scans row `row` of the loaded block over references [from, to); returns the nearest's index. */
  scan(row: number, from: number, to: number, query: number): number {
    const { at, nr } = this;
    return this.scanFunction(
      at.block + 4 * row * nr,
      from,
      to,
      this.tables.length,
      at.tableOffsets,
      at.sigs,
      nr,
      at.colMin,
      at.colNearest,
      query,
    );
  }

  colMin(): Float32Array {
    return this.colMinView.slice();
  }

  colNearest(): Int32Array {
    return this.colNearestView.slice();
  }
}
