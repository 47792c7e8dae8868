/**
 * The MST baseline for the DP benchmark (McKenna, Sheldon and Miklau's mechanism, winner of the
 * 2018 NIST challenge), run inside AIM's machinery so that it has the same bins, the same
 * budget split (heavy values, fine histograms, then the rest) and the same estimation and
 * sampling: only the choice of marginals differs. Its rho is split in three: every one-way
 * marginal, then a maximum spanning tree chosen edge by edge with the exponential mechanism on
 * each pair's L1 error under the one-way model (Kruskal's order), then those d - 1 pairs, each
 * group measured at one Gaussian share (sigma sqrt(k) for k marginals).
 */
import { exponentialRho, gaussianRho } from '../src/privacy/zcdp.js';
import { l1, type AimContext, type AimRun, type RoundRecord } from '../src/models/aim/aim-rounds.js';
import { MapCache } from '../src/models/aim/factor.js';
import { estimateTotal, mirrorDescent, type Measurement } from '../src/models/aim/estimation.js';
import { GraphicalModel } from '../src/models/aim/graphical-model.js';
import { subsets } from '../src/models/aim/workload.js';

export function mstRounds(ctx: AimContext): AimRun {
  const { sizes, counts, mechanisms, settings } = ctx;
  const d = sizes.length;
  const maps = new MapCache(sizes);
  const third = ctx.rho / 3;
  const base = Math.sqrt(1 / (2 * third));
  const oneSigma = base * Math.sqrt(d);
  const measurements: Measurement[] = sizes.map((_, a) => ({
    clique: [a],
    values: mechanisms.gaussian(`one-way/${a}`, counts.count([a]), oneSigma),
    sigma: oneSigma,
  }));
  const oneWay = { sigma: oneSigma, rho: d * gaussianRho(oneSigma) };
  const independent = mirrorDescent(sizes, measurements, {
    iterations: settings.finalIterations,
    total: estimateTotal(measurements),
    maps,
  });
  const model = new GraphicalModel(sizes, independent.potentials, independent.total, maps);
  const pairs = subsets(
    Array.from({ length: d }, (_, i) => i),
    2,
  );
  const errors = pairs.map((pair) => l1(counts.count(pair), model.marginal(pair)));
  const edges = d - 1;
  const epsilon = edges > 0 ? Math.sqrt((8 * third) / edges) : 0;
  const group = Array.from({ length: d }, (_, i) => i);
  const find = (x: number): number => (group[x] === x ? x : (group[x] = find(group[x])));
  const chosen: number[][] = [];
  for (let e = 0; e < edges; e++) {
    const open = pairs.flatMap((pair, k) => (find(pair[0]) !== find(pair[1]) ? [k] : []));
    const pick =
      open[
        mechanisms.exponential(
          `mst/edge-${e}`,
          Float64Array.from(open, (k) => errors[k]),
          epsilon,
          1,
        )
      ];
    chosen.push(pairs[pick]);
    group[find(pairs[pick][0])] = find(pairs[pick][1]);
  }
  const sigma = base * Math.sqrt(Math.max(edges, 1));
  const rounds: RoundRecord[] = chosen.map((clique, e) => {
    measurements.push({
      clique,
      values: mechanisms.gaussian(`mst/measure-${e}`, counts.count(clique), sigma),
      sigma,
    });
    return {
      round: e + 1,
      marginal: clique,
      selection_rho: exponentialRho(epsilon),
      measurement_rho: gaussianRho(sigma),
      sigma,
      selection_epsilon: epsilon,
      candidates: pairs.length,
      annealed: false,
    };
  });
  const estimate = mirrorDescent(sizes, measurements, {
    iterations: settings.finalIterations,
    total: estimateTotal(measurements),
    warm: independent,
    maps,
  });
  const rho = oneWay.rho + rounds.reduce((s, r) => s + r.selection_rho + r.measurement_rho, 0);
  return { estimate, measurements, oneWay, rounds, rho, iterations: independent.iterations + estimate.iterations };
}
