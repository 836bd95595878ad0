/**
 * One behaviour everywhere: on each fixture project, the config `dtcheck init` writes, `eslint`
 * with that config (what the editor runs), and `dtcheck lint` (which honours it) report exactly
 * the same file:line:rule set.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import { EXPECTED_PROJECT_FINDINGS, PROJECTS } from "../../../eslint-plugin/tests/integration/expected-project-findings.js";
import { newEslintConfig } from "../../src/init/eslint-config.js";
import { REPO, runCli } from "../run-cli.js";

const projectsDir = path.join(REPO, "fixtures/lint/projects");

interface JsonReport {
  findings: { ruleId: string; location: { file: string; line: number } }[];
}

describe.each(PROJECTS)("fixture project %s", (project) => {
  const root = path.join(projectsDir, project);
  const expected = EXPECTED_PROJECT_FINDINGS.filter((f) => f.startsWith(`${project}/`)).map((f) => f.slice(project.length + 1)).sort();
  const where = (file: string, line: number, ruleId: string | null) => `${path.relative(root, file)}:${line}:${ruleId?.replace("@dtcheck/", "")}`;

  it("has the ESLint config dtcheck init writes for it", () => {
    expect(readFileSync(path.join(root, "eslint.config.mjs"), "utf8")).toBe(newEslintConfig(root));
  });

  it("eslint with that config and dtcheck lint report the same, expected set", async () => {
    const results = await new ESLint({ cwd: root }).lintFiles(["."]);
    const byEslint = results.flatMap((r) => r.messages.map((m) => where(r.filePath, m.line, m.ruleId))).sort();
    expect(byEslint).toEqual(expected);
    const run = runCli(["lint", "--format", "json"], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    const byCli = (JSON.parse(run.stdout) as JsonReport).findings.map((f) => where(f.location.file, f.location.line, f.ruleId)).sort();
    expect(byCli).toEqual(expected);
  }, 120_000);
});
