/**
 * A float32 tensor's values without a copy where the backend allows it. On wasm, dataSync()
 * slices the values out of the module's heap into a new array (measured: 11 % of adult's
 * distance search); the heap can be read in place until the tensor is disposed. This reads
 * tfjs-backend-wasm internals (dataIdMap, wasm.HEAPU8), so any mismatch falls back to dataSync().
 */
import type * as tfTypes from '@tensorflow/tfjs-core';

interface WasmBackendInternals {
  wasm?: { HEAPU8?: Uint8Array };
  dataIdMap?: { get(dataId: object): { memoryOffset?: number } | undefined };
}

export function float32Values(tf: typeof tfTypes, tensor: tfTypes.Tensor): Float32Array {
  if (tensor.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as WasmBackendInternals;
    const offset = backend.dataIdMap?.get(tensor.dataId)?.memoryOffset;
    const heap = backend.wasm?.HEAPU8;
    if (heap && typeof offset === 'number' && offset % 4 === 0 && offset + 4 * tensor.size <= heap.byteLength) {
      return new Float32Array(heap.buffer, heap.byteOffset + offset, tensor.size);
    }
  }
  return tensor.dataSync() as Float32Array;
}
