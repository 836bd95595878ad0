// A throwaway project shaped like a user's: one SDK in node_modules (linked from this repository's
// install), the sample app's sources copied in. Inside this repository every SDK is installed, and
// dtcheck patches each one a module can reach, which a user's project with one SDK never pays for.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const CHAINING_APP = path.join(root, "fixtures/apps/durabletask/chaining");

/**
 * Creates the project (a package with @microsoft/durabletask-js, an ES module package unless
 * `type` is "commonjs", as `npm init -y` makes it) with the chaining app's worker, orchestrators
 * and activities as .ts and, compiled as `tsc` would give them, .js; returns its directory. The
 * caller removes it.
 */
export function durableTaskProject(prefix, { type = "module" } = {}) {
  const project = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ type }));
  mkdirSync(path.join(project, "node_modules/@microsoft"), { recursive: true });
  symlinkSync(path.join(root, "node_modules/@microsoft/durabletask-js"), path.join(project, "node_modules/@microsoft/durabletask-js"), "dir");
  // esbuild is what tsx compiles with.
  const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild");
  for (const name of ["worker", "orchestrators", "activities"]) {
    let source = readFileSync(path.join(CHAINING_APP, `${name}.ts`), "utf8");
    // CommonJS has no top-level await: start the worker as such a project's entry would.
    if (type !== "module") source = source.replace("await worker.start();", "void worker.start();");
    writeFileSync(path.join(project, `${name}.ts`), source);
    writeFileSync(path.join(project, `${name}.js`), esbuild.transformSync(source, { loader: "ts", format: type === "module" ? "esm" : "cjs" }).code);
  }
  copyFileSync(path.join(CHAINING_APP, "histories/onboardUser.protobuf-json.json"), path.join(project, "history.json"));
  return project;
}
