/**
 * Every report the suite sees is held to the JSON Schema the package ships (schema/, generated from
 * the report types): the CLI helper checks each report a run writes or prints, and in-process tests
 * call `expectValidReport`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMAS: Record<string, string> = {
  generation: 'generation-report.schema.json',
  evaluation: 'evaluation-report.schema.json',
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

function validatorFor(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (!validate) {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL(`../../schema/${file}`, import.meta.url)), 'utf8'));
    validate = ajv.compile(schema);
    validators.set(file, validate);
  }
  return validate;
}

/** The schema's complaints about `doc` (none: valid), chosen by its `report` field or by `file`. */
export function reportProblems(doc: unknown, file?: string): string[] {
  const kind = (doc as { report?: string } | null)?.report;
  const schema = file ?? (kind ? SCHEMAS[kind] : undefined);
  if (!schema) return [];
  const validate = validatorFor(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Throws, naming the problems, unless `doc` fits the schema of its kind. */
export function expectValidReport(doc: unknown, where = 'a report', file?: string): void {
  const problems = reportProblems(doc, file);
  if (problems.length) throw new Error(`${where} does not fit its JSON Schema:\n  ${problems.join('\n  ')}`);
}

export const FAILURE_ANALYSIS_SCHEMA = 'failure-analysis.schema.json';
