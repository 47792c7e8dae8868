/**
 * The JSON Schemas the package ships (schema/) are what the report types give now, and they hold a
 * real report while refusing the shapes issue 28 found (violations as names beside violations as checks).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { REPORT_SCHEMAS, reportSchema, type SchemaFile } from '../../scripts/report-schemas.js';
import { ROOT } from '../helpers/cli.js';
import { penguinsReport } from '../helpers/penguins-report.js';
import { reportProblems } from '../helpers/report-schema.js';

describe('the shipped report schemas', () => {
  it.each(Object.keys(REPORT_SCHEMAS) as SchemaFile[])(
    '%s is what the types give (npm run schema rewrites it)',
    (file) => {
      expect(readFileSync(`${ROOT}schema/${file}`, 'utf8')).toBe(reportSchema(ROOT, file));
    },
    30000,
  );

  it('holds an evaluation report and refuses violations given as names or a missing quality score', async () => {
    const { report } = await penguinsReport();
    expect(reportProblems(report)).toEqual([]);
    const doc = JSON.parse(JSON.stringify(report));
    expect(reportProblems({ ...doc, violations: ['mia_auc'] }).join('\n')).toMatch(/violations\/0 must be object/);
    const { quality: _quality, ...withoutQuality } = doc;
    expect(reportProblems(withoutQuality).join('\n')).toMatch(/must have required property 'quality'/);
    expect(reportProblems({ ...doc, surprise: 1 }).join('\n')).toMatch(/must NOT have additional properties/);
  });
});
