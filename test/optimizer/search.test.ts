import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { BayesSearch, type Tried } from '../../src/optimizer/search/bayes.js';
import { fromUnit, searchDimensions, toUnit, type Dimension } from '../../src/optimizer/search/dimensions.js';
import { searchLoss } from '../../src/optimizer/search/objective.js';
import { MedianPruner } from '../../src/optimizer/search/pruning.js';
import { parzen, proposeTpe, type Observation } from '../../src/optimizer/search/tpe.js';
import { bestEarlierPoint, shapeWeight, warmStartPoints } from '../../src/optimizer/search/warm-start.js';
import { REGISTRY } from '../../src/models/registry.js';

const DIMS: Dimension[] = [
  { name: 'lr', kind: 'float', low: 1e-4, high: 1e-1, log: true },
  { name: 'layers', kind: 'int', low: 0, high: 8, log: false },
];
/** A known bowl: its minimum 0 at lr 10^-2.5 and layers 3. */
const bowl = (p: Readonly<Record<string, number>>) => (Math.log10(p.lr) + 2.5) ** 2 + ((p.layers - 3) / 2) ** 2;

function tpeBest(seed: number, budget: number): number {
  const rng = createRng(seed);
  const seen: Observation[] = [{ point: { lr: 0.05, layers: 8 }, loss: bowl({ lr: 0.05, layers: 8 }), weight: 1 }];
  while (seen.length < budget) {
    const { point } = proposeTpe(DIMS, seen, rng);
    seen.push({ point, loss: bowl(point), weight: 1 });
  }
  return Math.min(...seen.map((o) => o.loss));
}

function randomBest(seed: number, budget: number): number {
  const rng = createRng(seed);
  let best = bowl({ lr: 0.05, layers: 8 });
  for (let i = 1; i < budget; i++)
    best = Math.min(best, bowl(Object.fromEntries(DIMS.map((d) => [d.name, fromUnit(d, rng.next())]))));
  return best;
}

describe('TPE proposals', () => {
  it('find the known optimum of a bowl, and beat random search at the same budget', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const tpe = seeds.map((s) => tpeBest(s, 30));
    const random = seeds.map((s) => randomBest(s, 30));
    // Near the optimum: layers 3 and lr within a fifth of a decade (a loss of 0.05 or less), in most runs.
    expect(tpe.filter((l) => l <= 0.05).length).toBeGreaterThanOrEqual(7);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    expect(median(tpe)).toBeLessThan(median(random));
  });

  it('stay inside the box, on whole numbers for int dimensions', () => {
    const rng = createRng(3);
    const seen: Observation[] = [{ point: { lr: 1e-4, layers: 0 }, loss: 1, weight: 1 }];
    for (let i = 0; i < 50; i++) {
      const { point } = proposeTpe(DIMS, seen, rng);
      expect(point.lr).toBeGreaterThanOrEqual(1e-4);
      expect(point.lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(point.layers) && point.layers >= 0 && point.layers <= 8).toBe(true);
      seen.push({ point, loss: bowl(point), weight: 1 });
    }
  });

  it('are seeded: the same observations and seed give the same point', () => {
    const seen: Observation[] = [
      { point: { lr: 0.01, layers: 2 }, loss: 0.5, weight: 1 },
      { point: { lr: 0.001, layers: 5 }, loss: 1.5, weight: 1 },
    ];
    expect(proposeTpe(DIMS, seen, createRng(9))).toEqual(proposeTpe(DIMS, seen, createRng(9)));
  });

  it('pick the rules’ suggestion when it sits where the good points are', () => {
    const seen: Observation[] = [
      { point: { lr: 0.003, layers: 3 }, loss: 0, weight: 1 },
      { point: { lr: 0.09, layers: 8 }, loss: 5, weight: 1 },
      { point: { lr: 0.0001, layers: 0 }, loss: 5, weight: 1 },
    ];
    const p = proposeTpe(DIMS, seen, createRng(1), { extra: [{ lr: 0.003, layers: 3 }], candidates: 3 });
    expect(p.fromExtra).toBe(true);
  });

  it('uses Parzen densities that integrate to 1 over the box', () => {
    const density = parzen([[0.1], [0.95]], [1, 2], 1);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += Math.exp(density.logPdf([(i + 0.5) / n]));
    expect(sum / n).toBeCloseTo(1, 3);
  });
});

