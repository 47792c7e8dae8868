/** What every API call can be given besides its options: where its messages go, and a way to stop it. */
export interface ApiHooks {
  /** Progress and facts worth a line (what was read, the backend, the method). */
  readonly info?: (text: string) => void;
  /** Things the caller should know (an identifier column, a weak setting). */
  readonly warn?: (text: string) => void;
  /** Aborting stops the call; it then rejects and returns nothing. */
  readonly signal?: AbortSignal;
}
