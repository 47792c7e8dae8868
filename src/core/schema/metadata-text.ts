/** How the metadata file's readers and writers show values: a JSON value in an error, a date as ISO 8601. */

/** A JSON value as an error names it ("a list", "the text "x"", "number -1"). */
export const describeJson = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : typeof value === 'string'
          ? `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
          : `${typeof value} ${String(value)}`;

/** A date in seconds as ISO 8601: the day alone when it falls on midnight UTC. */
export function isoText(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return seconds % 86400 === 0 ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
