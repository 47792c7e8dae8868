/**
 * Public bounds for the penguins fixture: its 275 training rows are too few to estimate most
 * columns at a test's epsilon, so all but Sex are declared public, quantiles included (bounds
 * alone would release quantiles for the methods that read them).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the bounds file into `dir` and returns its path. */
export function writePenguinsBounds(dir: string): string {
  const path = join(dir, 'bounds.json');
  writeFileSync(
    path,
    JSON.stringify({
      columns: {
        Species: { categories: ['Adelie', 'Chinstrap', 'Gentoo'] },
        Island: { categories: ['Biscoe', 'Dream', 'Torgersen'] },
        'Beak Length (mm)': { min: 30, max: 60, quantiles: [30, 39, 44, 49, 60] },
        'Beak Depth (mm)': { min: 13, max: 22, quantiles: [13, 15.5, 17.3, 18.7, 22] },
        'Flipper Length (mm)': { min: 170, max: 235, step: 1, quantiles: [170, 190, 197, 213, 235] },
        'Body Mass (g)': { min: 2500, max: 6500, step: 25, quantiles: [2500, 3550, 4050, 4750, 6500] },
      },
    }),
  );
  return path;
}
