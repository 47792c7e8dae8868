/** The one place that picks a network's runner for the active backend: fused unless a TensorFlow.js backend was chosen. */
import type { BackendName } from '../../../core/backend-names.js';
import { FusedNet } from './fused-net.js';
import type { Net } from './net.js';
import type { NetSpec } from './spec.js';
import { TfjsNet } from './tfjs-net.js';

export const createNet = (spec: NetSpec, backend: BackendName, initial: Float32Array): Net =>
  backend === 'fused' ? new FusedNet(spec, initial) : new TfjsNet(spec, initial);
