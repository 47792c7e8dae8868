/**
 * generate's `init_from`: the saved model a run fine-tunes, checked against the other options
 * before the input is read. The method is the model's; the architecture parameters are the
 * model's; a model saved without what training needs (an older format) is refused with how to
 * mend it; under DP only a model trained under DP is taken (its budget then composes with this
 * run's, pipeline/init-from.ts), since one trained without noise may have seen these private rows.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GesalpError, optionError } from '../core/errors.js';
import type { LoadedInputs } from '../core/io/load-inputs.js';
import type { ColumnMetadata } from '../core/schema/metadata.js';
import { recastColumn } from '../core/schema/recast.js';
import type { ColumnSpec } from '../core/schema/schema.js';
import { isMissingMarker } from '../core/schema/values.js';
import type { Column, Table } from '../core/table.js';
import { MODEL_JSON, readOptionalSavedFile } from '../models/saved-file.js';
import { PLACEHOLDER_LEVEL } from '../privacy/preprocessing/preprocess.js';
import type { MethodChoice, Registry } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { AttemptPlan } from '../pipeline/attempt-plan.js';
import { initFromRecord, modelFilesHash, type InitFrom } from '../pipeline/init-from.js';
import type { GenerateOptions } from './generate-options.js';
import type { Declaration } from './metadata.js';

/** Options that cannot go with init_from, refused before anything is read. */
export function checkInitFromCombinations(options: GenerateOptions): void {
  if (options.init_from === undefined) return;
  // An empty folder name (an unset variable in a script) would otherwise train from zero unsaid.
  if (options.init_from.trim() === '')
    throw optionError(
      'usage',
      'init_from',
      '{init_from} is empty',
      'Name the folder of a model saved with {save_model}, e.g. {init_from} model/, or drop {init_from} to train from zero.',
      ['save_model'],
    );
  const refuse = (option: string, message: string, hint: string) => {
    throw optionError('usage', option, message, hint, ['init_from', 'max_attempts']);
  };
  if (options.load_model)
    refuse(
      'load_model',
      '{load_model} samples from a saved model as it is; {init_from} trains it further',
      'Use {init_from} to fine-tune, or {load_model} to sample only.',
    );
  if (options.search === 'bayes')
    refuse(
      'search',
      "{search} bayes searches the method's architecture and may switch methods; {init_from} keeps the saved model's",
      'Drop {search} bayes: the retry loop ({max_attempts}) restarts each attempt from the saved weights.',
    );
  if (options.previous?.length)
    refuse(
      'previous',
      "{previous} warm-starts a search from earlier runs' parameters; {init_from} starts from the saved model's",
      'Drop {previous}.',
    );
}

/**
 * The saved model in `init_from` as the pipeline's start: its method (a named method must be it),
 * its transform and weights, its DP record and the report's record of it. Under DP a model trained
 * without a budget is refused; outside DP, fine-tuning a DP model is said to leave these rows
 * unprotected.
 */
