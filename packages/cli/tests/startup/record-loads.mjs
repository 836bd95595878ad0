// Preloaded with --import by startup.test.ts: reports on stderr every module the process loaded,
// ESM through a load hook (which runs on the loader thread) and CommonJS from require's cache at exit.
import { createRequire, register } from "node:module";

register("./load-hook.mjs", import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => {
  for (const file of Object.keys(cache)) process.stderr.write(`dtcheck-loaded ${file}\n`);
});
