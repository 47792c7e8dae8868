/** An earlier report read for its JSON (--previous): the library checks its fields. */
import { readFileSync } from 'node:fs';
import { inputError } from '../core/errors.js';

export function readJsonReport(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw inputError(
      `cannot read --previous ${path}: ${(error as Error).message}`,
      'Give the .report.json an earlier gesalp generate run wrote.',
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw inputError(`--previous ${path} is not JSON`, 'Give the .report.json an earlier gesalp generate run wrote.');
  }
}
