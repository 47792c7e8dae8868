/** What the generate command uses of the library, loaded on use so that `gesalp --help` and the other commands start fast. */
export async function loadLibrary() {
  const modules = await Promise.all([
    import('../metrics/checks.js'),
    import('../metrics/thresholds.js'),
    import('../core/io/atomic-write.js'),
    import('../core/io/output-guard.js'),
    import('../presentation/terminal/attempts-table.js'),
    import('../presentation/terminal/evaluation-table.js'),
    import('../core/text/format.js'),
    import('../presentation/terminal/params-table.js'),
    import('../api/generate.js'),
    import('../pipeline/model-store.js'),
    import('../pipeline/report.js'),
    import('./io.js'),
    import('./progress.js'),
  ]);
  return Object.assign({}, ...modules) as UnionToIntersection<(typeof modules)[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
export type Library = Awaited<ReturnType<typeof loadLibrary>>;
