/**
 * Public bounds for the penguins fixture: its 275 training rows are too few to estimate most
 * columns at a test's epsilon, so all but Sex are declared public.
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
        'Beak Length (mm)': { min: 30, max: 60 },
        'Beak Depth (mm)': { min: 13, max: 22 },
        'Flipper Length (mm)': { min: 170, max: 235, step: 1 },
        'Body Mass (g)': { min: 2500, max: 6500, step: 25 },
      },
    }),
  );
  return path;
}
