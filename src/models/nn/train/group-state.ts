/** One parameter group inside a shard: its weights, the summed gradient buffer, its optimizer and weight average. */
import { FlatAdamW, updateAverage } from './flat-adamw.js';
import type { ParamGroup } from './task.js';

export class GroupState {
  readonly name: string;
  readonly weights: Float32Array;
  /** The gradient summed over the shards, filled by each exchange. */
  readonly summed: Float32Array;
  private readonly optimizer: FlatAdamW;
  private readonly average: Float32Array | null;

  constructor(
    private readonly group: ParamGroup,
    keepAverage: boolean,
  ) {
    this.name = group.name;
    this.weights = group.initial.slice();
    this.summed = new Float32Array(this.weights.length);
    this.optimizer = new FlatAdamW(this.weights, { ...group.optimizer });
    this.average = keepAverage && group.averageRate !== undefined ? group.initial.slice() : null;
  }

  /** One optimizer step with the summed gradient; `step` of `totalSteps` sets the scheduled lr. */
  update(step: number, totalSteps: number): void {
    const { lr, lrSchedule } = this.group.optimizer;
    this.optimizer.apply(this.summed, lrSchedule === 'linear' ? lr * (1 - step / totalSteps) : lr);
    if (this.average) updateAverage(this.average, this.weights, this.group.averageRate!);
  }

  /** The weights to sample with: the average where kept, else the weights. */
  modelWeights(): Float32Array {
    return this.average ?? this.weights;
  }
}
