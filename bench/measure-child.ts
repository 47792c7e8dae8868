/** Runs one gesalp command in this process and reports its peak memory on stderr as a last line. */
import { main } from '../src/cli.js';

const code = await main(['node', 'gesalp', ...process.argv.slice(2)]);
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
process.exitCode = code;
