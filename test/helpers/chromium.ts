/** Finds the system Chromium for the browser checks: GESALP_CHROMIUM, else `chromium` (Debian) on the PATH. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GESALP_CHROMIUM) return existsSync(env.GESALP_CHROMIUM) ? env.GESALP_CHROMIUM : null;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on the PATH; try the next name
    }
  }
  return null;
}
