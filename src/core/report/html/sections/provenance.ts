/** Last: what was read (with fingerprints), where it ran, which versions, how long each step took. */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { InputFile } from '../../../io/load-inputs.js';
import { escape, num, table } from '../markup.js';
import type { Section } from './section.js';

function fileRow(role: string, file: InputFile | null): string[] {
  if (!file) return [escape(role), '-', '', '', ''];
  return [escape(role), escape(file.path), num(file.rows), num(file.columns), `<code>${escape(file.sha256)}</code>`];
}

export const provenanceSection: Section = {
  id: 'provenance',
  title: 'Inputs, versions and timings',
  render({ evaluation: e, generation: g, versions }) {
    const inputs = g
      ? [
          fileRow('input', g.input),
          [
            escape('split'),
            escape(
              `seed ${g.split.seed}, holdout fraction ${g.split.fraction}: ${g.split.train_rows} training rows, ${g.split.holdout_rows} holdout rows`,
            ),
            '',
            '',
            '',
          ],
          fileRow('synthetic (written)', e.inputs.synthetic),
        ]
      : [
          fileRow('real', e.inputs.real),
          fileRow('synthetic', e.inputs.synthetic),
          fileRow('holdout', e.inputs.holdout),
        ];
    const allVersions = { gesalp: e.gesalp_version, ...versions, vega: vega.version, 'vega-lite': vl.version };
    const timings = { ...e.timings_s, ...(g?.timings_s ?? {}) };
    return [
      table(['role', 'file', 'rows', 'columns', 'SHA-256'], inputs, 'compact'),
      `<p>Backend <code>${escape(g?.backend ?? e.backend)}</code>, seed ${num(e.seed)}, report written ${escape(g?.created_at ?? e.created_at)}.</p>`,
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
