/** The three attack-based risks (Giomi et al. 2022): attacks from S on R, repeated on H as control. */
import { createRng, sampleIndices } from '../../core/rng.js';
import { takeRows, type Table } from '../../core/table.js';
import { DEFAULT_ATTACKS, type AttackResult } from '../attacks/attack-result.js';
import { inferenceAttack } from '../attacks/inference.js';
import { linkabilityAttack } from '../attacks/linkability.js';
import { singlingOutAttack } from '../attacks/singling-out.js';
import {
  notApplicable,
  notEvaluated,
  ok,
  type Metric,
  type MetricContext,
  type MetricId,
  type MetricResult,
} from '../metric.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../privacy-sample.js';

type AttackRun = (context: MetricContext & { holdout: Table; synthetic: Table }, attacks: number) => AttackResult;

function attackMetric(id: MetricId, description: string, run: AttackRun): Metric {
  return {
    id,
    goal: 'minimize',
    range: [0, 1],
    description,
    compute(context): MetricResult {
      const { holdout } = context;
      if (!holdout)
        return notEvaluated(
          'needs holdout rows for the control attack: a holdout table, or the split of a generate report',
        );
      const synthetic = searchSample(context.synthetic, context.seed);
      const requested = context.attacks?.attacks ?? DEFAULT_ATTACKS;
      // Each attack targets a row of each set: past the fewest rows more attacks find nothing new
      // (and singling out would search for predicates that cannot exist, for ever).
      const allowed = Math.max(1, Math.min(context.real.rowCount, holdout.rowCount, synthetic.rowCount));
      const attacks = Math.min(requested, allowed);
      // Only a number the caller chose is worth a warning: the default is capped quietly (details.attacks says what ran).
      const warnings =
        context.attacks?.attacks !== undefined && requested > allowed
          ? [
              `${id}: attacks ${requested} is more than the rows allow; ran ${attacks}, the fewest of the training, holdout and synthetic rows`,
            ]
          : [];
      const result = run({ ...context, holdout, synthetic }, attacks);
      const details = {
        attacks: result.main.attacks,
        main: rateReport(result.main),
        control: rateReport(result.control),
        risk_ci: result.risk.ci,
        ...result.details,
      };
      if (result.main.attacks === 0)
        return { ...notApplicable('no attack could be built from the synthetic rows'), details, warnings };
      const [low, high] = result.risk.ci.map((x) => x.toFixed(2));
      return ok(result.risk.value, { details, message: `95 % interval ${low}-${high}`, warnings });
    },
  };
}

/** The neighbour searches scan every synthetic row per attack: beyond the distance metrics' cap, a seeded sample. */
function searchSample(synthetic: Table, seed: number): Table {
  if (synthetic.rowCount <= DEFAULT_PRIVACY_SAMPLE) return synthetic;
  return takeRows(
    synthetic,
    sampleIndices(synthetic.rowCount, DEFAULT_PRIVACY_SAMPLE, createRng((seed ^ 0x41545453) >>> 0)),
  );
}

const rateReport = (rate: AttackResult['main']) => ({
  successes: rate.successes,
  rate: rate.rate,
  ci: [Math.max(rate.rate - rate.error, 0), Math.min(rate.rate + rate.error, 1)],
});

export const singlingOutRisk = attackMetric(
  'singling_out_risk',
  'share of predicates built from S that single out one R row, beyond the share that single out one H row',
  ({ real, synthetic, holdout, seed }, attacks) => singlingOutAttack(real, synthetic, holdout, { attacks, seed }),
);

export const linkabilityRisk = attackMetric(
  'linkability_risk',
  "share of R rows whose two halves of columns link through the same nearest S row, beyond H's share",
  ({ real, synthetic, holdout, seed }, attacks) => linkabilityAttack(real, synthetic, holdout, { attacks, seed }),
);

export const inferenceRisk = attackMetric(
  'inference_risk',
  "share of R rows whose secret column the nearest S row on the other columns gives away, beyond H's share",
  ({ real, synthetic, holdout, seed, target, attacks: settings }, attacks) => {
    const secret = secretColumn(real, settings?.secret ?? target);
    return inferenceAttack(real, synthetic, holdout, secret, { attacks, seed });
  },
);

/** The named column, else the last one (where a label usually sits). */
function secretColumn(table: Table, name: string | undefined): number {
  if (name === undefined) return table.columns.length - 1;
  const index = table.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column '${name}' to infer`);
  return index;
}
