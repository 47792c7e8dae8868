/**
 * `--previous REPORT...`: the attempts of earlier generation reports as points the search starts
 * from. A point from a table of another shape counts less: its weight halves with each factor of
 * ten between the row counts, and halves again when the column counts differ. Under DP only DP
 * reports are read (their figures are releases or public-validation scores); a report judged on
 * private rows would carry those rows into this run's choices.
 */
import { optionError } from '../../core/errors.js';
import type { Tried } from './bayes.js';

export interface TableShape {
  /** Null under DP: the exact count is private, so only the columns weigh. */
  readonly rows: number | null;
  readonly columns: number;
}

interface ReportAttempt {
  readonly method: string;
  readonly parameters: Record<string, number>;
  readonly search_loss: number;
}

/** The points of `reports` (parsed JSON, each named by `names[i]`) for the methods in `methods`. */
export function warmStartPoints(
  reports: readonly unknown[],
  names: readonly string[],
  shape: TableShape,
  methods: readonly string[],
  privateRun: boolean,
): Tried[] {
  return reports.flatMap((report, i) => {
    const r = asGenerationReport(report, names[i]);
    if (privateRun && r.privacy === null)
      throw optionError(
        'usage',
        'previous',
        `{previous} ${names[i]} is a report of a run without DP: its figures were computed on rows outside this run's budget`,
        'Under DP, warm-start only from reports of DP runs (judged on public validation rows), or drop {previous}.',
        ['epsilon'],
      );
    const weight = shapeWeight(r.input, shape);
    return r.attempts
      .filter((a) => methods.includes(a.method))
      .map((a) => ({ method: a.method, point: a.parameters, loss: a.search_loss, weight }));
  });
}

export function shapeWeight(previous: { rows: number | null; columns: number }, shape: TableShape): number {
  const rows = shape.rows && previous.rows ? Math.pow(0.5, Math.abs(Math.log10(previous.rows / shape.rows))) : 1;
  return rows * (previous.columns === shape.columns ? 1 : 0.5);
}

/** The parts of a generation report the warm start reads, checked; attempts without a search loss (older reports, pruned ones) are skipped. */
function asGenerationReport(
  value: unknown,
  name: string,
): { input: { rows: number | null; columns: number }; privacy: unknown; attempts: ReportAttempt[] } {
  const refuse = (what: string) =>
    optionError(
      'input',
      'previous',
      `{previous} ${name} is not a generation report of gesalp: ${what}`,
      'Give the .report.json that gesalp generate wrote.',
    );
  const r = value as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || r.report !== 'generation') throw refuse('its "report" is not "generation"');
  const input = r.input as Record<string, unknown> | undefined;
  if (!input || typeof input.columns !== 'number') throw refuse('it has no input columns');
  if (!Array.isArray(r.attempts)) throw refuse('it has no attempts');
  const attempts = (r.attempts as Record<string, unknown>[]).filter(
    (a): a is Record<string, unknown> & ReportAttempt =>
      typeof a?.method === 'string' &&
      typeof a.search_loss === 'number' &&
      Number.isFinite(a.search_loss) &&
      typeof a.parameters === 'object' &&
      a.parameters !== null &&
      Object.values(a.parameters).every((v) => typeof v === 'number' && Number.isFinite(v)),
  );
  return {
    input: { rows: typeof input.rows === 'number' ? input.rows : null, columns: input.columns },
    privacy: r.privacy ?? null,
    attempts,
  };
}

/**
 * The rules' warm start: the best earlier point of `method` (lowest loss, the heavier weight on
 * ties), as the values of its searched parameters the user did not set; empty when there is none.
 */
export function bestEarlierPoint(
  prior: readonly Tried[],
  method: string,
  searched: readonly string[],
  userSet: ReadonlySet<string>,
): { name: string; value: number }[] {
  const best = prior
    .filter((p) => p.method === method)
    .reduce<Tried | null>(
      (b, p) => (!b || p.loss < b.loss || (p.loss === b.loss && p.weight > b.weight) ? p : b),
      null,
    );
  if (!best) return [];
  return searched
    .filter((name) => !userSet.has(name) && typeof best.point[name] === 'number')
    .map((name) => ({ name, value: best.point[name] }));
}
