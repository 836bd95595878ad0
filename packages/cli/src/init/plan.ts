import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
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

/** The first source file that registers orchestrators: what replay, record and fuzz load. */
export async function findWorkerModule(root: string): Promise<string | undefined> {
  const files = await glob(["**/*.{ts,mts,js,mjs}"], {
    cwd: root,
    ignore: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/*.d.ts", "**/*.test.*", "**/*.spec.*"],
  });
  for (const file of files.sort()) {
    if (REGISTRATION.test(readFileSync(path.join(root, file), "utf8"))) return file;
  }
  return undefined;
}

function ciWorkflow(module: string | undefined): string {
  const moduleArg = module ?? "src/worker.ts";
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
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Lint orchestrators
        id: lint
        continue-on-error: true
        run: npx dtcheck lint --format sarif --output dtcheck.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: dtcheck.sarif
          category: dtcheck
      - name: Replay saved histories
        run: npx dtcheck replay --module ${moduleArg}
      - name: Version drift against the deployed branch
        run: npx dtcheck drift --baseline git:origin/\${{ github.base_ref }}:${moduleArg} --candidate ${moduleArg}
      - name: Fail on lint errors
        if: steps.lint.outcome == 'failure'
        run: exit 1
`;
}

export async function planInit(root: string): Promise<InitPlan> {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const module = await findWorkerModule(root);

  const eslintFile = ESLINT_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (!eslintFile) {
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

  const workflow = ".github/workflows/dtcheck.yml";
  if (!existsSync(path.join(root, workflow))) {
    changes.push({ file: workflow, after: ciWorkflow(module), why: "run dtcheck on every pull request" });
  }
  notes.push("install the packages: npm install --save-dev @dtcheck/cli @dtcheck/eslint-plugin");
  return { changes, notes };
}
