/**
 * The split's row hash as a DuckDB function: `gesalp_row_hash(key, cell, cell, ...)` gives
 * keyedHash53 of the row's canonical content (textRowContent), the very functions the in-memory
 * split uses (src/core/row-digest.ts), so that a row of a file read by DuckDB lands on the side
 * `splitRows` gives it (SPEC section 8) and `evaluate --split` rebuilds it from memory. The cells
 * come as the text of the file (read all_varchar), a missing one as NULL. DuckDB calls it a vector
 * (2,048 rows) at a time on the JS thread.
 */
import { BIGINT, DOUBLE, VARCHAR, DuckDBScalarFunction, type DuckDBConnection } from '@duckdb/node-api';
import { keyedHash53, textRowContent } from '../core/row-digest.js';

export const ROW_HASH_FUNCTION = 'gesalp_row_hash';

/** 2^53: a hash below fraction * 2^53 sends its row to the holdout (core/split.ts, sideOfHash). */
export const HASH_RANGE = 2 ** 53;

export function registerRowHash(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: ROW_HASH_FUNCTION,
      mainFunction: (_info, input, output) => {
        const vectors = Array.from({ length: input.columnCount }, (_, j) => input.getColumnVector(j));
        const cells = new Array<string>(vectors.length - 1);
        for (let row = 0; row < input.rowCount; row++) {
          const key = Number(vectors[0].getItem(row));
          for (let j = 1; j < vectors.length; j++) cells[j - 1] = (vectors[j].getItem(row) as string | null) ?? '';
          output.setItem(row, keyedHash53(textRowContent(cells), key));
        }
        output.flush();
      },
      returnType: DOUBLE,
      parameterTypes: [BIGINT],
      varArgsType: VARCHAR,
      // NULL cells reach the function (a missing value is part of the row's content).
      specialHandling: true,
    }),
  );
}
