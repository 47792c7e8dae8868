/**
 * The privacy-utility-time front of a run's attempts as a scatter: quality against time (against
 * epsilon under DP, where times are not reported), the front's points filled (the front is over
 * quality, privacy and time, so a point may be on it for the axis not drawn), the kept attempt
 * ringed, each point labelled with its attempt number.
 */
import type { AttemptRecord } from '../../pipeline/report.js';

const WIDTH = 420;
const HEIGHT = 240;

export function frontSpec(attempts: readonly AttemptRecord[]): unknown | null {
  const dp = attempts.some((a) => a.epsilon !== null);
  const xOf = (a: AttemptRecord) =>
    dp ? a.epsilon : a.train_seconds === null || a.sample_seconds === null ? null : a.train_seconds + a.sample_seconds;
  const points = attempts
    .filter((a) => a.quality !== null && xOf(a) !== null)
    .map((a) => ({
      attempt: a.attempt,
      x: xOf(a)!,
      quality: a.quality!,
      place: a.pareto_front ? 'on the front' : 'dominated',
      kept: a.kept,
    }));
  if (points.length < 2) return null;
  const x = {
    field: 'x',
    type: 'quantitative',
    title: dp ? 'epsilon (lower: more private)' : 'seconds (train and sample)',
  };
  const y = { field: 'quality', type: 'quantitative', title: 'quality score', scale: { zero: false } };
  return {
    width: WIDTH,
    height: HEIGHT,
    title: {
      text: 'Attempts: quality against ' + (dp ? 'privacy' : 'time'),
      subtitle: dp
        ? 'up and left is better; filled: on the quality-epsilon front'
        : 'up and left is better; filled: on the front of quality, privacy (mia_auc) and time',
    },
    data: { values: points },
    layer: [
      {
        name: 'attempts',
        mark: { type: 'point', size: 70, strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: 'place',
            type: 'nominal',
            title: null,
            scale: { domain: ['on the front', 'dominated'], range: ['#1f77b4', '#9a9a9a'] },
          },
          fill: {
            field: 'place',
            type: 'nominal',
            legend: null,
            scale: { domain: ['on the front', 'dominated'], range: ['#1f77b4', 'white'] },
          },
        },
      },
      {
        name: 'kept',
        transform: [{ filter: 'datum.kept' }],
        mark: { type: 'point', size: 260, color: '#d62728', strokeWidth: 2, filled: false },
        encoding: { x, y },
      },
      {
        name: 'labels',
        mark: { type: 'text', dx: 9, dy: -7, fontSize: 10, color: '#24292f' },
        encoding: { x, y, text: { field: 'attempt' } },
      },
    ],
  };
}
