/**
 * `dtcheck lint --workers n` lints on ESLint's worker threads (its `concurrency`, through dtcheck's
 * options module): the report is the same, byte for byte and in the same order, as in one thread.
 * Per-file times (`durationMs`, ESLint's own measure) differ between any two runs, so they are the
 * one thing blanked before comparing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_PROJECT_FINDINGS } from "../../../eslint-plugin/tests/integration/expected-project-findings.js";
import { REPO, runCli, type CliRun } from "../run-cli.js";

const HEADER = `import type { OrchestrationContext } from "@microsoft/durabletask-js";\n`;

/**
 * A small typed project: orchestrators whose hazards are in helpers of other files (found only with
 * types), clean files, and two scripts no tsconfig includes (linted again without types, on threads too).
 */
const PROJECT: Record<string, string> = {
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "es2022", "module": "nodenext", "noEmit": true, "skipLibCheck": true }, "include": ["src"] }\n`,
  "src/lib/clock.ts": `export function stampNow(): number {\n  return Date.now();\n}\n`,
  "src/lib/ids.ts": "export function newId(prefix: string): string {\n  return `${prefix}-${crypto.randomUUID()}`;\n}\n",
  "src/lib/store.ts": `export class RegionStore {\n  region(): string {\n    return process.env.REGION ?? "eu";\n  }\n}\n`,
  "src/order.ts": `${HEADER}import { stampNow } from "./lib/clock.js";\nimport { newId } from "./lib/ids.js";\nimport { RegionStore } from "./lib/store.js";\n\nexport async function* order(ctx: OrchestrationContext, sku: string): any {\n  const at = stampNow();\n  const id = newId("order");\n  const region = new RegionStore().region();\n  yield ctx.callActivity("reserve", { sku, at, id, region });\n}\n`,
  "src/ship.ts": `${HEADER}\nexport async function* ship(ctx: OrchestrationContext, to: string): any {\n  const roll = Math.random();\n  console.log("shipping to", to);\n  yield ctx.callActivity("ship", { to, roll });\n}\n`,
  "src/clean.ts": `${HEADER}\nexport async function* greet(ctx: OrchestrationContext, name: string): any {\n  return yield ctx.callActivity("greet", { name, at: ctx.currentUtcDateTime });\n}\n`,
  ...Object.fromEntries([1, 2, 3].map((i) => [`src/service${i}.ts`, `export function total${i}(items: number[]): number {\n  return items.reduce((sum, item) => sum + item, ${i});\n}\n`])),
  "scripts/seed.ts": `${HEADER}\nexport async function* seed(ctx: OrchestrationContext): any {\n  yield ctx.callActivity("seed", process.env.SEED_KEY);\n}\n`,
  "scripts/purge.ts": `${HEADER}\nexport async function* purge(ctx: OrchestrationContext): any {\n  yield ctx.callActivity("purge", Date.now());\n}\n`,
};

/** What dtcheck lint finds in PROJECT's src/, with types or without (the helpers' hazards are followed into src/lib). */
const SOURCE_FINDINGS = [
  "src/order.ts:7:@dtcheck/no-wall-clock",
  "src/order.ts:8:@dtcheck/no-random",
  "src/order.ts:9:@dtcheck/no-environment",
  "src/ship.ts:4:@dtcheck/no-random",
  "src/ship.ts:5:@dtcheck/replay-safe-logging",
];
/** ... and in the whole of PROJECT. */
const FINDINGS = ["scripts/purge.ts:4:@dtcheck/no-wall-clock", "scripts/seed.ts:4:@dtcheck/no-environment", ...SOURCE_FINDINGS];

let dir: string;

function writeProject(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-workers-"));
  // The SDK's types resolve as in a user's project.
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeProject(dir, PROJECT);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The report without the per-file times, which no two runs share. */
const withoutTimes = (stdout: string) => stdout.replace(/"durationMs": \d+(?:\.\d+)?/g, '"durationMs": 0');

interface JsonReport {
  findings: { ruleId: string; location: { file: string; line: number } }[];
  summary: string;
}

function findings(run: CliRun, root: string): string[] {
  return (JSON.parse(run.stdout) as JsonReport).findings.map((f) => `${path.relative(root, f.location.file)}:${f.location.line}:${f.ruleId}`);
}

/**
 * dtcheck's note in place of ESLint's poor-concurrency warning: whether ESLint warns depends on how
 * long the threads took to start, so a test takes it out of stderr and checks the rest.
 */
const POOR_CONCURRENCY_NOTE = "dtcheck: note: the lint threads spent much of their time starting (each loads typescript-eslint and, with types, builds its own TypeScript program) rather than linting; fewer --workers may be faster on this project\n";
const withoutNote = (stderr: string) => stderr.replace(POOR_CONCURRENCY_NOTE, "");

/**
 * dtcheck lint with --workers 1 and --workers 3: the same exit code and the same json stdout, and
 * nothing else printed on 3 threads than the note (or what `threeEnv` makes it print); both runs.
 */
function sameOnThreeThreads(args: string[], cwd: string, threeEnv: NodeJS.ProcessEnv = {}): { one: CliRun; three: CliRun } {
  const one = runCli(["lint", "--format", "json", "--workers", "1", ...args], { cwd });
  const three = runCli(["lint", "--format", "json", "--workers", "3", ...args], { cwd, env: threeEnv });
  expect(three.code, three.stderr).toBe(one.code);
  expect(withoutTimes(three.stdout)).toBe(withoutTimes(one.stdout));
  if (Object.keys(threeEnv).length === 0) expect(withoutNote(three.stderr)).toBe("");
  return { one, three };
}

/** The CLI's stderr taken for a terminal (progress is shown only on one, never in CI). */
const TERMINAL_ENV = { CI: undefined, NODE_OPTIONS: "--import=data:text/javascript,process.stderr.isTTY=true" };

describe("dtcheck lint --workers", () => {
  it("typed, with files outside the tsconfig linted again untyped: the same report on 3 threads as on 1", () => {
    const { one: run } = sameOnThreeThreads([], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run, dir)).toEqual(FINDINGS);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("11 files linted: 6 errors, 1 warning");
  }, 120_000);

  it("untyped with --fix, progress on a terminal: the same report, the count moves once the one multithreaded call returns, no file written", () => {
    const before = Object.keys(PROJECT).map((name) => readFileSync(path.join(dir, name), "utf8"));
    const { one: run, three } = sameOnThreeThreads(["--no-types", "--fix"], dir, TERMINAL_ENV);
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run, dir)).toEqual(FINDINGS);
    const files = Object.keys(PROJECT).filter((name) => name.endsWith(".ts")).sort();
    const line = (text: string) => `\r\u001b[K${text}`;
    expect(withoutNote(three.stderr)).toBe([line(`1/${files.length} linting ${files.length} files on 3 threads`), ...files.map((file, i) => line(`${i + 1}/${files.length} ${file}`)), line("")].join(""));
    // No dtcheck rule has an automatic fix (only suggestions): --fix writes nothing.
    expect(Object.keys(PROJECT).map((name) => readFileSync(path.join(dir, name), "utf8"))).toEqual(before);
  }, 120_000);

  it("--shard 2/2, untyped: the same shard on 3 threads as on 1", () => {
    const { one: run } = sameOnThreeThreads(["--shard", "2/2", "--no-types"], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(findings(run, dir)).toEqual(SOURCE_FINDINGS);
    expect((JSON.parse(run.stdout) as JsonReport).summary).toBe("6 files linted: 4 errors, 1 warning (shard 2/2)");
  }, 120_000);

  it("the project's own ESLint config (fixtures/lint/projects/durabletask-esm, typed): the same report on 3 threads as on 1", () => {
    const root = path.join(REPO, "fixtures/lint/projects/durabletask-esm");
    const { one: run } = sameOnThreeThreads([], root);
    expect(run.code, run.stderr).toBe(1);
    const expected = EXPECTED_PROJECT_FINDINGS.filter((f) => f.startsWith("durabletask-esm/")).map((f) => f.slice("durabletask-esm/".length)).sort();
    expect(findings(run, root).map((f) => f.replace("@dtcheck/", "")).sort()).toEqual(expected);
  }, 120_000);

  it("a project config that prints as it loads, in every worker: the lines go to stderr, stdout is the report", () => {
    const root = mkdtempSync(path.join(tmpdir(), "dtcheck-lint-workers-config-"));
    try {
      symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
      writeProject(root, {
        "eslint.config.mjs": `import tseslint from "typescript-eslint";\nimport dtcheck from "@dtcheck/eslint-plugin";\nconsole.log("config loaded");\nexport default [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, dtcheck.configs.recommended];\n`,
        ...Object.fromEntries(Object.entries(PROJECT).filter(([name]) => name.startsWith("src/"))),
      });
      const run = runCli(["lint", "--format", "json", "--workers", "3"], { cwd: root });
      expect(run.code, run.stderr).toBe(1);
      expect(findings(run, root)).toEqual(SOURCE_FINDINGS);
      const printed = run.stderr.split("\n").filter((line) => line && !line.startsWith("dtcheck: note: "));
      // Once in the main thread, and once in each worker that got a file to lint.
      expect(printed.length).toBeGreaterThanOrEqual(2);
      expect(new Set(printed)).toEqual(new Set(["config loaded"]));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(["0", "-1", "x", "1.5"])("--workers %s is refused before anything runs, exit 2", (value) => {
    const run = runCli(["lint", "--workers", value], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toBe(`error: option '--workers <n>' argument '${value}' is invalid. "${value}" is not a positive whole number`);
  });
});
