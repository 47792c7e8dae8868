import { describe, expect, it } from '@jest/globals';
import { tf, useBackend } from '../../src/core/backend.js';
import { float32Values } from '../../src/metrics/neighbours/tensor-view.js';

describe('float32Values', () => {
  it('reads the same values as dataSync on the active backend', async () => {
    await useBackend('auto');
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = tf.tensor2d([
      [0.5, -1, 2],
      [1.5, 0.25, -3],
    ]);
    const product = tf.matMul(a, b);
    expect(Array.from(float32Values(tf, product))).toEqual(Array.from(product.dataSync()));
    tf.dispose([a, b, product]);
  });
});
