/**
 * What a method is, declared once in its folder (`models/<method>/index.ts`): everything above
 * `models/` (the registry, the pipeline, the optimizer, help texts, PARAMETER_TABLES.md) reads
 * methods only through this, so a new method is one folder plus one line in the registry.
 */
import type { Table } from '../core/table.js';
import type { SearchSpace } from './search-space.js';
import type { SizedDefault, SizeRule } from './size-rule.js';
import type { Space } from './space.js';
import type { Synthesizer } from './synthesizer.js';

/** How the method learns, for the rules that name a kind of model rather than a model. */
export type MethodFamily = 'diffusion' | 'gan' | 'vae' | 'marginals' | 'baseline';

export interface MethodCapabilities {
  readonly family: MethodFamily;
  /**
   * Trained in epochs over the rows (n_iter, batch_size, checkpoints, DP-SGD); false for a method
   * that is not (AIM measures marginals in rounds): the pipeline then skips epoch arithmetic and
   * checkpoints, and flags such as --n-iter are refused naming the method.
   */
  readonly trainsByEpochs: boolean;
  /** How it trains under a privacy budget: DP-SGD on its gradients, zCDP on marginals, or not at all. */
  readonly dp: 'dp-sgd' | 'zcdp' | null;
  /**
   * Whether its DP fit reads the numeric columns' quantiles (the neural methods' transforms do);
   * when it does, preprocessing releases them for bounds declared without them.
   */
  readonly readsQuantiles: boolean;
}

export interface TimeEstimate {
  readonly seconds: number;
  readonly basis: string;
}

/** The method's part in `--method auto`: the choice it is for, and the reason said to the user. */
export interface AutoRole {
  /** 'tables': the usual choice; 'many-categories': past AUTO_CATEGORY_LEVELS levels; 'private': under a budget. */
  readonly when: 'tables' | 'many-categories' | 'private';
  readonly reason: (levels: number) => string;
}

export interface MethodDescriptor {
  readonly id: string;
  readonly title: string;
  readonly space: Space;
  /** Parameters that change only how a trained model samples: a saved model takes them (`--param` with `--load-model`). */
  readonly samplingParams?: readonly string[];
  /**
   * Fine-tuning (`--init-from`): present when a fit of the method can start from a saved model
   * (its Synthesizer's fineTuneStart); `fixed` names the architecture parameters, which come from
   * the model file and no flag may change.
   */
  readonly fineTune?: { readonly fixed: readonly string[] };
  /** Where `--search bayes` looks: a box inside the space (absent: the method is not searched, only its defaults tried). */
  readonly searchSpace?: SearchSpace;
  /** Each parameter's default that holds for any table. */
  readonly fixedDefaults: Readonly<Record<string, number>>;
  /** Defaults by data size (SPEC section 5), which win over the fixed ones. */
  readonly sizeRules: readonly SizeRule[];
  /** What training under DP fixes, whatever the defaults (CTGAN's pac 1). */
  readonly privateFixed?: Readonly<Record<string, SizedDefault>>;
  readonly capabilities: MethodCapabilities;
  readonly auto?: AutoRole;
  /** A rough training time before anything runs (gesalp suggest); `inputWidth`: the encoded width. */
  readonly estimateSeconds?: (
    params: Readonly<Record<string, number>>,
    trainRows: number,
    inputWidth: number,
  ) => TimeEstimate;
  /** A new, untrained model with these parameters (every name of the space). */
  readonly create: (params: Readonly<Record<string, number>>) => Promise<Synthesizer>;
  /** A model saved by its `save`. */
  readonly load: (dir: string) => Promise<Synthesizer>;
  /** The files its `save` writes into a model folder. */
  readonly files: readonly string[];
  /** Before training: a warning when this table would make the model very large (null when it will not). */
  readonly memoryWarning?: (table: Table, params: Readonly<Record<string, number>>) => Promise<string | null>;
}
