/**
 * AIM fitted on a statistics source (a database table, or the training side of a file read by
 * DuckDB), the step `generate --client` and `generate FILE --engine duckdb` share: the columns'
 * domains from the metadata file (under DP nothing else), the undeclared bounds released at
 * BOUNDS_SHARE of epsilon, then the rounds on the source's counts with the rest. The privacy
 * record is the one both paths report.
 */
import type { TableMetadata } from '../core/schema/metadata.js';
import type { RowSink } from './chunked-output.js';
import { Aim } from '../models/aim/model.js';
import { AIM_FIXED_DEFAULTS, type AimParams } from '../models/aim/space.js';
import type { FitSummary } from '../models/synthesizer.js';
import { declaredStatistics } from '../statistics/declared-statistics.js';
import type { StatisticsSource } from '../statistics/source.js';
import { BOUNDS_SHARE, releaseBounds, type ReleasedBounds } from './source-bounds.js';

/** What a run over a statistics source (a file or a database table) asks of its rows and its fit. */
export interface SourceRunRequest extends Omit<SourceAimRequest, 'delta'> {
  /** Rows to sample (the default is the path's own). */
  readonly rows?: number;
  /** Under DP (the default is the path's own). */
  readonly delta?: number;
  /** Where the rows go past CHUNK_ROWS, a chunk at a time (absent: held whole, as many as memory holds). */
  readonly rowsSink?: RowSink;
  readonly excelSafe?: boolean;
}

export interface SourceAimRequest {
  readonly params?: Partial<AimParams>;
  readonly metadata?: TableMetadata;
  readonly epsilon?: number;
  readonly delta: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
}

export interface SourceAim {
  readonly aim: Aim;
  readonly training: FitSummary;
  readonly released: ReleasedBounds[];
}

/** The columns' domains, checked before anything is reserved or counted (a drafted file under DP is refused). */
export const sourceDomains = (source: StatisticsSource, request: SourceAimRequest) =>
  declaredStatistics(source.columns, request.metadata, request.epsilon !== undefined);

export async function fitSourceAim(
  source: StatisticsSource,
  statistics: Awaited<ReturnType<typeof sourceDomains>>,
  request: SourceAimRequest,
): Promise<SourceAim> {
  const privateRun = request.epsilon !== undefined;
  let released: ReleasedBounds[] = [];
  let aimEpsilon = request.epsilon;
  if (privateRun && statistics.some((s) => !s)) {
    // Undeclared bounds, released from noisy histograms over public edges at a share of epsilon (basic composition).
    const share = request.epsilon! * BOUNDS_SHARE;
    released = await releaseBounds(source, statistics, request.metadata, share);
    aimEpsilon = request.epsilon! - share;
  }
  const aim = new Aim({ ...AIM_FIXED_DEFAULTS, ...request.params });
  const training = await aim.fitSource(
    { source, statistics },
    {
      seed: request.seed,
      threads: 1,
      backend: 'cpu',
      signal: request.signal,
      ...(privateRun
        ? {
            statistics: statistics.map((s) => s!),
            privacy: { epsilon: aimEpsilon!, delta: request.delta, maxGradNorm: 0, rows: 0 },
          }
        : {}),
    },
  );
  return { aim, training, released };
}

/** What was spent, as the reports and the audit log give it (null without DP). */
export function sourcePrivacy(fit: SourceAim, epsilon: number | undefined) {
  const { training, released } = fit;
  if (!training.privacy) return null;
  const bounds = released.reduce((sum, r) => sum + r.epsilon, 0);
  return {
    epsilon: epsilon!,
    spent_epsilon: training.privacy.spentEpsilon + bounds,
    delta: training.privacy.delta,
    aim: { epsilon: training.privacy.targetEpsilon, rho: training.privacy.zcdp?.spentRho ?? null },
    released_bounds: released,
  };
}