describe('search dimensions', () => {
  it('resolve `times` ranges against the table’s defaults, inside the space, leaving what the user set', () => {
    const ddpm = REGISTRY.get('ddpm');
    const dims = searchDimensions(ddpm.space, ddpm.searchSpace!, { n_iter: 400, batch_size: 32 }, new Set(['lr']));
    const nIter = dims.find((d) => d.name === 'n_iter')!;
    expect([nIter.low, nIter.high]).toEqual([160, 800]);
    expect(dims.some((d) => d.name === 'lr')).toBe(false);
    expect(fromUnit(nIter, toUnit(nIter, 400))).toBe(400);
  });

  it('are declared only for parameters of each method’s space, inside its bounds', () => {
    for (const m of REGISTRY.methods)
      for (const [name, range] of Object.entries(m.searchSpace ?? {})) {
        expect(Object.keys(m.space)).toContain(name);
        if ('low' in range) {
          expect(range.low).toBeGreaterThanOrEqual(m.space[name].low);
          expect(range.high).toBeLessThanOrEqual(m.space[name].high);
        }
      }
  });
});

describe('the search loss', () => {
  const standing = (failing: number, excess: number) => ({ allGreen: failing === 0, failing, excess, score: 1 });
  it('puts the gate first: fewer failing checks beat any quality, as in the standing', () => {
    expect(searchLoss(standing(0, 0), 0)).toBeLessThan(searchLoss(standing(1, 0), 100));
    expect(searchLoss(standing(1, 0.2), 0)).toBeLessThan(searchLoss(standing(2, 0), 100));
    expect(searchLoss(standing(0, 0), 90)).toBeLessThan(searchLoss(standing(0, 0), 80));
    expect(searchLoss(standing(1, 0.01), 80)).toBeLessThan(searchLoss(standing(1, 0.05), 80));
  });
});

describe('MedianPruner', () => {
  const at = (epoch: number, loss: number) => ({ epoch, fraction: epoch / 400, loss });
  it('stops a hopeless attempt at its first checkpoint, and never a green one or one without peers', () => {
    const pruner = new MedianPruner();
    expect(pruner.verdict([at(40, -60)], false)).toBeNull();
    pruner.record([at(40, -60), at(200, -80), at(400, -90)]);
    expect(pruner.verdict([at(40, 0)], false)).toBeNull(); // one peer only
    pruner.record([at(48, -55), at(400, -88)]);
    // A first checkpoint compares with the peers' first ones up to half as many epochs later.
    expect(pruner.verdict([at(36, 0)], false)).toMatch(/epoch 36 \(9 % of its training\)/);
    expect(pruner.verdict([at(30, 0)], false)).toBeNull(); // 48 is more than 1.5 x 30: one peer
    expect(pruner.verdict([at(36, 0)], true)).toBeNull();
    expect(pruner.verdict([at(36, -57)], false)).toBeNull(); // near the median: goes on
  });

  it('judges an attempt by its best checkpoint so far against the peers’ best by that epoch, and never late', () => {
    const pruner = new MedianPruner();
    pruner.record([at(40, -60), at(200, -80), at(400, -90)]);
    pruner.record([at(40, -55), at(200, -75), at(400, -88)]);
    // A worse last checkpoint after a competitive one: judged by the competitive one.
    expect(pruner.verdict([at(40, -58), at(200, -76), at(240, -40)], false)).toBeNull();
    expect(pruner.verdict([at(40, -20), at(200, -30)], false)).toMatch(/by epoch 200/);
    // At 80 % of training or later, never.
    expect(pruner.verdict([at(40, -20), at(320, -30)], false)).toBeNull();
  });
});

