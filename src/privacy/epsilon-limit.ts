/**
 * The largest epsilon gesalp accepts for one DP release (generate --epsilon and --grid epsilon,
 * sample-db --epsilon). Past about 20 the guarantee already says little; 1e308 would train with no
 * noise at all while the report still called the run differentially private.
 */
export const MAX_EPSILON = 100;
