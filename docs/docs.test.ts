/**
 * Every code block in the docs is checked, so the docs cannot rot:
 * - rule pages' `// Bad` / `// Good` examples are linted with the real ESLint and the plugin's
 *   recommended config: the Bad half must report the page's rule, the Good half must not;
 * - rule pages' option examples must pass the rule's option schema;
 * - other ```ts / ```js blocks are full examples, type-checked against the installed packages; those
 *   marked `<!-- runs in <dir> -->` are also run there with Node (through tsx) and must exit 0;
 * - `dtcheck ...` lines in ```sh blocks (and in YAML `run:` steps) are parsed by the CLI's own
 *   commander program, so a renamed command or flag fails here; `npm run <script>` must exist;
 * - ```json blocks parse;
 * - anything else needs an explicit `<!-- not checked: reason -->` before it, and is listed.
 * The same goes for the repository's README.md. Relative links between pages must point at files
 * that exist, and docs/README.md must link every page.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { globSync } from "tinyglobby";
import { codeBlocks, where, type CodeBlock } from "./test-helpers/markdown-blocks.js";
import { checkDtcheckArguments, dtcheckArguments, shellCommands, shellWords, type BuildProgram } from "./test-helpers/check-cli.js";
import { typeCheckSnippets, type Snippet } from "./test-helpers/check-typescript.js";
import { badAndGood, checkRuleOptions, lintExample } from "./test-helpers/check-lint.js";
import { runSnippet } from "./test-helpers/run-snippet.js";
import { rulePageProblems, type RuleMeta } from "./test-helpers/rule-page.js";
import plugin from "@dtcheck/eslint-plugin";

const docsDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(docsDir);
// The repository README's commands are the first a newcomer runs, so they are checked too.
const pages = ["README.md", ...globSync("docs/**/*.md", { cwd: repoRoot }).sort()];
const blocks: CodeBlock[] = pages.flatMap((file) => codeBlocks(repoRoot, file));

const CODE_LANGS = new Set(["ts", "typescript", "js", "javascript", "mjs"]);
const SHELL_LANGS = new Set(["sh", "bash", "shell", "console"]);

type Kind = "lint-example" | "rule-options" | "type-check" | "cli" | "json" | "yaml" | "not-checked" | "unmarked";

function ruleOfPage(block: CodeBlock): string | undefined {
  const match = /^docs\/rules\/([\w-]+)\.md$/.exec(block.file);
  return match?.[1];
}

