/**
 * Small weather-like tables for the HTML report's checks, seeded: precipitation with exact zeros
 * (a point mass), temperatures that move together, a weather category that follows the rain, a
 * date, and optionally twelve station columns whose long names differ only past their first 20
 * characters. A bad synthesizer is the same generator with the zeros thinned, shifted values and
 * the relationships lost.
 */
import type { CategoricalColumn, NumericColumn, Table } from '../../src/core/table.js';
import { lcg } from './random.js';

export interface WeatherOptions {
  readonly rows: number;
  readonly seed: number;
  /** Share of rows with exactly 0 precipitation. */
  readonly zeroShare: number;
  /** Added to every temperature. */
  readonly shift: number;
  /** False: every column drawn on its own (the relationships a synthesizer can lose). */
  readonly related: boolean;
  /** Twelve station columns more (18 in all). */
  readonly stations: boolean;
}

export const WEATHER = ['sun', 'rain', 'drizzle', 'fog'];
export const STATIONS = ['north', 'south', 'east', 'west'].flatMap((side) =>
  ['temperature', 'humidity', 'pressure'].map((what) => `measurement_station_${side}_${what}`),
);
const DAY = 86400;
const FIRST_DAY = Date.UTC(2012, 0, 1) / 1000;

export function weatherTable(o: WeatherOptions): Table {
  const next = lcg(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const column = (f: (row: number) => number) => Float64Array.from({ length: o.rows }, (_, row) => f(row));
  const rain = column(() => (next() < o.zeroShare ? 0 : Math.round(10 * (0.1 - 4 * Math.log(1 - next()))) / 10));
  const tempMax = column(() => 15 + o.shift + 8 * normal());
  const tempMin = column((r) => (o.related ? tempMax[r] - 7 : 8 + o.shift) + (o.related ? 2 : 8) * normal());
  const weather = Int32Array.from({ length: o.rows }, (_, r) => {
    const wet = o.related ? rain[r] > 0 : next() < 0.5;
    return wet ? (next() < 0.75 ? 1 : 2) : next() < 0.8 ? 0 : 3;
  });
  const columns: (NumericColumn | CategoricalColumn)[] = [
    { name: 'date', kind: 'datetime', values: column(() => FIRST_DAY + Math.floor(next() * 1461) * DAY) },
    { name: 'precipitation', kind: 'numeric', values: rain },
    { name: 'temp_max', kind: 'numeric', values: tempMax },
    { name: 'temp_min', kind: 'numeric', values: tempMin },
    { name: 'wind', kind: 'numeric', values: column(() => Math.abs(3 + 1.5 * normal())) },
    { name: 'weather', kind: 'categorical', codes: weather, levels: WEATHER },
  ];
  if (o.stations)
    for (const name of STATIONS) {
      const base = name.endsWith('temperature') ? 0 : name.endsWith('humidity') ? 60 : 1013;
      columns.push({
        name,
        kind: 'numeric',
        values: column((r) => (o.related && base === 0 ? tempMax[r] : base + o.shift) + 3 * normal()),
      });
    }
  return { rowCount: o.rows, columns };
}
