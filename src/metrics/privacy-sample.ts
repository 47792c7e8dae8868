/** Rows per set (R, H, S) above which the distance metrics use a seeded sample (SPEC section 3). */
export const DEFAULT_PRIVACY_SAMPLE = 20000;
