/**
 * A table as read, before any type decision: each column is dictionary-encoded text
 * (levels + one code per row, -1 for an empty field), so schema inference parses each
 * distinct value once and a 3M-row file stays small in memory.
 */
import { inputError, optionError } from '../errors.js';
import { charName } from './dialect.js';

export interface RawColumn {
  readonly name: string;
  readonly levels: string[];
  readonly codes: Int32Array;
}

export interface RawTable {
  readonly source: string;
  readonly columns: RawColumn[];
  readonly rowCount: number;
}

export const MISSING_CODE = -1;

export class RawTableBuilder {
  private names: string[] | null = null;
  private dictionaries: Map<string, number>[] = [];
  private levels: string[][] = [];
  private codes: Int32Array[] = [];
  private rows = 0;

  /** `delimiter`: the CSV file's, named in the hint for a row of the wrong width (none for Parquet and Arrow). */
  /** `tolerant` (under DP): a row of the wrong width is padded with missing values or cut, never refused. */
  constructor(
    private readonly source: string,
    private readonly delimiter?: string,
    private readonly tolerant = false,
  ) {}

  readonly add = (record: string[], line: number): void => {
    let fields = record;
    if (this.names === null) {
      this.setHeader(fields, line);
      return;
    }
    const width = this.names.length;
    if (fields.length !== width && this.tolerant) fields = Array.from({ length: width }, (_, c) => fields[c] ?? '');
    if (fields.length !== width) {
      const d = charName(this.delimiter ?? ',');
      throw optionError(
        'input',
        'delimiter',
        `${this.source}: line ${line} has ${fields.length} fields but the header has ${width} (split on ${d})`,
        `Every row needs one field per header column: quote fields that contain ${d}, or give {delimiter} if ${d} is not the delimiter.`,
      );
    }
    if (this.rows === this.codes[0].length) this.grow();
    const row = this.rows++;
    for (let c = 0; c < width; c++) {
      const value = fields[c];
      if (value.length === 0) {
        this.codes[c][row] = MISSING_CODE;
        continue;
      }
      const dictionary = this.dictionaries[c];
      let code = dictionary.get(value);
      if (code === undefined) {
        code = this.levels[c].length;
        dictionary.set(value, code);
        this.levels[c].push(value);
      }
      this.codes[c][row] = code;
    }
  };

  build(): RawTable {
    if (this.names === null) {
      throw inputError(`${this.source} is empty`, 'Give a CSV file with a header row and at least one data row.');
    }
    if (this.rows === 0) {
      throw inputError(`${this.source} has a header but no rows`, 'Give a CSV file with at least one data row.');
    }
    const names = this.names;
    const columns = names.map((name, c) => ({
      name,
      levels: this.levels[c],
      codes: this.codes[c].slice(0, this.rows),
    }));
    this.dictionaries = [];
    return { source: this.source, columns, rowCount: this.rows };
  }

  private setHeader(fields: string[], line: number): void {
    const names = fields.map((f) => f.trim());
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (name.length === 0) {
        throw inputError(
          `${this.source}: line ${line}: header column ${i + 1} has no name`,
          'Name every column (a pandas index column? write the file with index=False).',
        );
      }
      if (seen.has(name)) {
        throw inputError(
          `${this.source}: column name '${name}' appears twice in the header`,
          'Give every column a unique name.',
        );
      }
      seen.add(name);
    });
    this.names = names;
    this.dictionaries = names.map(() => new Map());
    this.levels = names.map(() => []);
    this.codes = names.map(() => new Int32Array(1024));
  }

  private grow(): void {
    this.codes = this.codes.map((old) => {
      const bigger = new Int32Array(old.length * 2);
      bigger.set(old);
      return bigger;
    });
  }
}
