/**
 * The options module ESLint imports, in the main thread and again in each worker thread, when
 * dtcheck lint runs with `--workers n` (see eslint-options.ts): the same options as in one thread,
 * rebuilt from the setup in this module's URL.
 */
import { isMainThread, workerData } from "node:worker_threads";
import { eslintOptions, setupFromUrl } from "./eslint-options.js";

/*
 * In an ESLint worker started with this module, what is printed to stdout (the project's config
 * logging as it loads, a rule's console.log) would land in dtcheck's report (json, sarif): it goes
 * to stderr, as in the main thread (see printingToStderr in commands/lint.ts).
 */
if (!isMainThread && (workerData as { eslintOptionsOrURL?: unknown } | null)?.eslintOptionsOrURL === import.meta.url) {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}

export default eslintOptions(setupFromUrl(import.meta.url));
