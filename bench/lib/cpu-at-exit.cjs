// Preloaded with -r by the start-up bench: prints the whole process's CPU time (user + system,
// every thread) on stderr at exit. CommonJS, so the baseline `node -e 0` gains no ESM loader.
"use strict";
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-us ${user + system}\n`);
});
