/** The files a saved CTGAN folder holds (the output guard protects each of them). */
import { MODEL_JSON } from '../saved-file.js';

export const CTGAN_WEIGHTS = 'generator.bin';
/** The critic's weights (format 2): what fine-tuning needs beyond sampling. */
export const CTGAN_CRITIC = 'discriminator.bin';
export const CTGAN_FILES = [MODEL_JSON, CTGAN_WEIGHTS, CTGAN_CRITIC] as const;
