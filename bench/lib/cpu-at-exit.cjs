// Preloaded with -r by the whole-process benches: prints the whole process's CPU time (user +
// system, every thread) and its peak resident memory on stderr at exit. CommonJS, so the
// baseline `node -e 0` gains no ESM loader.
"use strict";
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  // maxRSS is in kilobytes: the high-water mark of the whole process, its worker threads included.
  process.stderr.write(`\nbench-cpu-us ${user + system}\nbench-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
