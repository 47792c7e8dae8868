/** The terminal lines of a DP run's privacy section: the unit, what was spent, on what, and the total. */
import { preprocessingCharge, type PrivacyRecord } from '../pipeline/privacy-record.js';

const fmt = (x: number): string => String(Number(x.toPrecision(4)));
/** A budget the user stated is shown as stated: 2.9999 rounded to 4 digits would read as a limit of 3. */
const stated = (x: number): string => String(x);
/** A spend against a stated limit: enough digits that it never reads as past (or at) a limit it is below. */
const spend = (x: number, limit: number): string => {
  for (let digits = 4; digits < 17; digits++) {
    const shown = Number(x.toPrecision(digits));
    const sameSide = shown < limit === x < limit && shown > limit === x > limit;
    if (sameSide) return String(shown);
  }
  return String(x);
};

export function privacySummary(p: PrivacyRecord): string[] {
  const pre = p.preprocessing;
  const c = p.composition;
  // Preprocessing charged in zCDP with the training (one AIM attempt): one rho for both.
  const inRho = pre.rho !== undefined && p.zcdp !== null;
  const priorRho = inRho ? pre.rho! : 0;
  const lines = [
    c
      ? `privacy: total epsilon ${fmt(p.total_epsilon)}, delta ${p.total_delta.toExponential(2)}, with the DP model it fine-tuned (--init-from, epsilon ${fmt(c.init_from_epsilon)}): this run's epsilon ${spend(c.this_run_epsilon, p.total_epsilon_limit)} (limit ${stated(p.total_epsilon_limit)}) from preprocessing and ${p.attempts.length} training run(s), by basic composition`
      : `privacy: total epsilon ${spend(p.total_epsilon, p.total_epsilon_limit)} (limit ${stated(p.total_epsilon_limit)}), delta ${p.total_delta.toExponential(2)}, ${inRho ? `the noisy row count in epsilon, and the rest of preprocessing and the training composed in zCDP (rho ${fmt(p.zcdp!.rho)}), converted to epsilon once` : `by sequential composition of preprocessing and ${p.attempts.length} training run(s), each charged its planned epsilon`}`,
    `  unit of privacy: ${p.unit}`,
    p.zcdp
      ? `  kept attempt's training: epsilon ${fmt(p.target_epsilon)} (${fmt(p.spent_epsilon)} spent) on ${p.training_rows} training rows (${p.training_rows_from}) as zCDP rho ${fmt(p.zcdp.spent_rho - priorRho)} of ${fmt(p.zcdp.rho - priorRho)} (${p.zcdp.conversion}), ${p.zcdp.rounds.length} rounds measuring ${[...new Set(p.zcdp.rounds.map((r) => r.marginal.join(' x ')))].join(', ') || 'only one-way marginals'}`
      : `  kept attempt's training: epsilon ${fmt(p.target_epsilon)} (the accountant's ${fmt(p.spent_epsilon)} for the steps taken), noise multiplier ${fmt(p.noise_multiplier ?? NaN)}, sample rate ${fmt(p.sample_rate ?? NaN)} of ${p.training_rows} training rows (${p.training_rows_from}), ${p.steps} steps, C ${p.max_grad_norm}`,
    pre.estimated.length
      ? `  preprocessing: ${preprocessingCharge(p)}, over ${pre.estimated.length} release(s) (the report lists each)${pre.public.length ? `; declared public: ${pre.public.join(', ')}` : ''}`
      : `  preprocessing: none (every column and the row count declared public)`,
  ];
  if (pre.estimated.some((c) => c.delta !== null))
    lines.push(
      `  categories held by too few rows were not released: they appear as '${pre.placeholder}' in the synthetic rows`,
    );
  lines.push(`  early stop: ${p.early_stop}; loss curve ${p.loss_curve}`);
  return lines;
}
