/**
 * What CTGAN reads of its data transformer's layout (../transformers/mode-layout.ts): the output
 * spans in order with their activation (tanh scalars, softmax one-hots), and which spans are the
 * categorical columns that the conditional vector chooses from (the reference's discrete
 * columns). Everything here is derived from that, so models and losses walk one list.
 */
export interface OutputSpan {
  readonly size: number;
  readonly activation: 'tanh' | 'softmax';
}

export interface SpanLayout {
  readonly spans: readonly OutputSpan[];
  /** Indices into `spans` of the categorical columns' one-hots. */
  readonly discreteSpans: readonly number[];
}

/** A discrete column's one-hot span: where it sits in a data row and in the conditional vector. */
export interface DiscreteSpan {
  /** Index into the layout's spans. */
  readonly span: number;
  readonly offset: number;
  readonly size: number;
  readonly condOffset: number;
}

export const dataWidth = (layout: SpanLayout): number => layout.spans.reduce((n, s) => n + s.size, 0);

export function discreteSpans(layout: SpanLayout): DiscreteSpan[] {
  const offsets: number[] = [];
  layout.spans.reduce((at, s) => (offsets.push(at), at + s.size), 0);
  let condOffset = 0;
  return layout.discreteSpans.map((span) => {
    const { size, activation } = layout.spans[span];
    if (activation !== 'softmax') throw new Error(`discrete span ${span} is not a softmax span`);
    const discrete = { span, offset: offsets[span], size, condOffset };
    condOffset += size;
    return discrete;
  });
}

export const condWidth = (discrete: readonly DiscreteSpan[]): number => discrete.reduce((n, d) => n + d.size, 0);
