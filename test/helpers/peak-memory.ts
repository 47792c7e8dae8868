/**
 * A child process's peak memory, measured by itself: give `--import PEAK_HOOK` before the script
 * and GESALP_TEST_PEAK=FILE in its environment, and at exit it writes its peak resident set
 * (getrusage's maxRSS, KiB) to FILE. Nothing is timed.
 */
export const PEAK_HOOK = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.GESALP_TEST_PEAK,String(process.resourceUsage().maxRSS)))',
)}`;
