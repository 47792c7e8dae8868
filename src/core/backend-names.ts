/** Backend names, apart from the backend module so that reading them loads no TensorFlow.js. */
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'fused', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';
