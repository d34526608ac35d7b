// Preloaded with `node --require bench/report-rss.cjs ...`: at exit, writes the process's peak
// resident set size (KiB, all threads) to the file named by SRLAB_BENCH_RSS_FILE.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload
const fs = require('node:fs');

const out = process.env.SRLAB_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    fs.writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