export async function initFromOf(
  options: GenerateOptions,
  registry: Registry,
  privateRun: boolean,
  say: { readonly info: (text: string) => void; readonly warn: (text: string) => void },
): Promise<{ init: InitFrom; method: MethodChoice }> {
  const dir = options.init_from!;
  const store = await import('../pipeline/model-store.js');
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory())
    throw optionError(
      'input',
      'init_from',
      `{init_from} ${dir} is a file, not a model folder`,
      'Point {init_from} at the folder written by {save_model} (the one that holds model.json), not at a file in it.',
      ['save_model'],
    );
  if ((await readOptionalSavedFile(join(dir, MODEL_JSON)).catch(asInitFromError)) === null)
    throw optionError(
      'input',
      'init_from',
      `{init_from} ${dir} is not a saved model (no model.json)`,
      'Point {init_from} at a folder written by {save_model}.',
      ['save_model'],
    );
  const saved = await store.loadTrained(dir, registry).catch(asInitFromError);
  try {
    const { model, privacy } = saved;
    const named = options.method;
    if (named !== undefined && named !== 'auto' && named !== model.method)
      throw optionError(
        'usage',
        'method',
        `{method} ${named}, but the model in {init_from} ${dir} is a ${model.method} model: fine-tuning keeps its method`,
        `Drop {method}, or give {method} ${model.method}.`,
        ['init_from'],
      );
    const descriptor = registry.get(model.method);
    const start = descriptor.fineTune && model.fineTuneStart ? model.fineTuneStart() : undefined;
    if (start === undefined)
      throw optionError(
        'usage',
        'init_from',
        `method ${model.method} cannot be fine-tuned: {init_from} takes a model of ${registry.methods
          .filter((m) => m.fineTune)
          .map((m) => m.id)
          .join(', ')}`,
        `Train a new ${model.method} model without {init_from}.`,
      );
    if (start === null)
      throw optionError(
        'input',
        'init_from',
        `the model in {init_from} ${dir} was saved by an older version of gesalp without the parts training needs (it still samples with {load_model})`,
        'Re-save it with this version: train again with {save_model}, then fine-tune that folder.',
        ['load_model', 'save_model'],
      );
    if (privateRun && !privacy)
      throw optionError(
        'usage',
        'init_from',
        `{epsilon} with {init_from}: the model in ${dir} was trained without a privacy budget, so it may have seen these private rows without noise and no budget covers it`,
        'Fine-tune a model saved from a DP run (its budget adds to this one), or train a new one under {epsilon} without {init_from}.',
        ['epsilon'],
      );
    const t = model.training;
    say.info(
      `fine-tuning the ${model.method} model in ${dir}${t ? ` (trained ${t.epochsDone} epochs)` : ''}: its transform and weights are the start, its architecture is kept`,
    );
    // Said by the pipeline, which also keeps them in the report's warnings.
    const warnings: string[] = [];
    if (!privateRun && privacy)
      warnings.push(
        `the model in ${dir} was trained under DP (epsilon ${privacy.total_epsilon}); fine-tuning it without a privacy budget trains on these rows without noise: the new model and its rows are not DP`,
      );
    if (!saved.split)
      warnings.push(
        `the model in ${dir} has no split.json: this run splits the rows with its own key, so its holdout may hold rows the saved model trained on, and mia_auc and dcr_train_share may look safer than they are`,
      );
    const record = initFromRecord(model, privacy, await modelFilesHash(dir, model.method, registry));
    const init: InitFrom = {
      start,
      fixed: descriptor.fineTune!.fixed,
      privacy,
      split: saved.split,
      record,
      dir,
      warnings,
    };
    return { init, method: { id: model.method, reason: "the saved model's method, which fine-tuning keeps" } };
  } finally {
    // The start holds what fine-tuning needs; the loaded model is not sampled.
    saved.model.dispose();
  }
}

/**
 * The holdout fraction of a fine-tuning run: the saved model's (split.json) unless a smaller one is
 * given. The split is keyed by row content with the saved key, so a smaller holdout is part of the
 * saved one, while a larger one would take in rows the saved model trained on: refused (exit 2).
 */
export function initFromHoldoutFraction(options: GenerateOptions, init: InitFrom): number {
  const saved = init.split?.fraction;
  const given = options.holdout_fraction;
  if (saved === undefined) return given ?? 0.2;
  if (given === undefined) return saved;
  if (given > saved + 1e-12)
    throw optionError(
      'usage',
      'holdout_fraction',
      `{holdout_fraction} ${given} is larger than the holdout of the model in {init_from} (${saved}): rows it trained on would land in this run's holdout and make mia_auc and dcr_train_share look safer than they are`,
      `Drop {holdout_fraction} (the saved model's ${saved} is kept), or give one of at most ${saved}.`,
      ['init_from'],
    );
  return given;
}

/**
 * A saved-model error raised while loading the folder (worded for {load_model}) as one about
 * {init_from}, so that its message and hint name the option the user gave.
 */
function asInitFromError(error: unknown): never {
  if (!(error instanceof GesalpError) || error.option !== 'load_model') throw error;
  const { message, hint } = error.phrased((o) => `{${o === 'load_model' ? 'init_from' : o}}`);
  const names = [...new Set([...`${message} ${hint ?? ''}`.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]))].filter(
    (n) => n !== 'init_from',
  );
  throw optionError(error.kind, 'init_from', message, hint, names);
}

