// Module-loader hook for record-loads.mjs: one line per module loaded through the ESM loader.
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (url.startsWith("file:")) appendFileSync(process.env.DTCHECK_RECORD_LOADS, `${fileURLToPath(url)}\n`);
  return result;
}
