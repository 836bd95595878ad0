/**
 * Fenced code blocks of the docs, with where they are, so a failing check can name the line.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface CodeBlock {
  /** Path relative to the repository root, e.g. `docs/rules/no-io.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string's first word (`ts`, `sh`, ...), "" when none. */
  lang: string;
  /** The block's text, dedented by the fence's own indentation. */
  code: string;
  /** The nearest `## ` heading above the block ("" before any). */
  heading: string;
  /** The reason given by a `<!-- not checked: reason -->` comment right before the fence. */
  notChecked?: string;
  /** The directory (relative to the repository root) given by a `<!-- runs in dir -->` comment before the fence. */
  runsIn?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const NOT_CHECKED = /^<!--\s*not checked:\s*(.+?)\s*-->$/;
const RUNS_IN = /^<!--\s*runs in\s+(\S+)\s*-->$/;

export function codeBlocks(repoRoot: string, file: string): CodeBlock[] {
  const lines = readFileSync(path.join(repoRoot, file), "utf8").split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^#{2,}\s/.test(line)) heading = line.replace(/^#+\s*/, "").trim();
    const open = FENCE.exec(line);
    if (!open) continue;
    const [, indent = "", fence = "```", lang = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const current = lines[j] ?? "";
      if (current.trim().startsWith(fence) && current.trim().replace(/[`~]/g, "") === "") break;
      body.push(current.startsWith(indent) ? current.slice(indent.length) : current.trimStart());
    }
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: code fence is never closed`);
    let previous = i - 1;
    while (previous >= 0 && (lines[previous] ?? "").trim() === "") previous--;
    const comment = (lines[previous] ?? "").trim();
    const notChecked = NOT_CHECKED.exec(comment)?.[1];
    const runsIn = RUNS_IN.exec(comment)?.[1];
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), code: body.join("\n"), heading, notChecked, runsIn });
    i = j;
  }
  return blocks;
}

export function where(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}