/** Parameters and grid axes that would change the saved model's architecture are refused, naming the option. */
export function checkArchitecture(init: InitFrom, overrides: readonly ResolvedParam[], plan: AttemptPlan): void {
  const saved = init.start.params;
  for (const o of overrides)
    if (init.fixed.includes(o.name) && o.value !== saved[o.name])
      throw optionError(
        'usage',
        'params',
        `${o.source === 'params' ? 'parameter' : o.source} ${o.name}=${o.value}: the model in {init_from} has ${o.name} ${saved[o.name]}, part of its architecture, which fine-tuning keeps`,
        `Drop ${o.name}, or train a new model without {init_from}.`,
        ['init_from'],
      );
  if (plan.kind !== 'grid') return;
  const moved = init.fixed.find((name) => plan.points.some((p) => name in p && p[name] !== saved[name]));
  if (moved)
    throw optionError(
      'usage',
      'grid',
      `{grid} ${moved}: the model in {init_from} has ${moved} ${saved[moved]}, part of its architecture, which fine-tuning keeps`,
      `Grid over training parameters (n_iter, lr, batch_size, ...) with {init_from}, or drop it.`,
      ['init_from'],
    );
}

/**
 * The input read with the saved model's column kinds (and under DP its level lists), never with
 * kinds guessed from the rows (a few rows of a numeric column look like integer codes) or a second
 * noisy release of them: the saved model's are public (declared) or already a DP release. Columns
 * the user's metadata gives a kind keep it (a disagreement is then refused naming the columns), and
 * columns the model lacks are left to the column check.
 *
 * Under DP they become declarations (`metadata`): the run spends nothing on releasing the kinds or
 * those level lists, and compares nothing against noise; the pipeline recasts the rows to them.
 * Outside DP the table is recast now where nothing is lost (labels that are all numbers or dates
 * to a numeric or date column, numbers to a categorical one); anything else stays as read, for
 * the column check to refuse.
 */
export function withSavedKinds(
  read: LoadedInputs,
  metadata: Declaration | undefined,
  init: InitFrom,
  privateRun: boolean,
): { read: LoadedInputs; metadata: Declaration | undefined } {
  const table = read.tables[0];
  const declared = metadata?.value.columns;
  const present = new Set(table.columns.map((c) => c.name));
  const saved = init.start.columns.filter((c) => present.has(c.name) && !declared?.get(c.name)?.kind);
  if (!saved.length) return { read, metadata };
  if (privateRun) {
    const columns = new Map<string, ColumnMetadata>(declared ?? []);
    for (const c of saved) {
      const own = columns.get(c.name) ?? {};
      // The released list ends with the placeholder for unreleased levels, which a declared list gets anyway.
      const categories = c.levels?.filter((level) => level !== PLACEHOLDER_LEVEL);
      const levels = c.kind === 'categorical' && categories && !own.categories ? { categories } : {};
      columns.set(c.name, { ...own, kind: c.kind, ...levels });
    }
    const file = metadata ? `${metadata.file} + the model in ${init.dir}` : `the model in ${init.dir}`;
    return {
      read,
      metadata: {
        value: { ...(metadata?.value ?? { draftedFromData: false }), columns },
        file,
      },
    };
  }
  const kinds = new Map(saved.map((c) => [c.name, c.kind]));
  const reason = 'the kind of the model fine-tuned (init_from)';
  const recast = table.columns.map((column) => {
    const kind = kinds.get(column.name);
    return kind && kind !== column.kind ? losslessRecast(column, kind) : null;
  });
  if (recast.every((c) => c === null)) return { read, metadata };
  const columns = table.columns.map((column, i) => recast[i] ?? column);
  const schema = {
    columns: read.schema.columns.map((spec): ColumnSpec => {
      const column = recast[table.columns.findIndex((c) => c.name === spec.name)];
      if (!column) return spec;
      if (column.kind === 'categorical') return { name: spec.name, kind: column.kind, reason, numericLabels: true };
      const whole = column.values.every((v) => Number.isNaN(v) || Number.isInteger(v));
      return {
        name: spec.name,
        kind: column.kind,
        reason,
        ...(column.kind === 'numeric' && whole ? { integer: true } : {}),
      };
    }),
  };
  const first: Table = { rowCount: table.rowCount, columns };
  return { read: { ...read, schema, tables: [first, ...read.tables.slice(1)] }, metadata };
}

/** `column` as `kind` when no value is lost on the way (null otherwise). */
function losslessRecast(column: Column, kind: Column['kind']): Column | null {
  if (kind === 'categorical') return column.kind === 'categorical' ? null : recastColumn(column, kind);
  if (column.kind !== 'categorical') return null;
  const recast = recastColumn(column, kind);
  if (recast.kind === 'categorical') return null;
  const marker = column.levels.map(isMissingMarker);
  for (let row = 0; row < column.codes.length; row++) {
    const code = column.codes[row];
    if (code >= 0 && !marker[code] && Number.isNaN(recast.values[row])) return null;
  }
  return recast;
}
