/** Where a number may lie (a flag's value, an API option's): one range type, one test, one wording. */

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** The bound itself is outside. */
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

/** A finite number inside the range (NaN and the infinities never are: they compare false with every bound). */
export const inRange = (value: number, { min, max, minOpen, maxOpen, integer }: NumberRange): boolean =>
  Number.isFinite(value) &&
  (!integer || Number.isSafeInteger(value)) &&
  (min === undefined || (minOpen ? value > min : value >= min)) &&
  (max === undefined || (maxOpen ? value < max : value <= max));

export const describeRange = ({ min, max, minOpen, maxOpen, integer }: NumberRange): string => {
  const kind = integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined)
    return `${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min !== undefined) return `${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return kind;
};
