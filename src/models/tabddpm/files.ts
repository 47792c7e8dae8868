/** The files a saved TabDDPM folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const TABDDPM_WEIGHTS = 'weights.bin';
export const TABDDPM_FILES = [MODEL_JSON, TABDDPM_WEIGHTS] as const;
