import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { glob } from "tinyglobby";
import { planDtcheckConfig } from "./dtcheck-config.js";
import { addPluginToEslintConfig, newEslintConfig } from "./eslint-config.js";

export interface FileChange {
  /** Relative to the project root. */
  file: string;
  before?: string;
  after: string;
  why: string;
}

export interface InitPlan {
  changes: FileChange[];
  /** Things the user must do by hand (packages to install, configs dtcheck could not edit). */
  notes: string[];
}

const ESLINT_CONFIGS = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", "eslint.config.mts"];
const REGISTRATION = /\.(?:addOrchestrator|addNamedOrchestrator|registerWorkflow|registerWorkflowWithName)\s*\(|\bapp\.orchestration\s*\(|\bdf\.orchestrator\s*\(/;

/**
 * The source files that register orchestrators, the likeliest worker first: the shallowest, then
 * the shortest file name (src/worker.ts before src/worker-v2.ts), then in path order
 * (src/worker.ts before v2/worker.ts).
 */
export async function findWorkerModules(root: string): Promise<string[]> {
  const files = await glob(["**/*.{ts,mts,js,mjs}"], {
    cwd: root,
    ignore: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/*.d.ts", "**/*.test.*", "**/*.spec.*"],
  });
  const depth = (file: string) => file.split("/").length;
  const nameLength = (file: string) => path.posix.basename(file).length;
  const ordered = files.sort((a, b) => depth(a) - depth(b) || nameLength(a) - nameLength(b) || (a < b ? -1 : a > b ? 1 : 0));
  return ordered.filter((file) => REGISTRATION.test(readFileSync(path.join(root, file), "utf8")));
}

/** The SDKs whose `engines` the CI workflow's Node version must satisfy, with dtcheck itself. */
const ENGINE_PACKAGES = ["@dtcheck/cli", "@microsoft/durabletask-js", "@dapr/durabletask-js", "@dapr/dapr", "durable-functions"];
/** Node release lines a workflow may use, oldest first (Node 20 left maintenance in April 2026). */
const NODE_LINES = [22, 24];

export interface InstalledPackage {
  name: string;
  version?: string;
  /** `engines.node` of the installed copy. */
  node?: string;
}

/** The package as the project resolves it (its own node_modules), or undefined when it is not installed. */
export function installedPackage(root: string, name: string): InstalledPackage | undefined {
  const file = path.join(root, "node_modules", ...name.split("/"), "package.json");
  if (!existsSync(file)) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { version?: string; engines?: { node?: string } };
    return { name, version: pkg.version, node: pkg.engines?.node };
  } catch {
    return undefined;
  }
}

/** Declared in the project's package.json (any dependency kind): installed by its next `npm install` or `npm ci`. */
function declared(root: string): Set<string> {
  const file = path.join(root, "package.json");
  if (!existsSync(file)) return new Set();
  try {
    const pkg = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string> | undefined>;
    return new Set(["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].flatMap((kind) => Object.keys(pkg[kind] ?? {})));
  } catch {
    return new Set();
  }
}

/**
 * The oldest Node release line every installed SDK (and dtcheck) accepts, e.g. 22 for
 * durabletask-js 0.4 (`engines.node >=22`); 22 when nothing installed says otherwise.
 */
export function ciNodeVersion(packages: InstalledPackage[]): number {
  const ranges = packages.map((p) => p.node).filter((range): range is string => range !== undefined && semver.validRange(range) !== null);
  return NODE_LINES.find((line) => ranges.every((range) => semver.satisfies(`${line}.99.0`, range))) ?? NODE_LINES.at(-1)!;
}

export interface WorkflowOptions {
  module: string;
  histories: string;
  node: number;
  /** The project's package manager, by its lockfile (default npm): `npm ci` fails without a package-lock.json. */
  packageManager?: "npm" | "pnpm";
}

/** pnpm when the project has its lockfile and no npm one; npm otherwise. */
export function packageManagerOf(root: string): "npm" | "pnpm" {
  return existsSync(path.join(root, "pnpm-lock.yaml")) && !existsSync(path.join(root, "package-lock.json")) ? "pnpm" : "npm";
}

/**
 * The GitHub Actions workflow init writes (docs/ci.md shows it verbatim). It passes on the first
 * pull request of a project: replay runs once there are saved histories, drift once the worker is
 * on the base branch, and a repository without code scanning (private, no Advanced Security; a
 * fork's pull request) still gets the lint verdict when the SARIF upload is refused.
 */
export function ciWorkflow(options: WorkflowOptions): string {
  const { module, histories, node } = options;
  const pnpm = options.packageManager === "pnpm";
  const setup = pnpm ? "      - uses: pnpm/action-setup@v4   # the version in package.json's packageManager\n" : "";
  const install = pnpm ? "pnpm install --frozen-lockfile" : "npm ci";
  const exec = pnpm ? "pnpm exec" : "npx";
  return `# dtcheck: determinism lint (SARIF annotations on the PR), replay of saved histories,
# and a drift check against the deployed branch, so a change that breaks in-flight
# orchestrations fails the PR instead of production.
name: dtcheck
on:
  pull_request:
jobs:
  dtcheck:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write   # upload SARIF
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0       # the drift check reads the base branch
${setup}      - uses: actions/setup-node@v4
        with:
          node-version: ${node}     # what the installed SDKs' engines require
          cache: ${pnpm ? "pnpm" : "npm"}
      - run: ${install}
      - name: Lint orchestrators
        id: lint
        continue-on-error: true   # upload the SARIF first, fail at the end
        run: ${exec} dtcheck lint --format sarif --output dtcheck.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always() && hashFiles('dtcheck.sarif') != ''
        continue-on-error: true   # code scanning off (private repo, fork): the lint step still decides
        with:
          sarif_file: dtcheck.sarif
          category: dtcheck
      - name: Replay saved histories
        if: hashFiles('${histories}/**') != ''
        run: ${exec} dtcheck replay ${histories} --module ${module}
      - name: Is the worker on the base branch yet?
        id: base
        run: git cat-file -e "origin/\${{ github.base_ref }}:${module}" && echo "deployed=true" >> "$GITHUB_OUTPUT" || echo "deployed=false" >> "$GITHUB_OUTPUT"
      - name: Version drift against the deployed branch
        if: steps.base.outputs.deployed == 'true'
        run: ${exec} dtcheck drift --baseline git:origin/\${{ github.base_ref }}:${module} --candidate ${module} --runs 200 --seed \${{ github.run_number }}
      - name: Fail on lint errors
        if: steps.lint.outcome == 'failure'
        run: exit 1
`;
}

export async function planInit(root: string): Promise<InitPlan> {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const workers = await findWorkerModules(root);
  const module = workers[0];
  if (workers.length > 1) {
    const others = workers.slice(1, 4).join(", ") + (workers.length > 4 ? `, and ${workers.length - 4} more` : "");
    notes.push(`${workers.length} files register orchestrators; the config and the workflow use ${module} (also found: ${others}): change "module" if the worker is another`);
  }

  const eslintFile = ESLINT_CONFIGS.find((f) => existsSync(path.join(root, f)));
  const typescript = installedPackage(root, "typescript");
  const nativeTypeScript = Number(typescript?.version?.split(".")[0]) >= 7;
  if (!eslintFile && nativeTypeScript) {
    // The config would import typescript-eslint, which stops at TypeScript 6.0: dtcheck lint, the CI step and
    // the user's eslint would all fail to load it. dtcheck lint needs no config (it brings TypeScript 6 and its own).
    notes.push(
      `no ESLint config written: it would import typescript-eslint, which cannot be installed beside TypeScript ${typescript!.version} (it supports TypeScript up to 6.0); dtcheck lint needs none. For dtcheck's rules in your own eslint and editor, keep "typescript" at 6.0 and build with 7 under an alias (docs/getting-started.md#typescript-7), then run dtcheck init again`,
    );
  } else if (!eslintFile) {
    changes.push({ file: "eslint.config.mjs", after: newEslintConfig(root), why: "ESLint flat config with dtcheck's recommended rules (editor squiggles and CI)" });
  } else {
    const before = readFileSync(path.join(root, eslintFile), "utf8");
    const edit = addPluginToEslintConfig(eslintFile, before, { typed: existsSync(path.join(root, "tsconfig.json")) });
    if (edit.kind === "edited") changes.push({ file: eslintFile, before, after: edit.text, why: "add dtcheck's recommended rules to your ESLint config" });
    else if (edit.kind === "manual") notes.push(`${eslintFile}: not edited because ${edit.reason}; add \`dtcheck.configs.recommended\` (import dtcheck from "@dtcheck/eslint-plugin") to it by hand`);
  }

  const config = planDtcheckConfig(root, module);
  changes.push(...config.changes);
  notes.push(...config.notes);
  // Where dtcheck.config.json (written above, or the defaults it would get) keeps saved histories.
  const histories = "test/histories";

  const workflow = ".github/workflows/dtcheck.yml";
  const installed = ENGINE_PACKAGES.map((name) => installedPackage(root, name)).filter((p): p is InstalledPackage => p !== undefined);
  if (!existsSync(path.join(root, workflow))) {
    const packageManager = packageManagerOf(root);
    changes.push({ file: workflow, after: ciWorkflow({ module: module ?? "src/worker.ts", histories, node: ciNodeVersion(installed), packageManager }), why: "run dtcheck on every pull request" });
  }
  // Only what the files above import and the project neither declares nor has installed.
  const needed = ["@dtcheck/cli", "@dtcheck/eslint-plugin", ...(changes.some((c) => c.file.startsWith("eslint.config") && c.after.includes(`from "typescript-eslint"`)) ? ["typescript-eslint"] : [])];
  const known = declared(root);
  let missing = needed.filter((name) => !known.has(name) && !installedPackage(root, name));
  if (missing.includes("typescript-eslint") && nativeTypeScript) {
    // typescript-eslint's peer range stops at 6.0: asking for it beside TypeScript 7 sends the user into ERESOLVE.
    missing = missing.filter((name) => name !== "typescript-eslint");
    notes.push(
      `the ESLint config imports typescript-eslint, which cannot be installed beside TypeScript ${typescript!.version} (it supports TypeScript up to 6.0): keep "typescript" at 6.0 and build with 7 under an alias (docs/getting-started.md#typescript-7), or lint with dtcheck lint --no-eslint-config`,
    );
  }
  if (missing.length) notes.push(`install the packages: ${packageManagerOf(root) === "pnpm" ? "pnpm add --save-dev" : "npm install --save-dev"} ${missing.join(" ")}`);
  return { changes, notes };
}
