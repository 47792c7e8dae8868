/** One parameter group inside a shard: its weights, the summed gradient buffer, its optimizer and weight average. */
import { KernelAdam, type AdamState } from './adam.js';
import type { ParamGroup } from './task.js';

export class GroupState {
  readonly name: string;
  readonly weights: Float32Array;
  /** The gradient summed over the shards, filled by each exchange. */
  readonly summed: Float32Array;
  /**
   * The learning rate's multiplier, relative to the configured (and scheduled) one: lowered at a
   * plateau or a restart (restart.ts), identically on every shard. At 1 the steps are bit for bit
   * those of a run without it.
   */
  lrScale = 1;
  private readonly optimizer: KernelAdam;

  constructor(
    private readonly group: ParamGroup,
    keepAverage: boolean,
  ) {
    this.name = group.name;
    this.optimizer = new KernelAdam(group.initial, group.optimizer, keepAverage ? group.averageRate : undefined);
    this.weights = this.optimizer.weights;
    this.summed = this.optimizer.gradient;
  }

  /** One optimizer step with the summed gradient; `step` of `totalSteps` sets the scheduled lr. */
  update(step: number, totalSteps: number): void {
    const lr = this.lrScale * this.group.optimizer.lr;
    const { lrSchedule } = this.group.optimizer;
    this.optimizer.apply(lrSchedule === 'linear' ? lr * (1 - step / totalSteps) : lr);
    // Every shard clamps the same weights identically, so they stay equal without an exchange.
    const clamp = this.group.clamp;
    if (clamp) {
      for (let i = clamp.start; i < clamp.end; i++)
        this.weights[i] = Math.min(Math.max(this.weights[i], clamp.min), clamp.max);
    }
  }

  /** The optimizer's state (weights, moments, average), for a restart. */
  save(): AdamState {
    return this.optimizer.save();
  }

  restore(state: AdamState): void {
    this.optimizer.restore(state);
  }

  /** Whether every weight is a finite number (the same answer on every shard: only shard 0 keeps the average). */
  finite(): boolean {
    return allFinite(this.weights);
  }

  /** The weights to sample with: the average where kept, else the weights. */
  modelWeights(): Float32Array {
    return this.optimizer.average ?? this.weights;
  }
}

/** A float64 sum of float32 values cannot overflow, so it is finite exactly when every value is (NaN and infinities carry through). */
function allFinite(values: Float32Array): boolean {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return Number.isFinite(sum);
}