function kindOf(block: CodeBlock): Kind {
  if (block.notChecked !== undefined) return "not-checked";
  if (CODE_LANGS.has(block.lang)) {
    if (ruleOfPage(block) && badAndGood(block.code)) return "lint-example";
    if (ruleOfPage(block) && /^\{?\s*"@dtcheck\//.test(block.code.trim())) return "rule-options";
    return "type-check";
  }
  if (SHELL_LANGS.has(block.lang)) return "cli";
  if (block.lang === "json") return "json";
  if (block.lang === "yaml" || block.lang === "yml") return "yaml";
  return "unmarked";
}

const byKind = (kind: Kind) => blocks.filter((block) => kindOf(block) === kind);
const label = (block: CodeBlock) => `${where(block)} (${block.lang || "no language"})`;

let buildProgram: BuildProgram;
const packageScripts = Object.keys((JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts?: object }).scripts ?? {});

beforeAll(async () => {
  ({ buildProgram } = (await import(path.join(repoRoot, "packages/cli/dist/program.js"))) as { buildProgram: BuildProgram });
});

/**
 * A config fragment shown as a bare object literal (`{ settings: ... }`) would parse as a block
 * statement; it is checked as the expression it is.
 */
function asModule(code: string): string {
  const firstCode = code.split("\n").find((line) => line.trim() !== "" && !line.trim().startsWith("//"));
  return firstCode?.trim().startsWith("{") ? `export default (${code}\n);\n` : code;
}

/** Problems with the shell commands of a block: dtcheck invocations and npm scripts. */
async function shellProblems(script: string): Promise<string[]> {
  const problems: string[] = [];
  for (const command of shellCommands(script)) {
    const args = dtcheckArguments(command);
    if (args) {
      const problem = await checkDtcheckArguments(buildProgram, args);
      if (problem) problems.push(`${command}\n    → ${problem}`);
      continue;
    }
    const words = shellWords(command);
    if (words[0] === "npm" && words[1] === "run" && words[2] && !packageScripts.includes(words[2])) {
      problems.push(`${command}\n    → the root package.json has no script "${words[2]}"`);
    }
  }
  return problems;
}

describe("docs code blocks", () => {
  it("finds the pages and their blocks", () => {
    expect(pages).toContain("docs/README.md");
    expect(blocks.length).toBeGreaterThan(50);
  });

  it("marks every block it cannot check with <!-- not checked: reason -->", () => {
    const listed = byKind("not-checked").map((block) => `${label(block)}: ${block.notChecked}`);
    const yaml = byKind("yaml").map((block) => `${label(block)}: only its dtcheck run steps are checked (no YAML parser is installed)`);
    console.log(`docs: ${blocks.length} blocks; ${listed.length + yaml.length} not fully checked:\n  ${[...listed, ...yaml].join("\n  ")}`);
    const unmarked = byKind("unmarked").map(label);
    expect(unmarked, "blocks in a language the test does not check need a `<!-- not checked: reason -->` comment").toEqual([]);
    for (const block of byKind("not-checked")) expect(block.notChecked?.length, label(block)).toBeGreaterThan(3);
  });

  // Named by page, section and position in the section (not by line), so that the reviewed
  // snapshot of each Bad half's reports stays attached to its example when text above it moves.
  const lintExamples = byKind("lint-example");
  const stableName = (block: CodeBlock) => {
    const n = lintExamples.filter((other) => other.file === block.file && other.heading === block.heading).indexOf(block) + 1;
    return `${block.file} § ${block.heading} #${n}`;
  };
  describe.each(lintExamples.map((block) => [stableName(block), block] as const))("rule example %s", (_name, block) => {
    it("the Bad half reports exactly the reviewed reports of the page's rule and the Good half none", async () => {
      const rule = ruleOfPage(block) ?? "";
      const linted = await lintExample(repoRoot, rule, block.heading, block.code);
      expect(linted?.problems, "parse errors or other rules firing").toEqual([]);
      expect(linted?.bad.length, `Bad half of ${where(block)} should report @dtcheck/${rule}`).toBeGreaterThan(0);
      // Rule, line, column, message id and message of every report (docs/__snapshots__, reviewed like code).
      expect({ rule: `@dtcheck/${rule}`, bad: linted?.bad }).toMatchSnapshot();
      expect(linted?.good, `Good half of ${where(block)} should not report @dtcheck/${rule}`).toEqual([]);
    });
  });

  it.each(byKind("rule-options").map((block) => [label(block), block] as const))("rule options %s pass the rule's schema", async (_name, block) => {
    expect(await checkRuleOptions(repoRoot, ruleOfPage(block) ?? "", block.code)).toBeUndefined();
  });

  describe("type-checked examples", () => {
    const typed = byKind("type-check");
    const snippets: Snippet[] = typed.map((block, index) => ({
      id: `${path.basename(block.file, ".md")}-${block.line}-${index}`,
      code: asModule(block.code),
      extension: block.lang.startsWith("t") ? ".ts" : ".mjs",
    }));
    let diagnostics: Map<string, string[]>;
    // One TypeScript program over every snippet: over 10 s on a loaded 2-core machine.
    beforeAll(() => {
      diagnostics = typeCheckSnippets(docsDir, snippets);
    }, 180_000);
    it.each(typed.map((block, index) => [label(block), snippets[index]?.id ?? ""] as const))("%s type-checks", (_name, id) => {
      expect(diagnostics.get(id)).toEqual([]);
    });

    const runnable = typed.flatMap((block, index) => (block.runsIn ? [[label(block), block, snippets[index]?.id ?? ""] as const] : []));
    it.each(runnable)("%s runs and exits 0", async (_name, block, id) => {
      const cwd = path.join(repoRoot, block.runsIn ?? ".");
      expect(existsSync(cwd), `${where(block)}: runs in ${block.runsIn}, which does not exist`).toBe(true);
      const run = await runSnippet(repoRoot, id, block.code, cwd);
      expect(run.code, run.output).toBe(0);
    });
  });

  it.each(byKind("cli").map((block) => [label(block), block] as const))("shell %s: dtcheck commands parse with the real CLI", async (_name, block) => {
    expect(await shellProblems(block.code)).toEqual([]);
  });

  it.each(byKind("yaml").map((block) => [label(block), block] as const))("yaml %s: its dtcheck run steps parse with the real CLI", async (_name, block) => {
    const runSteps = block.code
      .split("\n")
      .map((line) => /^\s*(?:-\s*)?run:\s*(.+)$/.exec(line)?.[1])
      .filter((step): step is string => step !== undefined && step !== "|");
    expect(await shellProblems(runSteps.join("\n"))).toEqual([]);
  });

  it.each(byKind("json").map((block) => [label(block), block] as const))("json %s parses", (_name, block) => {
    expect(() => JSON.parse(block.code)).not.toThrow();
  });
});

const ruleMeta = (rule: string) => (plugin.rules as Record<string, { meta?: RuleMeta }>)[rule]?.meta ?? {};
const rulePages = pages.filter((page) => page.startsWith("docs/rules/"));

describe("rule pages", () => {
  it("there is one page per rule, and no page without a rule", () => {
    expect(rulePages.map((page) => path.basename(page, ".md"))).toEqual(Object.keys(plugin.rules).sort());
  });

  it.each(rulePages)("%s: description, When Not To Use It, every option's type, default and example", (page) => {
    const rule = path.basename(page, ".md");
    expect(rulePageProblems(rule, readFileSync(path.join(repoRoot, page), "utf8"), ruleMeta(rule))).toEqual([]);
  });
});

// The checks above pass only if they can fail: each is shown a wrong input here.
describe("the checks reject wrong docs", () => {
  it("a renamed flag, an unknown command, a bad choice and a missing required option fail the CLI check", async () => {
    expect(await checkDtcheckArguments(buildProgram, ["replay", "h/", "--modul", "w.ts"])).toMatch(/unknown option '--modul'/);
    expect(await checkDtcheckArguments(buildProgram, ["replays", "h/"])).toMatch(/unknown command "replays"/);
    expect(await checkDtcheckArguments(buildProgram, ["lint", "--format", "html"])).toMatch(/html/);
    expect(await checkDtcheckArguments(buildProgram, ["convert", "h.json"])).toMatch(/--to/);
    expect(await checkDtcheckArguments(buildProgram, ["drift", "[--strictly]"])).toMatch(/no option --strictly/);
    expect(await checkDtcheckArguments(buildProgram, ["replay", "h/", "-m", "w.ts", "--strict"])).toBeUndefined();
  });

  it("a page whose opening differs from meta, or that lacks a section, an option's default or its example, fails the page check", () => {
    const meta: RuleMeta = {
      docs: { description: "Disallow things" },
      schema: [{ type: "object", properties: { allow: { type: "array", items: { type: "string" } }, strict: { type: "boolean" } } }],
      defaultOptions: [{ allow: [], strict: false }],
    };
    const good = [
      "# demo", "", "Disallow things.", "", "## When Not To Use It", "", "When your orchestrators never replay, which no Durable Task SDK does.", "",
      "## Options", "", "```js", '"@dtcheck/demo": ["error", { allow: ["x"], strict: true }]', "```", "",
      "- `allow` (`string[]`, default `[]`): names not to report.", "- `strict` (`boolean`, default `false`): report more.", "",
    ].join("\n");
    expect(rulePageProblems("demo", good, meta)).toEqual([]);
    expect(rulePageProblems("demo", good.replace("Disallow things.", "Disallows things."), meta)).toEqual([
      'the opening sentence should be meta.docs.description: "Disallow things.", not "Disallows things."',
    ]);
    expect(rulePageProblems("demo", good.replace("## When Not To Use It", "## When not to use it"), meta)).toEqual(['no "## When Not To Use It" section']);
    expect(rulePageProblems("demo", good.replace("default `false`", "default off"), meta)).toEqual([
      'option strict: no line starting with "- `strict` (`boolean`, default `false`): "',
    ]);
    expect(rulePageProblems("demo", good.replace(", strict: true", ""), meta)).toEqual(["option strict: no example in the Options section sets it"]);
  });

  it("headings give GitHub's anchors, so a link to a missing heading is caught", () => {
    const anchors = headingAnchors(path.join(docsDir, "history-formats.md"));
    expect(anchors.has("what-df-http-loses-and-how-dtcheck-tells-you")).toBe(true);
    expect(anchors.has("what-df-http-loses")).toBe(false);
  });

  it("an unknown npm script fails the shell check", async () => {
    expect(await shellProblems("npm run demo && npm run nonexistent-script")).toEqual([expect.stringMatching(/no script "nonexistent-script"/)]);
  });

  it("a type error fails the type check", () => {
    const result = typeCheckSnippets(docsDir, [{ id: "wrong", code: 'import { replayHistory } from "@dtcheck/replay-tester";\nreplayHistory("not a history");\n', extension: ".ts" }]);
    expect(result.get("wrong")?.join("\n")).toMatch(/TS2554|TS2345/);
  });

  it("a Good half that breaks the rule, or a Bad half that does not, fails the lint check", async () => {
    const swapped = "// Bad\nconst at = ctx.currentUtcDateTime;\n\n// Good\nconst at = Date.now();\n";
    const linted = await lintExample(repoRoot, "no-wall-clock", "durabletask-js", swapped);
    expect(linted?.bad).toEqual([]);
    expect(linted?.good).toHaveLength(1);
    expect(await checkRuleOptions(repoRoot, "no-wall-clock", '"@dtcheck/no-wall-clock": ["error", { allowed: [] }]')).toMatch(/invalid|additional/i);
  });
});

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  const anchors = new Set<string>();
  for (const [, heading = ""] of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

describe("docs links", () => {
  const LINK = /\]\(([^)\s]+)\)/g;
  it.each(pages)("relative links in %s point at files (and headings) that exist", (page) => {
    const text = readFileSync(path.join(repoRoot, page), "utf8").replace(/```[\s\S]*?```/g, "");
    const broken: string[] = [];
    for (const [, target = ""] of text.matchAll(LINK)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file = "", anchor] = decodeURIComponent(target).split("#");
      const resolved = file ? path.resolve(path.dirname(path.join(repoRoot, page)), file) : path.join(repoRoot, page);
      if (!existsSync(resolved)) broken.push(target);
      else if (anchor && resolved.endsWith(".md") && !headingAnchors(resolved).has(anchor)) broken.push(`${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("docs/README.md links every page", () => {
    const index = readFileSync(path.join(docsDir, "README.md"), "utf8");
    const linked = new Set([...index.matchAll(LINK)].map(([, target = ""]) => path.posix.join("docs", target.split("#")[0] ?? "")));
    const missing = pages.filter((page) => page.startsWith("docs/") && page !== "docs/README.md" && !linked.has(page));
    expect(missing).toEqual([]);
  });
});
