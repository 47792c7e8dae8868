/** The files a saved TVAE folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const TVAE_WEIGHTS = 'weights.bin';
export const TVAE_FILES = [MODEL_JSON, TVAE_WEIGHTS] as const;
