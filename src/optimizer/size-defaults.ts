/**
 * TabDDPM defaults by data size (SPEC section 5), as data: the rule that produced each value
 * travels with it so the parameter table can say why.
 */
export interface SizedDefault {
  readonly value: number;
  readonly rule: string;
}

const N_ITER_BY_ROWS: readonly { below: number; value: number; label: string }[] = [
  { below: 1000, value: 400, label: 'under 1K training rows' },
  { below: 5000, value: 500, label: '1K-5K training rows' },
  { below: 20000, value: 600, label: '5K-20K training rows' },
  { below: Infinity, value: 700, label: 'over 20K training rows' },
];

export function ddpmEpochs(trainRows: number): SizedDefault {
  const row = N_ITER_BY_ROWS.find((r) => trainRows < r.below)!;
  return { value: row.value, rule: `size table: ${row.label}` };
}

/**
 * Within the table's ranges: the upper end where data is plentiful (fewer, cheaper steps per
 * epoch), the lower end under 1K rows, where the steps are few (penguins: KS 0.11 at 64, 0.06 at 32).
 */
export function ddpmBatchSize(trainRows: number, columns: number): SizedDefault {
  if (trainRows < 1000) return { value: 32, rule: 'size table: under 1K rows, 32-64' };
  if (columns > 20) return { value: 512, rule: 'size table: over 20 columns, 256-512' };
  return { value: 256, rule: 'size table: up to 20 columns, 128-256' };
}
