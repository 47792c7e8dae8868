/**
 * A rough training-time estimate before anything runs (gesalp suggest): TabDDPM's cost per
 * training row grows with the denoiser's weight count, calibrated on a measured run
 * (bench/results/train-throughput.md: adult, 94,446 weights, 8,650 rows/s on 2 wasm threads of
 * a 2-core Xeon). generate itself times its first steps instead.
 */
import type { TimeEstimate } from '../descriptor.js';
import { weightCount } from './denoiser.js';

const CALIBRATION = { weights: 94446, rowsPerSecond: 8650, machine: '2 wasm threads on a 2-core x86 VM' };

export function estimateDdpmSeconds(
  params: Readonly<Record<string, number>>,
  trainRows: number,
  inputWidth: number,
): TimeEstimate {
  const weights = weightCount({ inputWidth, layers: params.layers, width: params.width });
  const rowsPerSecond = (CALIBRATION.rowsPerSecond * CALIBRATION.weights) / weights;
  return {
    seconds: (trainRows * params.n_iter) / rowsPerSecond,
    basis: `${Math.round(rowsPerSecond).toLocaleString('en-US')} training rows/s for ${weights.toLocaleString('en-US')} weights, scaled from a measured run (${CALIBRATION.machine}); early stopping usually ends sooner`,
  };
}
