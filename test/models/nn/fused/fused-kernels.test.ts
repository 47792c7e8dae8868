import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileFusedKernels, FUSED_MODULE, fusedModuleSource } from '../../../../scripts/build-fused-kernels.js';
import { createRng } from '../../../../src/core/rng.js';
import { KernelMemory } from '../../../../src/models/nn/fused/kernels.js';

describe('the fused engine kernels', () => {
  it('are compiled from the committed assembly/fused-kernels.ts (npm run build:fused)', async () => {
    // Compared by hash: a mismatch should say so in one line, not print two 20 KB strings.
    const hash = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(hash(readFileSync(FUSED_MODULE, 'utf8'))).toBe(hash(fusedModuleSource(await compileFusedKernels())));
  });

  it('multiply matrices as a plain triple loop does, for every tail of rows and columns and each stride form', () => {
    const rng = createRng(3);
    for (const [m, n, k] of [
      [1, 4, 1],
      [3, 12, 5],
      [4, 8, 7],
      [9, 20, 16],
      [33, 132, 65],
    ]) {
      const mem = new KernelMemory();
      const a = mem.alloc(m * k);
      const b = mem.alloc(k * n);
      const c = mem.alloc(m * n);
      const f32 = mem.f32;
      const A = Float32Array.from({ length: m * k }, () => rng.next() - 0.5);
      const B = Float32Array.from({ length: k * n }, () => rng.next() - 0.5);
      const C0 = Float32Array.from({ length: m * n }, () => rng.next() - 0.5);
      f32.set(B, b / 4);
      for (const transposedA of [false, true]) {
        for (const accumulate of [0, 1]) {
          // A as [m, k] row-major, or stored transposed as [k, m] and read with swapped strides.
          if (transposedA)
            for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) f32[a / 4 + p * m + i] = A[i * k + p];
          else f32.set(A, a / 4);
          f32.set(C0, c / 4);
          const [ars, acs] = transposedA ? [1, m] : [k, 1];
          mem.k.gemm(a, ars, acs, b, n, c, n, m, n, k, accumulate);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let sum = accumulate ? C0[i * n + j] : 0;
              for (let p = 0; p < k; p++) sum += A[i * k + p] * B[p * n + j];
              expect(mem.f32[c / 4 + i * n + j]).toBeCloseTo(sum, 4);
            }
          }
        }
      }
    }
  });
});
