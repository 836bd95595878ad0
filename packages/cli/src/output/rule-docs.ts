import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** A lint rule's documentation page, read from where the plugin ships it (the one source of rule help). */
export interface RuleDoc {
  /** The paragraph under the page title: what the rule is for. */
  lead: string;
  /** The whole page, with relative links made absolute against the page's URL. */
  markdown: string;
}

const require = createRequire(import.meta.url);

/**
 * Where the rule pages are: docs/rules inside the installed plugin, or, in dtcheck's own
 * repository, docs/rules at the root beside packages/eslint-plugin.
 */
function ruleDocDirs(): string[] {
  let pluginDir: string;
  try {
    pluginDir = path.dirname(require.resolve("@dtcheck/eslint-plugin/package.json"));
  } catch {
    return [];
  }
  const dirs = [path.join(pluginDir, "docs", "rules")];
  if (path.basename(path.dirname(pluginDir)) === "packages") dirs.push(path.join(pluginDir, "..", "..", "docs", "rules"));
  return dirs;
}

let dirs: string[] | undefined;
const cache = new Map<string, RuleDoc | undefined>();

function absoluteLinks(markdown: string, pageUrl: string | undefined): string {
  if (!pageUrl) return markdown;
  return markdown.replace(/\]\((?![a-z]+:|#)([^)\s]+)\)/gi, (_match, target: string) => `](${new URL(target, pageUrl).href})`);
}

/** The page of a `@dtcheck/<name>` rule, or undefined when the rule is not one of the plugin's or its page is not installed. */
export function ruleDoc(ruleId: string, pageUrl?: string): RuleDoc | undefined {
  const name = /^@dtcheck\/([\w-]+)$/.exec(ruleId)?.[1];
  if (!name) return undefined;
  if (cache.has(ruleId)) return cache.get(ruleId);
  dirs ??= ruleDocDirs();
  const file = dirs.map((dir) => path.join(dir, `${name}.md`)).find((f) => existsSync(f));
  let doc: RuleDoc | undefined;
  if (file) {
    const markdown = readFileSync(file, "utf8").replace(/\r\n/g, "\n").trim();
    const lead = markdown.split(/\n{2,}/).find((block) => !block.startsWith("#"));
    doc = { lead: lead?.replace(/\s*\n\s*/g, " ") ?? "", markdown: absoluteLinks(markdown, pageUrl) };
  }
  cache.set(ruleId, doc);
  return doc;
}
