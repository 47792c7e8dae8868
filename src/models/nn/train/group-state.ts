/** One parameter group inside a shard: its weights, the summed gradient buffer, its optimizer and weight average. */
import { KernelAdam } from './adam.js';
import type { ParamGroup } from './task.js';

export class GroupState {
  readonly name: string;
  readonly weights: Float32Array;
  /** The gradient summed over the shards, filled by each exchange. */
  readonly summed: Float32Array;
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
    const { lr, lrSchedule } = this.group.optimizer;
    this.optimizer.apply(lrSchedule === 'linear' ? lr * (1 - step / totalSteps) : lr);
    // Every shard clamps the same weights identically, so they stay equal without an exchange.
    const clamp = this.group.clamp;
    if (clamp) {
      for (let i = clamp.start; i < clamp.end; i++)
        this.weights[i] = Math.min(Math.max(this.weights[i], clamp.min), clamp.max);
    }
  }

  /** The weights to sample with: the average where kept, else the weights. */
  modelWeights(): Float32Array {
    return this.optimizer.average ?? this.weights;
  }
}
