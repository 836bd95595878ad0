// Module-loader hook for record-loads.mjs: one stderr line per module loaded through the ESM loader.
import { fileURLToPath } from "node:url";

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (url.startsWith("file:")) process.stderr.write(`dtcheck-loaded ${fileURLToPath(url)}\n`);
  return result;
}
