/** TabDDPM's defaults for a training set: the size table for n_iter and batch_size, fixed values for the rest. */
import { ddpmBatchSize, ddpmEpochs } from '../../optimizer/size-defaults.js';
import { TABDDPM_FIXED_DEFAULTS } from './space.js';

export function tabDdpmDefaults(trainRows: number, columns: number): Record<string, { value: number; rule: string }> {
  const fixed = Object.fromEntries(Object.entries(TABDDPM_FIXED_DEFAULTS).map(([name, value]) => [name, { value, rule: 'default' }]));
  return { n_iter: ddpmEpochs(trainRows), batch_size: ddpmBatchSize(trainRows, columns), ...fixed };
}
