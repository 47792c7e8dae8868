/**
 * The engine's network description: a model writes its networks once as a list of nodes, and
 * each backend (the fused WebAssembly engine, or TensorFlow.js where a native or GPU backend
 * loads) runs the same list. Nodes refer to earlier nodes by index, so the list is already in
 * topological order. Trainable weights belong to dense and batch norm nodes, laid out flat in
 * node order: a dense node's kernel [in, out] then its bias [out], a batch norm's gamma [width]
 * then its beta [width]. That is the layout of saved models and optimizers.
 */
/** The leaky ReLU's slope and the Gumbel-softmax temperature when a node does not set them. */
export const DEFAULT_SLOPE = 0.01;
export const DEFAULT_TAU = 1;

export type ActivationKind = 'relu' | 'leaky_relu' | 'tanh' | 'silu' | 'sigmoid';

/** One span of an output head: `size` consecutive columns and what acts on them. */
export interface HeadSpan {
  readonly size: number;
  /** gumbel_softmax: softmax((x + g) / tau), g standard Gumbel noise drawn per call (CTGAN's discrete outputs). */
  readonly activation: 'linear' | 'tanh' | 'softmax' | 'gumbel_softmax';
}

export type NetNode =
  /** Rows given at run time, `width` floats each; `gradient`: d loss / d these rows is wanted (Net.inputGradient). */
  | { readonly op: 'input'; readonly name: string; readonly width: number; readonly gradient?: boolean }
  /** Row indices given at run time (int32), for a gather. */
  | { readonly op: 'index'; readonly name: string }
  | { readonly op: 'dense'; readonly from: number; readonly width: number }
  | { readonly op: 'activation'; readonly from: number; readonly kind: ActivationKind; readonly slope?: number }
  /** Inverted dropout while training; the identity when sampling. */
  | { readonly op: 'dropout'; readonly from: number; readonly rate: number }
  | { readonly op: 'add'; readonly from: readonly [number, number] }
  /** The columns of several nodes side by side, in order. */
  | { readonly op: 'concat'; readonly from: readonly number[] }
  /**
   * Batch normalisation with the batch's own statistics (biased variance), then gamma * x + beta.
   * Always batch statistics, in training and sampling alike, as the reference CTGAN (which never
   * switches its generator to eval mode); rows of a batch therefore depend on each other.
   */
  | { readonly op: 'batch_norm'; readonly from: number; readonly epsilon?: number }
  /** Row r is row index[r] of `from`: a small table (e.g. one embedding per distinct timestep) spread over the batch. */
  | { readonly op: 'gather'; readonly from: number; readonly index: number }
  /** An output head: the spans cover the columns of `from` in order; tau is the Gumbel-softmax temperature. */
  | { readonly op: 'head'; readonly from: number; readonly spans: readonly HeadSpan[]; readonly tau?: number };

export interface NetSpec {
  readonly nodes: readonly NetNode[];
  /** The node whose rows are the network's output. */
  readonly output: number;
}

/** What one run feeds the network: each input's rows (row-major floats) and each index's rows. */
export type NetInputs = Readonly<Record<string, Float32Array | Int32Array>>;

/** Every node's width (an index node's is 0). */
export function nodeWidths(spec: NetSpec): number[] {
  const widths: number[] = [];
  spec.nodes.forEach((node, i) => {
    const from = (index: number): number => {
      if (!(index >= 0 && index < i)) throw new Error(`network node ${i} reads node ${index}, which is not before it`);
      return widths[index];
    };
    switch (node.op) {
      case 'input':
        widths.push(node.width);
        break;
      case 'index':
        widths.push(0);
        break;
      case 'dense':
        from(node.from);
        widths.push(node.width);
        break;
      case 'add': {
        const [a, b] = node.from.map(from);
        if (a !== b) throw new Error(`network node ${i} adds widths ${a} and ${b}`);
        widths.push(a);
        break;
      }
      case 'concat':
        if (node.from.length === 0) throw new Error(`network node ${i} concatenates nothing`);
        widths.push(node.from.map(from).reduce((a, b) => a + b, 0));
        break;
      case 'gather':
        if (spec.nodes[node.index]?.op !== 'index')
          throw new Error(`network node ${i} gathers by a node that is not an index`);
        widths.push(from(node.from));
        break;
      case 'head': {
        if (
          node.spans.some((span) => !(Number.isInteger(span.size) && span.size >= 1)) ||
          !((node.tau ?? DEFAULT_TAU) > 0)
        )
          throw new Error(`network node ${i} has a span without columns or a temperature that is not positive`);
        const width = node.spans.reduce((n, span) => n + span.size, 0);
        if (width !== from(node.from))
          throw new Error(`network node ${i} has spans of ${width} columns over ${from(node.from)}`);
        widths.push(width);
        break;
      }
      default:
        widths.push(from(node.from));
    }
  });
  return widths;
}

/** [fanIn, fanOut] of each dense node, in node order: the weight layout. */
export function denseShapes(spec: NetSpec): [number, number][] {
  const widths = nodeWidths(spec);
  return spec.nodes.flatMap((node) =>
    node.op === 'dense' ? [[widths[node.from], node.width] as [number, number]] : [],
  );
}

/** Per node that holds weights, in node order: the node, its kind, and the sizes of its two weight blocks. */
export interface ParamBlock {
  readonly node: number;
  readonly op: 'dense' | 'batch_norm';
  /** Dense: fan in and fan out; batch norm: its width twice. */
  readonly rows: number;
  readonly cols: number;
  /** Where its first block starts in the flat weights. */
  readonly offset: number;
}

/** The flat weight layout: dense kernel [rows, cols] then bias [cols]; batch norm gamma [cols] then beta [cols]. */
export function paramBlocks(spec: NetSpec): ParamBlock[] {
  const widths = nodeWidths(spec);
  const blocks: ParamBlock[] = [];
  let offset = 0;
  spec.nodes.forEach((node, i) => {
    if (node.op === 'dense') {
      blocks.push({ node: i, op: 'dense', rows: widths[node.from], cols: node.width, offset });
      offset += (widths[node.from] + 1) * node.width;
    } else if (node.op === 'batch_norm') {
      blocks.push({ node: i, op: 'batch_norm', rows: 1, cols: widths[i], offset });
      offset += 2 * widths[i];
    }
  });
  return blocks;
}

export const weightCount = (spec: NetSpec): number =>
  paramBlocks(spec).reduce((n, b) => n + (b.op === 'dense' ? (b.rows + 1) * b.cols : 2 * b.cols), 0);

/** Nodes whose rows are not independent examples (a gather shares rows, a batch norm mixes them). */
export const mixesRows = (spec: NetSpec): boolean =>
  spec.nodes.some((node) => node.op === 'gather' || node.op === 'batch_norm');

/** Which nodes a gradient must reach: nodes with weights, inputs that ask for it, and every node fed by one. */
export function needsGradient(spec: NetSpec): boolean[] {
  const needs: boolean[] = [];
  for (const node of spec.nodes) {
    if (node.op === 'input') needs.push(node.gradient === true);
    else if (node.op === 'index') needs.push(false);
    else if (node.op === 'dense' || node.op === 'batch_norm') needs.push(true);
    else if (node.op === 'add' || node.op === 'concat') needs.push(node.from.some((f) => needs[f]));
    else needs.push(needs[node.from]);
  }
  return needs;
}
