/**
 * Levers: the parameter moves rules are made of. A rule lists its levers in order; the first that
 * can still move (not at its cap, available to the caller) makes the change, so a capped lever
 * hands over to the next instead of repeating itself. A lever an earlier rule already moves ends
 * the list: one change per cause, not every lever at once.
 */
import type { MethodId, ParamName } from '../models/registry.js';
import { clampParam } from '../models/space.js';
import { flatCurves } from './curve-evidence.js';
import type { Change } from './rule.js';
import type { Situation } from './situation.js';

export interface Lever {
  readonly param: string;
  /** How the lever moves, for the docs: "+100, up to 600". */
  readonly label: string;
  /** The target value, or null when the lever cannot move in this situation. */
  target(situation: Situation): number | string | null;
  /** Whether the lever is the method's at all (a parameter of its space): one that is not is passed over unnamed. */
  fits?(situation: Situation): boolean;
  /** Why the evidence says not to pull it here (null: nothing against it). */
  blocked?(situation: Situation): string | null;
}

interface Bounds {
  readonly atLeast?: number;
  readonly upTo?: number;
}

const bounded = (value: number, bounds: Bounds): number =>
  Math.min(Math.max(value, bounds.atLeast ?? -Infinity), bounds.upTo ?? Infinity);

const boundsLabel = (bounds: Bounds): string =>
  [
    bounds.atLeast !== undefined ? `at least ${bounds.atLeast}` : '',
    bounds.upTo !== undefined ? `up to ${bounds.upTo}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/** Raises (or with a negative step lowers) a parameter; null once the bounds stop it moving that way. */
export function step(param: ParamName, amount: number, bounds: Bounds = {}): Lever {
  const sign = amount > 0 ? '+' : '';
  return {
    param,
    label: [`${param} ${sign}${amount}`, boundsLabel(bounds)].filter(Boolean).join(', '),
    target: (s) => moved(s, param, (current) => bounded(current + amount, bounds), amount > 0),
    fits: (s) => hasParam(s, param),
  };
}

/** Multiplies a parameter; null once the bounds stop it moving that way. */
export function scale(param: ParamName, factor: number, bounds: Bounds = {}): Lever {
  return {
    param,
    label: [`${param} x${factor}`, boundsLabel(bounds)].filter(Boolean).join(', '),
    target: (s) => moved(s, param, (current) => bounded(current * factor, bounds), factor > 1),
    fits: (s) => hasParam(s, param),
  };
}

const hasParam = (situation: Situation, param: string): boolean =>
  situation.descriptor !== null && Object.hasOwn(situation.descriptor.space, param);

/**
 * More epochs, unless the checkpoint curve says they will not help: every failing utility metric
 * the checkpoints measured stopped improving (checkpoint-curve.ts).
 */
export function moreEpochs(amount: number, bounds: Bounds = {}): Lever {
  const epochs = step('n_iter', amount, bounds);
  return {
    ...epochs,
    label: `${epochs.label}, unless the checkpoint curve is flat`,
    blocked: (s) => (flatCurves(s) ? 'n_iter: the checkpoint curve is flat, more epochs will not help' : null),
  };
}

function moved(situation: Situation, param: string, next: (current: number) => number, up: boolean): number | null {
  const spec = hasParam(situation, param) ? situation.descriptor!.space[param] : undefined;
  const current = situation.params[param];
  if (!spec || current === undefined) return null;
  const target = clampParam(spec, next(current));
  return (up ? target > current : target < current) ? target : null;
}

/** Switches to another method, when the caller can train it. */
export function switchMethod(to: MethodId): Lever {
  return {
    param: 'method',
    label: `switch to ${to}`,
    target: (s) => (s.method !== null && s.method !== to && s.can.methods.includes(to) ? to : null),
    fits: (s) => s.method !== null && s.method !== to,
  };
}

/** Turns DP-SGD on at this epsilon, when the run has none and the caller can train with DP. */
export function enableDp(epsilon: number): Lever {
  return {
    param: 'epsilon',
    label: `enable DP-SGD, epsilon ${epsilon}`,
    target: (s) => (s.can.dp && !s.dp ? epsilon : null),
  };
}

/**
 * Moves epsilon under DP. Lowering adds noise (more privacy); raising removes noise (more utility)
 * and stops at the user's stated maximum.
 */
export function scaleEpsilon(factor: number, floor: number): Lever {
  return {
    param: 'epsilon',
    label: factor > 1 ? `epsilon x${factor}, never above the stated maximum` : `epsilon x${factor}, at least ${floor}`,
    target: (s) => {
      if (!s.dp) return null;
      const target =
        factor > 1 ? Math.min(s.dp.epsilon * factor, s.dp.maxEpsilon) : Math.max(s.dp.epsilon * factor, floor);
      const rounded = Math.round(target * 1000) / 1000;
      return (factor > 1 ? rounded > s.dp.epsilon : rounded < s.dp.epsilon) ? rounded : null;
    },
  };
}

/** The first lever that can move, as a change; [] when every lever is capped, taken or unavailable. */
export function pullFirst(
  levers: readonly Lever[],
  situation: Situation,
  taken: ReadonlySet<string>,
  rule: string,
  reason: string,
): Change[] {
  const capped: string[] = [];
  const blocked: string[] = [];
  for (const lever of levers) {
    if (lever.fits && !lever.fits(situation)) continue;
    // An earlier rule already moves this lever: that move answers this failure too.
    if (taken.has(lever.param)) return [];
    const against = lever.blocked?.(situation) ?? null;
    if (against !== null) {
      blocked.push(against);
      continue;
    }
    const target = lever.target(situation);
    if (target === null) {
      capped.push(lever.param);
      continue;
    }
    const from =
      lever.param === 'method'
        ? situation.method
        : lever.param === 'epsilon'
          ? (situation.dp?.epsilon ?? null)
          : situation.params[lever.param];
    const notes = [...blocked, ...(capped.length ? [`${capped.join(', ')} cannot move further`] : [])];
    const note = notes.length ? ` (${notes.join('; ')}, so the next lever)` : '';
    return [{ param: lever.param, from, to: target, rule, reason: `${reason}: ${lever.label}${note}` }];
  }
  return [];
}

export const leverLabels = (levers: readonly Lever[]): string => levers.map((l) => l.label).join('; then ');
