/**
 * A network of net/spec.ts on TensorFlow.js: the path where a native or GPU backend loads
 * (tensorflow, tensorflow-gpu), and the wasm and cpu backends on request. The same flat weight
 * layout and the same mathematics as the fused engine; a test checks both give the same loss
 * and gradients. Dropout masks come from tfjs's own generator, so with dropout on the two draw
 * different masks. Per-example gradients and the gradient penalty run on the fused engine only.
 */
import { tf } from '../../../core/backend.js';
import { optionError } from '../../../core/errors.js';
import { dense, type DenseParams } from './dense.js';
import { variableFrom } from './variable.js';
import { pickRows } from './pick-rows.js';
import { nodeRows, type GradientOptions, type LossOf, type Net, type Seeds } from '../net.js';
import {
  DEFAULT_SLOPE,
  DEFAULT_TAU,
  nodeWidths,
  paramBlocks,
  type HeadSpan,
  type NetInputs,
  type NetNode,
  type NetSpec,
} from '../spec.js';

export class TfjsNet implements Net {
  private readonly widths: number[];
  private readonly params: DenseParams[];
  private readonly norms: { gamma: tf.Variable; beta: tf.Variable; epsilon: number }[];
  private readonly variables: tf.Variable[];
  private inputGradients = new Map<string, Float32Array>();

  constructor(
    readonly spec: NetSpec,
    initial: Float32Array,
  ) {
    this.widths = nodeWidths(spec);
    this.params = [];
    this.norms = [];
    // In node order, so the variables list follows the flat layout.
    this.variables = paramBlocks(spec).flatMap(({ op, rows, cols, offset, node }) => {
      if (op === 'batch_norm') {
        const gamma = variableFrom(initial.slice(offset, offset + cols), [cols]);
        const beta = variableFrom(initial.slice(offset + cols, offset + 2 * cols), [cols]);
        const epsilon = (spec.nodes[node] as { epsilon?: number }).epsilon ?? 1e-5;
        this.norms.push({ gamma, beta, epsilon });
        return [gamma, beta];
      }
      const kernel = variableFrom(initial.slice(offset, offset + rows * cols), [rows, cols]);
      const bias = variableFrom(initial.slice(offset + rows * cols, offset + (rows + 1) * cols), [cols]);
      this.params.push({ kernel, bias });
      return [kernel, bias];
    });
  }

  setWeights(flat: Float32Array): void {
    let at = 0;
    for (const v of this.variables) {
      // A copy: the cpu backend keeps the array it is given, and `flat` changes every step.
      tf.tidy(() => v.assign(tf.tensor(flat.slice(at, at + v.size), v.shape)));
      at += v.size;
    }
  }

  forward(inputs: NetInputs, seed: Seeds = 0): Float32Array {
    if (typeof seed !== 'number') throw fusedOnly('per-row seeds (DP-SGD)');
    // The tensor leaves tidy and is read outside it: tidy walks whatever it returns element by element
    // looking for tensors, which on a typed array of 4,096 rows costs ~0.4 s a call.
    const output = tf.tidy(() => this.build(this.constants(inputs), false, seed));
    try {
      return output.dataSync() as Float32Array;
    } finally {
      output.dispose();
    }
  }

  gradient(
    inputs: NetInputs,
    dropoutSeed: Seeds,
    lossOf: LossOf,
    into: Float32Array,
    options: GradientOptions = {},
  ): number {
    if (options.perExample || typeof dropoutSeed !== 'number') throw fusedOnly('per-example gradients (DP-SGD)');
    return tf.tidy(() => {
      let loss = 0;
      // Made outside the gradient's scope, which frees what it makes that the tape does not keep.
      const constants = this.constants(inputs);
      // Inputs whose gradient is wanted become variables of the pass.
      const wanted = this.spec.nodes.flatMap((node, i) => {
        if (node.op !== 'input' || !node.gradient) return [];
        const variable = tf.variable(constants.get(i) as tf.Tensor2D, true);
        constants.set(i, variable);
        return [{ name: node.name, variable }];
      });
      const { grads } = tf.variableGrads(() => {
        const output = this.build(constants, true, dropoutSeed);
        const result = lossOf(output.dataSync() as Float32Array, output.shape[0]);
        loss = result.loss;
        // The loss gradient comes from JS; sum(output * gradient) carries it back in one pass.
        return tf.sum(tf.mul(output, tf.tensor2d(result.gradient, output.shape)));
      }, [...this.variables, ...wanted.map((w) => w.variable)]);
      let at = 0;
      for (const v of this.variables) {
        into.set(grads[v.name].dataSync() as Float32Array, at);
        at += v.size;
      }
      this.inputGradients = new Map(wanted.map((w) => [w.name, grads[w.variable.name].dataSync() as Float32Array]));
      wanted.forEach((w) => w.variable.dispose());
      return loss;
    });
  }

  inputGradient(name: string): Float32Array {
    const gradient = this.inputGradients.get(name);
    if (!gradient) throw new Error(`the network keeps no gradient for input '${name}'`);
    return gradient;
  }

