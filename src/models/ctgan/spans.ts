/**
 * What CTGAN reads of its data transformer's layout: per table column, the spans of its encoded
 * columns with their activation (tanh scalars, softmax one-hots). A column encoded as exactly one
 * softmax span is discrete: it takes part in the conditional vector, as in the reference's
 * DataSampler. Everything here is derived from the layout, so models and losses walk one list.
 */
export interface OutputSpan {
  readonly size: number;
  readonly activation: 'tanh' | 'softmax';
}

export interface ColumnSpans {
  /** The table column these spans encode. */
  readonly column: number;
  readonly spans: readonly OutputSpan[];
}

/** A discrete column's one-hot span: where it sits in a data row and in the conditional vector. */
export interface DiscreteSpan {
  readonly column: number;
  readonly offset: number;
  readonly size: number;
  readonly condOffset: number;
}

export const dataWidth = (columns: readonly ColumnSpans[]): number =>
  columns.reduce((n, c) => n + c.spans.reduce((m, s) => m + s.size, 0), 0);

export const flatSpans = (columns: readonly ColumnSpans[]): OutputSpan[] => columns.flatMap((c) => c.spans);

export function discreteSpans(columns: readonly ColumnSpans[]): DiscreteSpan[] {
  const discrete: DiscreteSpan[] = [];
  let offset = 0;
  let condOffset = 0;
  for (const { column, spans } of columns) {
    if (spans.length === 1 && spans[0].activation === 'softmax') {
      discrete.push({ column, offset, size: spans[0].size, condOffset });
      condOffset += spans[0].size;
    }
    offset += spans.reduce((n, s) => n + s.size, 0);
  }
  return discrete;
}

export const condWidth = (discrete: readonly DiscreteSpan[]): number => discrete.reduce((n, d) => n + d.size, 0);
