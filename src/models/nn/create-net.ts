/** The one place that picks a network's runner for the backend: fused unless a TensorFlow.js backend was chosen. */
import type { BackendName } from '../../core/backend-names.js';
import { FusedNet } from './fused/fused-net.js';
import type { Net } from './net.js';
import type { NetSpec } from './spec.js';

/** Makes a network; `training` false: a forward-only one (sampling), which the fused engine lays out without gradients. */
export type NetMaker = (spec: NetSpec, initial: Float32Array, training?: boolean) => Net;

export const fusedNets: NetMaker = (spec, initial, training = true) => new FusedNet(spec, initial, training);

/**
 * The runner of `backend`'s networks. TensorFlow.js is loaded (its gradients registered, then the
 * backend started) for a TensorFlow.js backend alone: a fused training worker never loads it,
 * which would cost the worker about 60 MB.
 */
export async function netMaker(backend: BackendName): Promise<NetMaker> {
  if (backend === 'fused') return fusedNets;
  const { TfjsNet } = await import('./tfjs/tfjs-net.js');
  const { useBackend } = await import('../../core/backend.js');
  await useBackend(backend);
  return (spec, initial) => new TfjsNet(spec, initial);
}
