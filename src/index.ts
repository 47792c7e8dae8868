/**
 * gesalp as a library: `import { generate, evaluate } from 'gesalp'`. Each function is what the
 * command of the same name calls; options are the report's snake_case names, hooks and results
 * keep TypeScript's camelCase for functions. Every failure is a GesalpError with the SPEC's exit code.
 */
export { generate } from './api/generate.js';
export { DEFAULT_MAX_GRAD_NORM, DEFAULT_PREPROCESSING_FRACTION } from './api/privacy-options.js';
export type { GenerateApiHooks, GenerateOptions, GenerateOutput } from './api/generate.js';
export { generateFromDatabase } from './api/generate-from-database.js';
export type { GenerateFromDatabaseOptions, GenerateFromDatabaseOutput } from './api/generate-from-database.js';
export { evaluate } from './api/evaluate.js';
export type { EvaluateOptions } from './api/evaluate.js';
export { analyzeFailure } from './api/analyze-failure.js';
export type { FailureAnalysis } from './api/analyze-failure.js';
export { describeRun, readReport } from './api/run-description.js';
export type { RunFacts } from './api/run-description.js';
export { suggest } from './api/suggest.js';
export type { SuggestOptions, SuggestResult } from './api/suggest.js';
export { sampleDb } from './api/sample-db.js';
export { columnWords } from './api/sample-db.js';
export type {
  ColumnFigures,
  ColumnWords,
  DatabaseConnection,
  LaplaceFigures,
  ResponseFigures,
  SampleDbHooks,
  SampleDbOptions,
  SampleDbResult,
} from './api/sample-db.js';
export type { QualityScore } from './metrics/quality.js';
export { readTable, writeTable } from './api/tables.js';
export type { ReadTableOptions, WriteTableOptions } from './api/tables.js';
export type { Row, TableInput } from './api/inputs.js';
export type { ApiHooks } from './api/hooks.js';
export type { Declaration, MetadataInput } from './api/metadata.js';
export { DEFAULT_THRESHOLDS } from './metrics/thresholds.js';
export type { Thresholds } from './metrics/thresholds.js';
export { EXIT, GesalpError } from './core/errors.js';
export type { Column, Table } from './core/table.js';
export type { EvaluationReport } from './metrics/evaluation-report.js';
export type { GenerationReport } from './pipeline/report.js';
export { makeRegistry, REGISTRY } from './models/registry.js';
export type { MethodChoice, Registry } from './models/registry.js';
export type { MethodCapabilities, MethodDescriptor, MethodFamily, TimeEstimate } from './models/descriptor.js';
export type { Space, ParamSpec } from './models/space.js';
export type { SizeRule, SizeTier } from './models/size-rule.js';
export type { Synthesizer, FitOptions, FitSummary, SampleOptions, SampleResult } from './models/synthesizer.js';
