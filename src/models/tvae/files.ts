/** The files a saved TVAE folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const TVAE_WEIGHTS = 'weights.bin';
/** The encoder's weights (format 2): what fine-tuning needs beyond sampling. */
export const TVAE_ENCODER = 'encoder.bin';
export const TVAE_FILES = [MODEL_JSON, TVAE_WEIGHTS, TVAE_ENCODER] as const;
