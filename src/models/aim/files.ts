/** The files a saved AIM folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const AIM_POTENTIALS = 'potentials.bin';
export const AIM_FILES = [MODEL_JSON, AIM_POTENTIALS] as const;
