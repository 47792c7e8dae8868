/**
 * Histogram gradient-boosted trees (after LightGBM, Ke et al. 2017, and scikit-learn's
 * HistGradientBoosting): binned features, leaf-wise trees on gradient/hessian histograms,
 * shrinkage, early stopping on a seeded validation split. Defaults follow scikit-learn's.
 */
import { createRng, permutation } from '../../core/rng.js';
import { applyBinnings, fitBinnings, type BinnedData, type FeatureBinning, type FeatureInput } from './binning.js';
import { histogramLayout } from './histogram.js';
import { lossFor, type Target } from './losses.js';
import { growTree, treeValue, type Tree } from './tree.js';

export interface BoostingParams {
  readonly learningRate: number;
  readonly maxIterations: number;
  readonly maxLeaves: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  readonly maxBins: number;
  /** 'auto': on when there are more than 10,000 rows (as scikit-learn). */
  readonly earlyStopping: boolean | 'auto';
  readonly validationFraction: number;
  /** Rounds without an improvement of the validation loss before stopping. */
  readonly patience: number;
  readonly seed: number;
}

export const DEFAULT_BOOSTING: BoostingParams = Object.freeze({
  learningRate: 0.1,
  maxIterations: 100,
  maxLeaves: 31,
  maxDepth: 16,
  minSamplesLeaf: 20,
  l2: 0,
  maxBins: 255,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  patience: 10,
  seed: 0,
});

export interface BoostedModel {
  readonly binnings: readonly FeatureBinning[];
  readonly outputs: number;
  readonly init: Float64Array;
  /** Round-major: round i's tree for output k is trees[i * outputs + k]. */
  readonly trees: Tree[];
  readonly rounds: number;
  /** Total split gain per feature, normalised to sum to 1 (all 0 when no tree split). */
  readonly importances: Float64Array;
}

export function fitBoosting(
  features: readonly FeatureInput[],
  target: Target,
  overrides: Partial<BoostingParams> = {},
): BoostedModel {
  const params = { ...DEFAULT_BOOSTING, ...overrides };
  const binnings = fitBinnings(features, params.maxBins);
  const data = applyBinnings(binnings, features);
  const n = data.rows;
  const loss = lossFor(target);
  const outputs = loss.outputs;
  const early = params.earlyStopping === 'auto' ? n > 10000 : params.earlyStopping;
  const order = permutation(n, createRng(params.seed));
  const validationCount = early ? Math.max(1, Math.floor(n * params.validationFraction)) : 0;
  const validation = order.slice(0, validationCount).sort();
  const train = order.slice(validationCount).sort();
  const init = loss.init(train);
  const raw = new Float64Array(n * outputs);
  for (let r = 0; r < n; r++) for (let k = 0; k < outputs; k++) raw[r * outputs + k] = init[k];
  const grads = Array.from({ length: outputs }, () => new Float64Array(n));
  const hessians = Array.from({ length: outputs }, () => new Float64Array(n));
  const layout = histogramLayout(data);
  const limits = {
    maxLeaves: params.maxLeaves,
    maxDepth: params.maxDepth,
    minSamplesLeaf: Math.max(1, params.minSamplesLeaf),
    minHessianLeaf: 1e-3,
    l2: params.l2,
  };
  const trees: Tree[] = [];
  const rows = new Int32Array(train.length);
  let bestLoss = early ? loss.loss(raw, validation) : Infinity;
  let bestRounds = 0;
  for (let round = 0; round < params.maxIterations; round++) {
    const roundTrees: Tree[] = [];
    // All outputs' gradients from the scores before this round (as scikit-learn's multiclass).
    loss.gradients(raw, train, grads, hessians);
    for (let k = 0; k < outputs; k++) {
      rows.set(train);
      roundTrees.push(growTree(data, grads[k], hessians[k], rows, limits, params.learningRate, layout));
    }
    for (let k = 0; k < outputs; k++) addTree(raw, roundTrees[k], data, outputs, k);
    trees.push(...roundTrees);
    if (!early) {
      bestRounds = round + 1;
      if (roundTrees.every((t) => t.feature[0] < 0)) break;
      continue;
    }
    const validationLoss = loss.loss(raw, validation);
    if (validationLoss < bestLoss - 1e-7) {
      bestLoss = validationLoss;
      bestRounds = round + 1;
    } else if (round + 1 - bestRounds >= params.patience) break;
  }
  const kept = trees.slice(0, bestRounds * outputs);
  return { binnings, outputs, init, trees: kept, rounds: bestRounds, importances: importances(kept, features.length) };
}

function addTree(raw: Float64Array, tree: Tree, data: BinnedData, outputs: number, k: number): void {
  for (let r = 0; r < data.rows; r++) raw[r * outputs + k] += treeValue(tree, data, r);
}

function importances(trees: readonly Tree[], count: number): Float64Array {
  const total = new Float64Array(count);
  for (const tree of trees) for (let f = 0; f < count; f++) total[f] += tree.gains[f];
  const sum = total.reduce((a, b) => a + b, 0);
  return sum > 0 ? total.map((g) => g / sum) : total;
}

/** Raw scores (row-major, `model.outputs` columns) for rows described like the training features. */
export function predictRaw(model: BoostedModel, features: readonly FeatureInput[]): Float64Array {
  const data = applyBinnings(model.binnings, features);
  const raw = new Float64Array(data.rows * model.outputs);
  for (let r = 0; r < data.rows; r++)
    for (let k = 0; k < model.outputs; k++) raw[r * model.outputs + k] = model.init[k];
  model.trees.forEach((tree, i) => addTree(raw, tree, data, model.outputs, i % model.outputs));
  return raw;
}