  exampleNorms(): Float64Array {
    throw fusedOnly('per-example gradients (DP-SGD)');
  }

  accumulate(): void {
    throw fusedOnly('per-example gradients (DP-SGD)');
  }

  gradientPenalty(): number {
    throw fusedOnly("WGAN-GP's gradient penalty (CTGAN)");
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }

  /** The inputs as tensors, and each gather's one-hot pick (a plain-matMul gradient: tf.gather's needs a kernel the wasm backend lacks). */
  private constants(inputs: NetInputs): Map<number, tf.Tensor2D | Pick> {
    const rows = nodeRows(this.spec, this.widths, inputs);
    const constants = new Map<number, tf.Tensor2D | Pick>();
    this.spec.nodes.forEach((node, i) => {
      if (node.op === 'input') constants.set(i, tf.tensor2d(inputs[node.name] as Float32Array, [rows[i], node.width]));
      if (node.op !== 'gather') return;
      const index = inputs[(this.spec.nodes[node.index] as { name: string }).name];
      const tableRows = rows[node.from];
      const matrix = new Float32Array(index.length * tableRows);
      const transposed = new Float32Array(index.length * tableRows);
      index.forEach((v, r) => {
        matrix[r * tableRows + v] = 1;
        transposed[v * index.length + r] = 1;
      });
      constants.set(i, {
        matrix: tf.tensor2d(matrix, [index.length, tableRows]),
        transposed: tf.tensor2d(transposed, [tableRows, index.length]),
      });
    });
    return constants;
  }

  private build(constants: Map<number, tf.Tensor2D | Pick>, training: boolean, seed: number): tf.Tensor2D {
    const values: tf.Tensor2D[] = [];
    let denseCount = 0;
    let normCount = 0;
    let dropoutCount = 0;
    this.spec.nodes.forEach((node: NetNode) => {
      const x = 'from' in node && typeof node.from === 'number' ? values[node.from] : undefined!;
      switch (node.op) {
        case 'input':
          values.push(constants.get(values.length) as tf.Tensor2D);
          break;
        case 'index':
          values.push(x);
          break;
        case 'dense':
          values.push(dense(x, this.params[denseCount++]));
          break;
        case 'activation':
          values.push(activate(x, node.kind, node.slope ?? DEFAULT_SLOPE));
          break;
        case 'dropout':
          // Each dropout node draws from seed + its ordinal, as the denoiser always has.
          values.push(
            training && node.rate > 0 ? (tf.dropout(x, node.rate, undefined, seed + dropoutCount) as tf.Tensor2D) : x,
          );
          dropoutCount++;
          break;
        case 'add':
          values.push(tf.add(values[node.from[0]], values[node.from[1]]));
          break;
        case 'gather':
          values.push(pickRows(constants.get(values.length) as Pick, x));
          break;
        case 'concat':
          values.push(
            tf.concat(
              node.from.map((f) => values[f]),
              1,
            ) as tf.Tensor2D,
          );
          break;
        case 'batch_norm': {
          const { gamma, beta, epsilon } = this.norms[normCount++];
          const { mean, variance } = tf.moments(x, 0);
          values.push(tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta));
          break;
        }
        case 'head':
          values.push(head(x, node.spans, node.tau ?? DEFAULT_TAU, seed + values.length));
          break;
      }
    });
    return values[this.spec.output];
  }
}

const fusedOnly = (what: string) =>
  optionError('usage', 'backend', `${what} run on the fused engine only`, 'Use {backend} fused (the default).');

interface Pick {
  readonly matrix: tf.Tensor2D;
  readonly transposed: tf.Tensor2D;
}

/** Each span's activation on its columns; Gumbel noise from tfjs's seeded uniform draw. */
function head(x: tf.Tensor2D, spans: readonly HeadSpan[], tau: number, seed: number): tf.Tensor2D {
  let at = 0;
  const parts = spans.map((span, p) => {
    const part = tf.slice(x, [0, at], [x.shape[0], span.size]);
    at += span.size;
    switch (span.activation) {
      case 'linear':
        return part;
      case 'tanh':
        return tf.tanh(part);
      case 'softmax':
        return tf.softmax(part);
      case 'gumbel_softmax': {
        const u = tf.randomUniform(part.shape, 1e-7, 1 - 1e-7, 'float32', seed * 131 + p);
        return tf.softmax(tf.div(tf.add(part, tf.neg(tf.log(tf.neg(tf.log(u))))), tau));
      }
    }
  });
  return tf.concat(parts, 1) as tf.Tensor2D;
}

function activate(x: tf.Tensor2D, kind: string, slope: number): tf.Tensor2D {
  switch (kind) {
    case 'relu':
      return tf.relu(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, slope);
    case 'tanh':
      return tf.tanh(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'sigmoid':
      return tf.sigmoid(x);
    default:
      throw new Error(`unknown activation ${kind}`);
  }
}
