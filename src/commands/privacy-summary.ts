/** The terminal lines of a DP run's privacy section: what was spent, on what, and the total. */
import type { PrivacyRecord } from '../pipeline/privacy-record.js';

const fmt = (x: number): string => String(Number(x.toPrecision(4)));

export function privacySummary(p: PrivacyRecord): string[] {
  const pre = p.preprocessing;
  const lines = [
    `privacy: total epsilon ${fmt(p.total_epsilon)} (limit ${fmt(p.total_epsilon_limit)}), delta ${p.total_delta.toExponential(2)}, by sequential composition of preprocessing and ${p.attempts.length} training run(s)`,
    p.zcdp
      ? `  kept attempt's training: epsilon ${fmt(p.spent_epsilon)} spent of ${fmt(p.target_epsilon)} as zCDP rho ${fmt(p.zcdp.spent_rho)} of ${fmt(p.zcdp.rho)} (${p.zcdp.conversion}), ${p.zcdp.rounds.length} rounds measuring ${[...new Set(p.zcdp.rounds.map((r) => r.marginal.join('x')))].join(', ') || 'only one-way marginals'}`
      : `  kept attempt's training: epsilon ${fmt(p.spent_epsilon)} spent of ${fmt(p.target_epsilon)}, noise multiplier ${fmt(p.noise_multiplier ?? NaN)}, sample rate ${fmt(p.sample_rate ?? NaN)}, ${p.steps} steps, C ${p.max_grad_norm}`,
    pre.estimated.length
      ? `  preprocessing: epsilon ${fmt(pre.epsilon)} (${fmt(pre.fraction * 100)} %) over ${pre.estimated.length} column(s), epsilon ${fmt(pre.estimated[0].epsilon)} each${pre.public.length ? `; public: ${pre.public.join(', ')}` : ''}`
      : `  preprocessing: none (every column declared public)`,
  ];
  const categorical = pre.estimated.filter((c) => c.delta !== null);
  if (categorical.length)
    lines.push(
      `  categories held by too few rows were not released: they appear as '${pre.placeholder}' in the synthetic rows`,
    );
  lines.push(`  early stop: ${p.early_stop}; loss curve ${p.loss_curve}`);
  return lines;
}
