/** The one place that picks a network's runner for the active backend: fused unless a TensorFlow.js backend was chosen. */
import type { BackendName } from '../../core/backend-names.js';
import { FusedNet } from './fused/fused-net.js';
import type { Net } from './net.js';
import type { NetSpec } from './spec.js';
import { TfjsNet } from './tfjs/tfjs-net.js';

/** `training` false: a forward-only network (sampling), which the fused engine lays out without gradients. */
export const createNet = (spec: NetSpec, backend: BackendName, initial: Float32Array, training = true): Net =>
  backend === 'fused' ? new FusedNet(spec, initial, training) : new TfjsNet(spec, initial);
