/**
 * dtcheck as a registry user gets it: the packages are packed, served from a loopback
 * registry that holds only what package-lock.json records (so the test runs offline after
 * `npm ci`), and installed into fresh projects by npm or pnpm. In each project the installed
 * `dtcheck` runs init, lint, record, replay, fuzz and drift on a worker that logs at import and
 * calls `worker.start()`, while a loopback listener on the port the worker targets counts every
 * connection attempt.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalRegistry, type LocalRegistry } from "./local-registry.js";
import { childEnv, createProject, DTCHECK, repoRoot, run, type ProjectSpec, type RunResult } from "./projects.js";

// Each step spawns the installed CLI (record, replay, fuzz, drift in one test): on a loaded
// two-core machine that takes minutes, not the default 30 s.
vi.setConfig({ testTimeout: 240_000 });

// sdk-catalogue first: the plugin and the replay tester depend on it.
const PACKAGES = ["sdk-catalogue", "eslint-plugin", "replay-tester", "cli"] as const;
const SDK = { "@microsoft/durabletask-js": "^0.4.0" };

const PROJECTS: ProjectSpec[] = [
  {
    name: "esm-npm-eslint10",
    template: "durabletask-esm",
    manager: "npm",
    manifest: { type: "module" },
    dependencies: SDK,
    devDependencies: { ...DTCHECK, eslint: "^10.0.0", "typescript-eslint": "^8.72.0", typescript: "^5.9.3" },
    worker: "src/worker.ts",
    module: "src/worker.ts",
    candidate: "v2/worker.ts",
    orchestrator: "sequence",
    probe: "probe/clock.ts",
    workerFindings: [],
    ownEslint: true,
  },
  {
    name: "typescript7-npm",
    template: "durabletask-esm",
    manager: "npm",
    manifest: { type: "module" },
    dependencies: SDK,
    devDependencies: { ...DTCHECK, typescript: "^7.0.0" },
    worker: "src/worker.ts",
    module: "src/worker.ts",
    candidate: "v2/worker.ts",
    orchestrator: "sequence",
    probe: "probe/clock.ts",
    workerFindings: [],
    // typescript-eslint does not support TypeScript 7, so it is not installed here and init writes no
    // ESLint config (it would import it): plain dtcheck lint runs with its own setup.
    ownEslint: false,
  },
  {
    // A new user's first project, as the SDK's and dtcheck's READMEs set it up: `npm init -y` (CommonJS,
    // "main": "index.js"), `npm install @microsoft/durabletask-js`, `npm install --save-dev @dtcheck/cli
    // @dtcheck/eslint-plugin`, the README's require() worker in JavaScript; no ESLint or TypeScript of its own.
    name: "commonjs-npm",
    template: "durabletask-cjs",
    manager: "npm",
    manifest: { main: "index.js", type: "commonjs" },
    dependencies: SDK,
    devDependencies: DTCHECK,
    worker: "src/worker.js",
    module: "src/worker.js",
    candidate: "v2/worker.js",
    orchestrator: "sequence",
    probe: "probe/clock.js",
    workerFindings: [],
    ownEslint: false,
  },
  {
    // `npm init -y` CommonJS, JavaScript, the README's require() worker, installed by pnpm's strict layout, ESLint 9.
    name: "commonjs-pnpm-eslint9",
    template: "durabletask-cjs",
    manager: "pnpm",
    manifest: { type: "commonjs" },
    dependencies: SDK,
    devDependencies: { ...DTCHECK, eslint: "^9.0.0", "typescript-eslint": "^8.72.0", typescript: "^5.9.3" },
    worker: "src/worker.js",
    module: "src/worker.js",
    candidate: "v2/worker.js",
    orchestrator: "sequence",
    probe: "probe/clock.js",
    workerFindings: [],
    ownEslint: true,
  },
  {
    // The Durable Functions TypeScript template: CommonJS output, host.json, main naming a glob, npm.
    name: "azure-functions-npm",
    template: "functions-app",
    manager: "npm",
    manifest: { main: "dist/src/{index.js,functions/*.js}" },
    dependencies: { "@azure/functions": "^4.0.0", "durable-functions": "^3.0.0" },
    devDependencies: { ...DTCHECK, eslint: "^10.0.0", "typescript-eslint": "^8.72.0", typescript: "^5.9.3" },
    worker: "src/functions/helloOrchestrator.ts",
    module: ".",
    candidate: "v2/src/functions/helloOrchestrator.ts",
    orchestrator: "helloOrchestrator",
    probe: "probe/clock.ts",
    workerFindings: [],
    ownEslint: true,
  },
];

interface Sidecar {
  port: number;
  connections: string[];
  server: Server;
}

async function startSidecar(): Promise<Sidecar> {
  const connections: string[] = [];
  const server = createServer((socket: Socket) => {
    connections.push(`${socket.remoteAddress}:${socket.remotePort}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, connections, server };
}

let work: string;
let registry: LocalRegistry;
let sidecar: Sidecar;
let tarballs: Record<(typeof PACKAGES)[number], string>;
let baseEnv: NodeJS.ProcessEnv;

function parseJson(result: RunResult, what: string): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(`${what}: stdout is not JSON (${String(error)}):\n${result.stdout}\nstderr:\n${result.stderr}`, { cause: error });
  }
}

function describeRun(result: RunResult): string {
  return `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "dtcheck-e2e-"));
  sidecar = await startSidecar();
  baseEnv = childEnv({});
  const packs = path.join(work, "packs");
  mkdirSync(packs);
  const packed = [];
  const found: Partial<Record<(typeof PACKAGES)[number], string>> = {};
  for (const name of PACKAGES) {
    const dir = path.join(repoRoot, "packages", name);
    const result = await run("npm", ["pack", "--json", "--pack-destination", packs], { cwd: dir, env: baseEnv });
    expect(result.code, describeRun(result)).toBe(0);
    const [info] = JSON.parse(result.stdout) as { filename: string }[];
    found[name] = path.join(packs, info!.filename);
    packed.push({ manifest: path.join(dir, "package.json"), tarball: found[name] });
  }
  tarballs = found as typeof tarballs;
  const npmCache = (await run("npm", ["config", "get", "cache"], { cwd: work, env: baseEnv })).stdout.trim();
  registry = await startLocalRegistry({ lockFile: path.join(repoRoot, "package-lock.json"), packed, npmCache: path.join(npmCache, "_cacache") });
  baseEnv = childEnv({
    npm_config_registry: registry.url,
    // a cache of the test's own, so every tarball comes through the loopback registry
    npm_config_cache: path.join(work, "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    DURABLE_TASK_HOST: `127.0.0.1:${sidecar.port}`,
  });
}, 120_000);

afterAll(async () => {
  await registry?.close();
  await new Promise<void>((resolve) => (sidecar ? sidecar.server.close(() => resolve()) : resolve()));
  if (work && !process.env.DTCHECK_E2E_KEEP) rmSync(work, { recursive: true, force: true });
}, 180_000);

describe("the packed tarballs", () => {
  it("each hold README.md and LICENSE, and every source map's sources are in the tarball", async () => {
    for (const name of PACKAGES) {
      const list = await run("tar", ["-tzf", tarballs[name]], { cwd: work, env: baseEnv });
      const files = new Set(list.stdout.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, "")));
      expect(files.has("README.md"), name).toBe(true);
      expect(files.has("LICENSE"), name).toBe(true);
      const maps = [...files].filter((f) => f.endsWith(".map"));
      // Every compiled file comes with its map, so stack traces and go-to-definition reach src/.
      const compiled = [...files].filter((f) => f.startsWith("dist/") && /\.(js|d\.ts)$/.test(f));
      expect(compiled.length, name).toBeGreaterThan(0);
      expect(compiled.filter((f) => !files.has(`${f}.map`)), name).toEqual([]);
      const dangling: string[] = [];
      const extract = path.join(work, "extract", name);
      mkdirSync(extract, { recursive: true });
      await run("tar", ["-xzf", tarballs[name], "-C", extract], { cwd: work, env: baseEnv });
      for (const map of maps) {
        const parsed = JSON.parse(readFileSync(path.join(extract, "package", map), "utf8")) as { sources: string[]; sourcesContent?: string[] };
        parsed.sources.forEach((source, i) => {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
          if (!files.has(target) && !parsed.sourcesContent?.[i]) dangling.push(`${map} → ${source}`);
        });
      }
      expect(dangling, name).toEqual([]);
    }
    // The CLI reads SARIF rule help from the installed plugin's rule pages, so the plugin ships them all.
    const pluginFiles = (await run("tar", ["-tzf", tarballs["eslint-plugin"]], { cwd: work, env: baseEnv })).stdout;
    const shippedPages = pluginFiles.split("\n").filter((f) => f.startsWith("package/docs/rules/")).map((f) => path.basename(f)).sort();
    expect(shippedPages).toEqual(readdirSync(path.join(repoRoot, "docs", "rules")).filter((f) => f.endsWith(".md")).sort());
  });

  it("each pass npm publish --dry-run", async () => {
    for (const name of PACKAGES) {
      const result = await run("npm", ["publish", "--dry-run", "--json", `--registry=${registry.emptyUrl}`, tarballs[name]], { cwd: work, env: baseEnv });
      expect(result.code, describeRun(result)).toBe(0);
      const info = parseJson(result, `npm publish --dry-run ${name}`) as Record<string, { id: string }>;
      expect(info[`@dtcheck/${name}`]?.id).toBe(`@dtcheck/${name}@0.1.0`);
    }
  });
});

for (const spec of PROJECTS) {
  describe(`a fresh ${spec.name} project`, () => {
    let dir: string;
    const dtcheck = (...args: string[]) => run(path.join(dir, "node_modules/.bin/dtcheck"), args, { cwd: dir, env: baseEnv });
    const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), "utf8"));

    beforeAll(async () => {
      dir = createProject(work, spec);
      const install = spec.manager === "npm"
        ? await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, env: baseEnv })
        : await run(path.join(repoRoot, "node_modules/.bin/pnpm"), ["install", `--registry=${registry.url}`, `--store-dir=${path.join(work, "pnpm-store")}`], { cwd: dir, env: baseEnv });
      // plain npm install: no --legacy-peer-deps, no --force
      expect(install.code, describeRun(install)).toBe(0);
      expect(install.stderr).not.toMatch(/ERESOLVE/);
    }, 180_000);

    it("init finds the worker and writes dtcheck.config.json, the CI workflow and, but beside TypeScript 7, the ESLint config", async () => {
      const result = await dtcheck("init", "--yes");
      expect(result.code, describeRun(result)).toBe(0);
      const config = JSON.parse(readFileSync(path.join(dir, "dtcheck.config.json"), "utf8")) as { module: string };
      expect(config.module).toBe(spec.worker);
      expect(existsSync(path.join(dir, ".github/workflows/dtcheck.yml"))).toBe(true);
      // Beside TypeScript 7, typescript-eslint cannot be installed: init writes no config that imports
      // it and says what to do instead of asking for it.
      const combined = result.stdout + result.stderr;
      if (spec.devDependencies["typescript"]?.startsWith("^7")) {
        expect(existsSync(path.join(dir, "eslint.config.mjs"))).toBe(false);
        expect(combined).toMatch(/no ESLint config written: it would import typescript-eslint, which cannot be installed beside TypeScript 7\.\d+\.\d+ .*dtcheck lint needs none/);
        expect(combined).not.toContain("npm install --save-dev typescript-eslint");
      } else {
        expect(readFileSync(path.join(dir, "eslint.config.mjs"), "utf8")).toContain('import dtcheck from "@dtcheck/eslint-plugin";');
        expect(combined).not.toContain("cannot be installed beside TypeScript");
      }
    });

    it("lint: the worker is clean, the probe's new Date() is found (type-aware, SARIF on stdout)", async () => {
      const result = await dtcheck("lint", "src", "probe", ...(spec.lintArgs ?? []), "--format", "sarif");
      expect(result.code, describeRun(result)).toBe(1);
      const sarif = parseJson(result, "lint") as {
        runs: {
          tool: { driver: { rules: { id: string; fullDescription: { text: string }; help: { markdown: string } }[] } };
          results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
        }[];
      };
      const found = sarif.runs[0]!.results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.level} ${r.ruleId}`);
      expect(found.sort()).toEqual([`${spec.probe} error @dtcheck/no-wall-clock`, ...spec.workerFindings.map((id) => `${spec.worker} warning ${id}`)].sort());
      // Rule help comes from the rule page inside the installed plugin, not from dtcheck's repository.
      const wallClock = sarif.runs[0]!.tool.driver.rules.find((rule) => rule.id === "@dtcheck/no-wall-clock");
      expect(wallClock?.fullDescription.text).toBe("Disallow reading the wall clock in orchestrator code; use the context's current UTC time.");
      // (fullDescription alone could not tell: without the page it falls back to meta.docs.description, the same sentence.)
      expect(wallClock?.help.markdown.split("\n")[0]).toBe("# no-wall-clock");
      expect(wallClock?.help.markdown).toContain("\n## When Not To Use It\n");
    });

    if (spec.ownEslint) {
      it("the project's own ESLint runs the plugin through the config init wrote", async () => {
        const result = await run(path.join(dir, "node_modules/.bin/eslint"), ["--format", "json", "src", "probe"], { cwd: dir, env: baseEnv });
        expect(result.code, describeRun(result)).toBe(1);
        const results = parseJson(result, "eslint") as { filePath: string; messages: { ruleId: string }[] }[];
        const byFile = Object.fromEntries(results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => m.ruleId)]));
        expect(byFile[spec.probe]).toEqual(["@dtcheck/no-wall-clock"]);
        expect(byFile[spec.worker]).toEqual(spec.workerFindings);
      });
    }

    it("record, replay, fuzz and drift run offline, give the expected verdicts, and never connect", async () => {
      // What a user adds to the config init wrote: the orchestration input drift generates worlds from.
      const configFile = path.join(dir, "dtcheck.config.json");
      const config = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
      writeFileSync(configFile, JSON.stringify({ ...config, fuzz: { input: readJson("input.json") } }, null, 2));
      // the golden goes where the config says histories are
      mkdirSync(path.join(dir, "test/histories"), { recursive: true });
      const golden = `test/histories/${spec.orchestrator}.json`;
      const record = await dtcheck("record", "-m", spec.module, "--orchestrator", spec.orchestrator, "--input", "@input.json", "--stubs", "stubs.json", "--out", golden);
      expect(record.code, describeRun(record)).toBe(0);
      const history = readJson(golden) as unknown[];
      expect(Array.isArray(history) ? history.length : -1).toBeGreaterThan(10);

      // replay with no arguments: the histories folder and module of the config init wrote
      // Reports go to stdout: what the worker prints while loaded must not reach it.
      const replay = await dtcheck("replay", "--format", "json");
      expect(replay.code, describeRun(replay)).toBe(0);
      const replayReport = parseJson(replay, "replay") as { cases: { status: string }[]; findings: unknown[] };
      expect(replayReport.cases.map((c) => c.status)).toEqual(["passed"]);
      expect(replayReport.findings).toEqual([]);

      const fuzz = await dtcheck("fuzz", "-m", spec.module, "--input", "@input.json", "--runs", "8", "--seed", "1", "--format", "sarif");
      expect(fuzz.code, describeRun(fuzz)).toBe(0);
      const fuzzSarif = parseJson(fuzz, "fuzz") as { runs: { results: unknown[] }[] };
      expect(fuzzSarif.runs[0]!.results).toEqual([]);

      // A config module with fast-check arbitraries, importing the copy dtcheck ships (pnpm's strict
      // layout lets a project import only what it depends on itself).
      writeFileSync(
        path.join(dir, "dtcheck.arbitraries.mjs"),
        `import fc from "@dtcheck/cli/fast-check";\nexport default { module: ${JSON.stringify(spec.module)}, fuzz: { input: ${JSON.stringify(readJson("input.json"))}, activities: { sayHello: fc.string({ maxLength: 8 }) } } };\n`,
      );
      const arbitraries = await dtcheck("fuzz", "--config", "dtcheck.arbitraries.mjs", "--runs", "8", "--seed", "1", "--format", "json");
      expect(arbitraries.code, describeRun(arbitraries)).toBe(0);
      expect((parseJson(arbitraries, "fuzz") as { summary: string }).summary).toMatch(/^1 orchestrator fuzzed \(8 worlds, seed 1\): 1 deterministic, 0 not$/);

      const drift = await dtcheck("drift", "--baseline", spec.module, "--candidate", spec.candidate, "--runs", "8", "--seed", "1", "--format", "json");
      expect(drift.code, describeRun(drift)).toBe(1);
      const driftReport = parseJson(drift, "drift") as { findings: { ruleId: string }[] };
      // generated v1 instances cannot resume on v2, and neither can the saved golden
      expect(new Set(driftReport.findings.map((f) => f.ruleId))).toEqual(new Set(["dtcheck/version-drift", "dtcheck/replay-divergence"]));
      expect(driftReport.findings.filter((f) => f.ruleId === "dtcheck/replay-divergence").length).toBe(1);

      expect(sidecar.connections).toEqual([]);
    });

  });
}
