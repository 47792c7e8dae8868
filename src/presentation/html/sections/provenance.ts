/** Last: what was read (with fingerprints), where it ran, which versions, how long each step took. */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { InputFile } from '../../../core/io/load-inputs.js';
import { VERSION } from '../../../core/version.js';
import { escape, num, table } from '../markup.js';
import type { Section } from './section.js';

type FileView = Pick<InputFile, 'path' | 'columns'> & {
  rows: number | null;
  sha256?: string | null;
  rows_from?: string;
};

function fileRow(role: string, file: FileView | null): string[] {
  if (!file) return [escape(role), '-', '', '', ''];
  const rows = file.rows === null ? 'private' : `${num(file.rows)}${file.rows_from ? ' (released)' : ''}`;
  const hash = file.sha256 ? `<code>${escape(file.sha256)}</code>` : 'not recorded (DP)';
  return [escape(role), escape(file.path), rows, num(file.columns), hash];
}

export const provenanceSection: Section = {
  id: 'provenance',
  title: 'Inputs, versions and timings',
  render({ evaluation: e, generation: g, versions }) {
    const split = g?.split;
    const counts =
      split && split.train_rows !== null && split.holdout_rows !== null
        ? `: ${split.train_rows} training rows, ${split.holdout_rows} holdout rows`
        : ' (the counts are private under DP)';
    const inputs = g
      ? [
          fileRow('input', g.input),
          [
            escape('split'),
            escape(`keyed row hash, key ${g.split.seed}, holdout fraction ${g.split.fraction}${counts}`),
            '',
            '',
            '',
          ],
          ...(e ? [fileRow('synthetic (written)', e.inputs.synthetic)] : []),
        ]
      : !e
        ? []
        : [
            fileRow('real', e.inputs.real),
            fileRow('synthetic', e.inputs.synthetic),
            fileRow('holdout', e.inputs.holdout),
          ];
    const allVersions = { gesalp: VERSION, ...versions, vega: vega.version, 'vega-lite': vl.version };
    const timings = { ...(e?.timings_s ?? {}), ...(g?.timings_s ?? {}) };
    return [
      table(['role', 'file', 'rows', 'columns', 'SHA-256'], inputs, 'compact'),
      `<p>Backend <code>${escape(g?.backend ?? e?.backend ?? '')}</code>, seed ${num(g?.seed ?? e?.seed ?? 0)}, report written ${escape(g?.created_at ?? e?.created_at ?? '')}.</p>`,
      table(
        ['software', 'version'],
        Object.entries(allVersions).map(([k, v]) => [escape(k), escape(v)]),
        'compact',
      ),
      table(
        ['step', 'seconds'],
        Object.entries(timings).map(([k, v]) => [escape(k), num(v, 3)]),
        'compact',
      ),
    ].join('\n');
  },
};
