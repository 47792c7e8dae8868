/** The files a saved CTGAN folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const CTGAN_WEIGHTS = 'generator.bin';
export const CTGAN_FILES = [MODEL_JSON, CTGAN_WEIGHTS] as const;
