/**
 * The JSON Schemas of the reports gesalp writes, generated from their TypeScript types (the one
 * declaration of each) so that they cannot drift apart: `npm run schema` writes schema/, and a test
 * compares what is there with what the types give now.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

/** Each shipped schema: its file in schema/ and the exported type it describes. */
export const REPORT_SCHEMAS = {
  'generation-report.schema.json': 'GenerationReport',
  'evaluation-report.schema.json': 'EvaluationReport',
  'failure-analysis.schema.json': 'FailureAnalysis',
} as const;

export type SchemaFile = keyof typeof REPORT_SCHEMAS;

/** `root`: the repository's folder (where src/index.ts and tsconfig.json are). */
export function reportSchema(root: string, file: SchemaFile): string {
  const generator = createGenerator({
    path: `${root}/src/index.ts`,
    tsconfig: `${root}/tsconfig.json`,
    type: REPORT_SCHEMAS[file],
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
  });
  const schema = generator.createSchema(REPORT_SCHEMAS[file]);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1]?.endsWith('report-schemas.js')) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const file of Object.keys(REPORT_SCHEMAS) as SchemaFile[]) {
    writeFileSync(`${root}schema/${file}`, reportSchema(root, file));
    process.stdout.write(`wrote schema/${file}\n`);
  }
}
