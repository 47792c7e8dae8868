/**
 * tfjs-core alone registers no gradients, and its ESM gradient files cannot be imported by Node
 * (extensionless paths); the @tensorflow/tfjs bundle registers them all into the shared global
 * registry. Only training pays this import's start-up cost.
 */
import '@tensorflow/tfjs';