describe('BayesSearch', () => {
  const methods = [
    { id: 'ddpm', dims: DIMS, defaults: { lr: 0.002, layers: 2 } },
    { id: 'tvae', dims: DIMS.slice(0, 1), defaults: { lr: 0.001 } as Record<string, number> },
  ];

  it('tries a method’s defaults first, then moves by TPE; the same seed repeats its proposals', () => {
    const run = () => {
      const search = new BayesSearch(methods.slice(0, 1), 4);
      const points = [];
      for (let i = 0; i < 5; i++) {
        const p = search.propose()!;
        points.push(p);
        search.observe({ method: p.method, point: p.point, loss: bowl(p.point), weight: 1 });
      }
      return points;
    };
    const a = run();
    expect(a[0].point).toEqual({ lr: 0.002, layers: 2 });
    expect(a[1].how).toMatch(/TPE/);
    expect(run()).toEqual(a);
  });

  it('chooses the method as a categorical dimension: an untried method once the tried one does badly', () => {
    const search = new BayesSearch(methods, 1);
    for (const lr of [0.1, 0.09, 0.08, 0.07])
      search.observe({ method: 'ddpm', point: { lr, layers: 8 }, loss: 10, weight: 1 });
    search.observe({ method: 'ddpm', point: { lr: 0.05, layers: 8 }, loss: 9, weight: 1 });
    expect(search.propose()!.method).toBe('tvae');
  });

  it('says when the box has nothing untried left, instead of repeating an attempt', () => {
    const tiny = [
      {
        id: 'ddpm',
        dims: [{ name: 'layers', kind: 'int' as const, low: 2, high: 3, log: false }],
        defaults: { layers: 2 },
      },
    ];
    const search = new BayesSearch(tiny, 1);
    search.observe({ method: 'ddpm', point: { layers: 2 }, loss: 1, weight: 1 });
    search.observe({ method: 'ddpm', point: { layers: 3 }, loss: 2, weight: 1 });
    expect(search.propose()).toBeNull();
    expect(
      new BayesSearch([{ id: 'ddpm', dims: [], defaults: {} }], 1, [
        { method: 'ddpm', point: {}, loss: 1, weight: 1 },
      ]).propose(),
    ).toBeNull();
  });

  it('leaves out warm-start points it cannot place (missing, not a number, not positive on a log scale)', () => {
    const prior: Tried[] = [
      { method: 'ddpm', point: {}, loss: -90, weight: 1 },
      { method: 'ddpm', point: { lr: -1, layers: 2 }, loss: -90, weight: 1 },
      { method: 'ddpm', point: { lr: 0.01, layers: 2 }, loss: Number.NaN, weight: 1 },
      { method: 'ddpm', point: { lr: 0.003, layers: 3 }, loss: -80, weight: 0.5 },
    ];
    const p = new BayesSearch(methods.slice(0, 1), 2, prior).propose()!;
    expect(Number.isFinite(p.point.lr) && Number.isFinite(p.point.layers)).toBe(true);
    expect(p.how).toMatch(/TPE over 1 ddpm point/);
  });
});

describe('warm starts', () => {
  const report = (rows: number, privacy: unknown = null) => ({
    report: 'generation',
    input: { rows, columns: 7 },
    privacy,
    attempts: [
      { method: 'ddpm', parameters: { n_iter: 400, lr: 0.002 }, search_loss: -90 },
      { method: 'ddpm', parameters: { n_iter: 600, lr: 0.004 }, search_loss: -92 },
      { method: 'ctgan', parameters: { n_iter: 300 }, search_loss: -80 },
      { method: 'ddpm', parameters: { n_iter: 200 }, search_loss: null },
    ],
  });

  it('reads the searched methods’ points, weighted down with the table’s shape', () => {
    const points = warmStartPoints([report(3440)], ['r.json'], { rows: 344, columns: 7 }, ['ddpm'], false);
    expect(points.map((p) => p.loss)).toEqual([-90, -92]);
    expect(points[0].weight).toBeCloseTo(0.5, 12);
    expect(shapeWeight({ rows: 344, columns: 7 }, { rows: 344, columns: 7 })).toBe(1);
    expect(shapeWeight({ rows: 344, columns: 8 }, { rows: 344, columns: 7 })).toBe(0.5);
    expect(bestEarlierPoint(points, 'ddpm', ['n_iter', 'lr'], new Set(['lr']))).toEqual([
      { name: 'n_iter', value: 600 },
    ]);
  });

  it('refuses under DP a report judged on rows outside the budget, and a file that is no generation report', () => {
    expect(() => warmStartPoints([report(344)], ['r.json'], { rows: null, columns: 7 }, ['ddpm'], true)).toThrow(
      /without DP/,
    );
    expect(
      warmStartPoints([report(344, { epsilon: 1 })], ['r.json'], { rows: null, columns: 7 }, ['ddpm'], true),
    ).toHaveLength(2);
    expect(() =>
      warmStartPoints([{ report: 'evaluation' }], ['e.json'], { rows: 1, columns: 7 }, ['ddpm'], false),
    ).toThrow(/not a generation report/);
  });
});
