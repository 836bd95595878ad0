// Puts the rule pages (docs/rules at the repository root, the one copy in git) into the plugin's
// package for `npm pack`/`npm publish`, and takes them out again afterwards. The CLI reads them
// from the installed plugin for SARIF rule help; a copy left behind would shadow edits made to docs/rules.
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const shipped = path.join(root, "packages", "eslint-plugin", "docs");
const step = process.argv[2];

rmSync(shipped, { recursive: true, force: true });
if (step === "prepack") cpSync(path.join(root, "docs", "rules"), path.join(shipped, "rules"), { recursive: true });
else if (step !== "postpack") throw new Error(`pack-rule-docs: expected prepack or postpack, got ${step ?? "nothing"}`);
