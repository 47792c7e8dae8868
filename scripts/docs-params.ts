/** npm run docs:params: writes PARAMETER_TABLES.md at the repository root from the rules and spaces. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parameterTables } from '../src/optimizer/parameter-tables.js';

const target = fileURLToPath(new URL('../../PARAMETER_TABLES.md', import.meta.url));
writeFileSync(target, parameterTables());
process.stdout.write(`wrote ${target}\n`);
