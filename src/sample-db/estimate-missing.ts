/** Fills in the bounds and domains a privacy plan left to be estimated from the table. */
import type { Knex } from 'knex';
import { estimateBounds, estimateDomain } from './estimate.js';
import type { PrivacyPlan } from './privacy-plan.js';

export async function estimateMissing(knex: Knex, table: string, plan: PrivacyPlan): Promise<void> {
  for (const column of plan.columns) {
    if (column.source !== 'estimated') continue;
    if (column.mechanism === 'laplace')
      column.bounds = await estimateBounds(knex, table, column.name, column.estimationEpsilon);
    else column.domain = await estimateDomain(knex, table, column.name, column.estimationEpsilon, plan.domainDelta!);
  }
}
