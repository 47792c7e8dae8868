/**
 * A fitted graphical model: log-potentials over cliques of attributes and the number of rows it
 * stands for. Its junction tree, index maps and calibrated marginals are built on first use and
 * kept, since selection, sampling and conditioning all read them.
 */
import { assignPotentials, calibrate, type Calibrated, type Potential } from './belief-propagation.js';
import { MapCache, type Clique } from './factor.js';
import { junctionTree, type JunctionTree } from './junction-tree.js';
import { MarginalOracle } from './marginals.js';

export class GraphicalModel {
  readonly tree: JunctionTree;
  readonly maps: MapCache;
  private readonly assignment: number[];
  private calibrated: Calibrated | undefined;
  private oracleCache: MarginalOracle | undefined;

  constructor(
    readonly sizes: readonly number[],
    readonly potentials: readonly Potential[],
    /** Rows the model stands for: its marginals sum to this. */
    readonly total: number,
    maps?: MapCache,
  ) {
    this.tree = junctionTree(
      sizes,
      potentials.map((p) => p.clique),
    );
    this.maps = maps ?? new MapCache(sizes);
    this.assignment = assignPotentials(
      this.tree,
      potentials.map((p) => p.clique),
      sizes,
    );
  }

  /** Per junction-tree clique, its marginal. */
  marginals(): Calibrated {
    this.calibrated ??= calibrate(this.tree, this.maps, this.potentials, this.assignment, this.total);
    return this.calibrated;
  }

  /** The marginals with `evidence` (log-potentials, -Infinity for excluded values) added. */
  conditioned(evidence: readonly Potential[]): Calibrated {
    const all = [...this.potentials, ...evidence];
    return calibrate(
      this.tree,
      this.maps,
      all,
      assignPotentials(
        this.tree,
        all.map((p) => p.clique),
        this.sizes,
      ),
      this.total,
    );
  }

  /** The marginal over any set of attributes (sorted). */
  marginal(clique: Clique): Float64Array {
    this.oracleCache ??= new MarginalOracle(this.tree, this.maps, this.marginals().marginals);
    return this.oracleCache.marginal(clique);
  }
}
