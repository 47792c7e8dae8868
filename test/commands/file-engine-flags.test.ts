import { describe, expect, it } from '@jest/globals';
import { largeFileHint } from '../../src/commands/file-engine-flags.js';

const GB = 2 ** 30;

describe('largeFileHint (a file read into memory that --engine duckdb would read out of core)', () => {
  it('says nothing for a file within an eighth of the memory', () => {
    expect(largeFileHint(2 * GB, 24 * GB)).toBeUndefined();
    expect(largeFileHint(3 * GB, 24 * GB)).toBeUndefined();
  });

  it('names the sizes and --engine duckdb past it', () => {
    expect(largeFileHint(3.5 * GB, 24 * GB)).toBe(
      'the input is 3.5 GB on a machine of 24.0 GB: reading it into memory may run out of it; --method aim --engine duckdb fits on counts DuckDB computes over the file, out of core',
    );
  });
});
