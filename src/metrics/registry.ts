/** Every metric, by id: a frozen map built from static imports. */
import { inferenceRisk, linkabilityRisk, singlingOutRisk } from './definitions/attack-risks.js';
import { corrDelta } from './definitions/corr-delta.js';
import { dcrMedian } from './definitions/dcr-median.js';
import { dcrTrainShare } from './definitions/dcr-train-share.js';
import { detectionAuc } from './definitions/detection-auc.js';
import { dupRate } from './definitions/dup-rate.js';
import { ksMean } from './definitions/ks-mean.js';
import { miaAuc } from './definitions/mia-auc.js';
import { mlEfficacyMetric } from './definitions/ml-efficacy.js';
import { tvdMean } from './definitions/tvd-mean.js';
import type { Metric, MetricId } from './metric.js';

export const METRICS: Readonly<Record<MetricId, Metric>> = Object.freeze({
  ks_mean: ksMean,
  tvd_mean: tvdMean,
  corr_delta: corrDelta,
  dup_rate: dupRate,
  dcr_median: dcrMedian,
  dcr_train_share: dcrTrainShare,
  mia_auc: miaAuc,
  ml_efficacy: mlEfficacyMetric,
  detection_auc: detectionAuc,
  singling_out_risk: singlingOutRisk,
  linkability_risk: linkabilityRisk,
  inference_risk: inferenceRisk,
});

export const METRIC_IDS = Object.keys(METRICS) as MetricId[];
