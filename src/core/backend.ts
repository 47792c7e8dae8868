/**
 * The one place that picks the backend: tensorflow-gpu, tensorflow (native
 * libtensorflow, optional dependencies that only install where they can download it), fused
 * (gesalp's own WebAssembly SIMD training engine, the portable fast path), wasm (TensorFlow.js's),
 * cpu (pure JS, the last resort), in that order.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// tfjs-core and the cpu backend, not the @tensorflow/tfjs union (layers, converter, data): 0.13 s less start-up per process and worker.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { optionError, resourceError, unknownNameHint, usageError } from './errors.js';

import { BACKENDS, type BackendChoice, type BackendName } from './backend-names.js';

export { BACKENDS, type BackendChoice, type BackendName };

export interface BackendInfo {
  readonly name: BackendName;
  /** Why the backends before it were passed over. */
  readonly skipped: string[];
}

const require = createRequire(import.meta.url);

// tfjs prints advice on the console ("Hi, looks like you are running TensorFlow.js in Node.js ...",
// platform overrides) unless PROD is set; PROD silences only that (DEBUG and its checks stay off).
// The backend gesalp picked, and why, is for the command to say on stderr, which -q can silence.
tf.env().set('PROD', true);

const loaders: Record<BackendName, () => Promise<void>> = {
  'tensorflow-gpu': async () => {
    await import('@tensorflow/tfjs-node-gpu' as string);
    await activate('tensorflow');
  },
  tensorflow: async () => {
    await import('@tensorflow/tfjs-node' as string);
    await activate('tensorflow');
  },
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
    wasm.setWasmPaths(dist);
    await activate('wasm');
  },
  // The fused engine trains the networks in its own WebAssembly SIMD kernels; the tensor code of
  // the metrics runs on TensorFlow.js's wasm backend (where that cannot start, auto moves on).
  fused: async () => {
    try {
      new WebAssembly.Module(SIMD_PROBE);
    } catch {
      throw new Error('this runtime has no WebAssembly SIMD');
    }
    await loaders.wasm();
  },
  cpu: async () => activate('cpu'),
};

/** (module (func (result v128) (f32x4.splat (f32.const 0)))): validates only where WebAssembly SIMD runs. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 67, 0, 0, 0, 0, 253, 19, 11,
]);

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

let current: BackendInfo | undefined;

/** Activates the requested backend (auto: the first that loads) once per process. */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (choice !== 'auto' && !(BACKENDS as readonly string[]).includes(choice)) {
    throw usageError(`unknown backend '${choice}'`, unknownNameHint(choice, ['auto', ...BACKENDS]));
  }
  if (current && (choice === 'auto' || choice === current.name)) return current;
  const candidates = choice === 'auto' ? BACKENDS : [choice];
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      await loaders[name]();
      current = { name, skipped };
      return current;
    } catch (error) {
      skipped.push(`${name}: ${firstLine(error)}`);
    }
  }
  // The WebAssembly backends fail to load, saying only that, when the process may not reserve wasm memory.
  if (!wasmMemoryReservable()) throw resourceError(`no WebAssembly memory could be reserved for backend '${choice}'`);
  throw optionError(
    'usage',
    'backend',
    `backend '${choice}' could not be loaded (${skipped.join('; ')})`,
    'Use {backend} auto, or install the package for that backend.',
  );
}

/** Whether this process may reserve a WebAssembly memory at all (an address-space limit such as ulimit -v refuses it). */
function wasmMemoryReservable(): boolean {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1 });
    return true;
  } catch {
    return false;
  }
}

/** The backend this process activated (what runs networks outside training), or fused before any was chosen. */
export const activeBackend = (): BackendName => current?.name ?? 'fused';

const firstLine = (error: unknown): string => String((error as Error)?.message ?? error).split('\n')[0];

export { tf };
