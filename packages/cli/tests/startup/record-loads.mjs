// Preloaded with --import by startup.test.ts: appends to the file named by DTCHECK_RECORD_LOADS every
// module the process loaded, ESM through a load hook (which runs on the loader thread) and CommonJS
// from require's cache at exit. A file, not stderr: the CLI shows only the first lines of what the
// thread running the user's module prints, and this preload runs in that thread too.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

register("./load-hook.mjs", import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => {
  appendFileSync(process.env.DTCHECK_RECORD_LOADS, Object.keys(cache).map((file) => `${file}\n`).join(""));
});
