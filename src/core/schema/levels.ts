/** A growing list of category levels and their codes: what readers and re-typers build a categorical column with. */

/** The code of `label` in `levels`, appending it (and indexing it) the first time it is seen. */
export function levelCode(index: Map<string, number>, levels: string[], label: string): number {
  let code = index.get(label);
  if (code === undefined) {
    code = levels.length;
    index.set(label, code);
    levels.push(label);
  }
  return code;
}
