/**
 * Lints the `// Bad` / `// Good` examples of the rule pages with the real ESLint class and the
 * plugin's recommended config (built `dist`), and validates the pages' rule-option examples
 * against the rules' schemas.
 */
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import plugin from "@dtcheck/eslint-plugin";

/**
 * Rule pages show fragments without imports; the plugin finds orchestrators through the SDK's
 * imports and context types, so each fragment is linted under the imports of its page section.
 */
const PRELUDES: Record<string, { module: string; names: string[]; namespace?: string }> = {
  "durabletask-js": { module: "@microsoft/durabletask-js", names: ["OrchestrationContext", "TOrchestrator", "TaskHubGrpcWorker", "whenAll", "whenAny"] },
  "durable-functions": { module: "durable-functions", names: [], namespace: "df" },
  dapr: { module: "@dapr/dapr", names: ["WorkflowContext", "TWorkflow", "WorkflowRuntime", "WorkflowActivityContext", "DaprClient"] },
};

export function preludeFor(heading: string, code: string): string {
  const prelude = PRELUDES[heading.toLowerCase()];
  if (!prelude) return "";
  const importedAlready = (name: string) => new RegExp(`\\bimport\\b[^;]*\\b${name}\\b`).test(code) || new RegExp(`\\b(?:const|let|function|class|type|interface)\\s+${name}\\b`).test(code);
  if (prelude.namespace) return importedAlready(prelude.namespace) ? "" : `import * as ${prelude.namespace} from "${prelude.module}";\n`;
  const names = prelude.names.filter((name) => !importedAlready(name));
  return names.length > 0 ? `import { ${names.join(", ")} } from "${prelude.module}";\n` : "";
}

/**
 * Rule pages also show orchestrator bodies alone (`const x = await ctx.callActivity(...)`); such a
 * fragment (no generator function, no registration in it) is linted inside an orchestrator of its section's SDK.
 */
const ORCHESTRATOR_WRAPPERS: Record<string, [string, string]> = {
  "durabletask-js": ["async function* orchestrator(ctx: OrchestrationContext, input: any): any {", "}"],
  "durable-functions": ['df.app.orchestration("orchestrator", function* (context) {', "});"],
  dapr: ["const workflow: TWorkflow = async function* (ctx: WorkflowContext, input: any): any {", "};"],
};

export function wrapFragment(heading: string, code: string): { code: string; linesBefore: number } {
  const wrapper = ORCHESTRATOR_WRAPPERS[heading.toLowerCase()];
  if (!wrapper || /function\s*\*|\bdf\.(app\.orchestration|orchestrator)\b|\bregisterWorkflow|\badd(Named)?Orchestrator\b/.test(code)) return { code, linesBefore: 0 };
  return { code: `${wrapper[0]}\n${code}\n${wrapper[1]}\n`, linesBefore: 1 };
}

/** Splits a rule example at its `// Good` line; undefined when it is not a Bad/Good pair. */
export function badAndGood(code: string): { bad: string; good: string; goodLineOffset: number } | undefined {
  const lines = code.split("\n");
  const badAt = lines.findIndex((line) => /^\s*\/\/ Bad\b/.test(line));
  const goodAt = lines.findIndex((line) => /^\s*\/\/ Good\b/.test(line));
  if (badAt < 0 || goodAt < 0 || goodAt < badAt) return undefined;
  return { bad: lines.slice(0, goodAt).join("\n"), good: lines.slice(goodAt).join("\n"), goodLineOffset: goodAt };
}

const recommended = plugin.configs.recommended as Linter.Config;

function eslintFor(repoRoot: string, extraRules: Linter.RulesRecord = {}): ESLint {
  return new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser as Linter.Parser } },
      recommended,
      { rules: extraRules },
    ],
  });
}

export interface LintedExample {
  /** `@dtcheck/<rule>` reports of the Bad half as `line L:C messageId: message` (lines relative to the block). */
  bad: string[];
  good: string[];
  /** Parse errors and messages of other rules, which make the example itself suspect. */
  problems: string[];
}

/** Lints both halves; the page's rule is switched on even if `recommended` leaves it off. */
export async function lintExample(repoRoot: string, rule: string, heading: string, code: string): Promise<LintedExample | undefined> {
  const halves = badAndGood(code);
  if (!halves) return undefined;
  const ruleId = `@dtcheck/${rule}`;
  const eslint = eslintFor(repoRoot, recommended.rules?.[ruleId] ? {} : { [ruleId]: "error" });
  const run = async (text: string, lineOffset: number) => {
    const wrapped = wrapFragment(heading, text);
    const prelude = preludeFor(heading, wrapped.code);
    const preludeLines = (prelude ? prelude.split("\n").length - 1 : 0) + wrapped.linesBefore;
    const [result] = await eslint.lintText(prelude + wrapped.code, { filePath: path.join(repoRoot, "docs", "snippet.ts") });
    const messages = (result?.messages ?? []).map((m) => ({ ...m, line: m.line - preludeLines + lineOffset }));
    return {
      own: messages.filter((m) => m.ruleId === ruleId).map((m) => `line ${m.line}:${m.column} ${m.messageId ?? "?"}: ${m.message}`),
      other: messages.filter((m) => m.ruleId !== ruleId).map((m) => `line ${m.line}: ${m.ruleId ?? "parse"}: ${m.message}`),
    };
  };
  const bad = await run(halves.bad, 0);
  const good = await run(halves.good, halves.goodLineOffset);
  return { bad: bad.own, good: good.own, problems: [...bad.other.filter((m) => m.includes(": parse:")), ...good.other] };
}

/**
 * A rule-options example (`"@dtcheck/rule": ["error", {...}]`, with or without braces) must name
 * the page's rule and pass the rule's option schema (ESLint validates it when linting).
 */
export async function checkRuleOptions(repoRoot: string, rule: string, code: string): Promise<string | undefined> {
  const text = code.trim().replace(/,$/, "");
  let value: unknown;
  try {
    // The docs are the repository's own text; evaluating the object literal is what a config file does.
    value = new Function(`return (${text.startsWith("{") ? text : `{${text}}`});`)();
  } catch (error) {
    return `not a valid rules entry: ${(error as Error).message}`;
  }
  const rules = value as Linter.RulesRecord;
  const names = Object.keys(rules);
  if (names.length !== 1 || names[0] !== `@dtcheck/${rule}`) return `expected options for @dtcheck/${rule}, got ${names.join(", ") || "nothing"}`;
  try {
    await eslintFor(repoRoot, rules).lintText("export {};\n", { filePath: path.join(repoRoot, "docs", "snippet.ts") });
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n").slice(0, 3).join(" ");
  }
}
