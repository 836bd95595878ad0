import { createRequire } from "node:module";

// Read from package.json so `dtcheck --version` and SARIF's driver version never drift from the release.
export const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
