/**
 * JSON.parse keeps the last of two equal keys in an object without a word, so a ledger holding a
 * target twice would lose the first copy's spend. This finds such a key. It reads text that
 * JSON.parse has already accepted, so it only has to follow strings and nesting.
 */

/** The first key that occurs twice in one object of `text` (valid JSON), with its path, or undefined. */
export function duplicateKey(text: string): string | undefined {
  const frames: { keys: Set<string> | null; path: string; expectKey: boolean; lastKey: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) return `${top.path}${JSON.stringify(key)}`;
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = end;
      continue;
    }
    const top = frames[frames.length - 1];
    if (ch === '{' || ch === '[') {
      const path = top ? `${top.path}${top.keys ? JSON.stringify(top.lastKey) : '[]'}.` : '';
      frames.push({ keys: ch === '{' ? new Set() : null, path, expectKey: ch === '{', lastKey: '' });
    } else if (ch === '}' || ch === ']') frames.pop();
    else if (ch === ',' && top?.keys) top.expectKey = true;
    i++;
  }
  return undefined;
}

/** The index just past the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}
