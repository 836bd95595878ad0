// Preloaded with -r by the lint bench: prints the process's peak resident set size on stderr at
// exit (kilobytes, as getrusage reports it). CommonJS, so it adds no ESM loader to the process.
"use strict";
process.on("exit", () => {
  process.stderr.write(`\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
