import { detection, DETECTION_CAP, DETECTION_FOLDS } from '../learned/detection.js';
import { ok, type Metric } from '../metric.js';

/** Importances the report keeps (largest first): the rest say little and, on 50,000 columns, weigh megabytes. */
export const REPORTED_IMPORTANCES = 50;

/** A classifier's held-out ROC AUC at telling R rows from S rows; 0.5 means indistinguishable. */
export const detectionAuc: Metric = {
  id: 'detection_auc',
  goal: 'minimize',
  range: [0, 1],
  description: `mean held-out ROC AUC of gradient-boosted trees separating R from S (balanced, ${DETECTION_FOLDS}-fold)`,
  compute({ real, synthetic, seed }) {
    const result = detection(real, synthetic, { seed, cap: DETECTION_CAP });
    return ok(result.auc, {
      details: {
        folds: result.foldAucs.length,
        fold_aucs: result.foldAucs,
        rows_per_side: result.rowsPerSide,
        importances: Object.fromEntries(
          result.importances.filter(([, gain]) => gain > 0).slice(0, REPORTED_IMPORTANCES),
        ),
      },
    });
  },
};
