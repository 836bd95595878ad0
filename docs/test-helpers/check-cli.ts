/**
 * Checks the `dtcheck ...` command lines of the docs against the CLI's real commander program, so
 * a renamed command or flag, a wrong choice or a missing required option breaks the docs test.
 */
import type { Command } from "commander";

export type BuildProgram = () => Command;

/** Shell words of one command (quotes removed; `${{ ... }}` CI expressions count as one word). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | undefined;
  let inWord = false;
  const text = line.replace(/\$\{\{[^}]*\}\}/g, "1");
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Logical lines of a shell block: continuations joined, comments dropped, split at `&&`, `||`, `;`, `|`. */
export function shellCommands(script: string): string[] {
  const joined = script.replace(/\\\n/g, " ");
  const commands: string[] = [];
  for (const raw of joined.split("\n")) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    for (const part of line.split(/\s(?:&&|\|\||;|\|)\s/)) if (part.trim()) commands.push(part.trim());
  }
  return commands;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) return line.slice(0, i);
  }
  return line;
}

/** The arguments after `dtcheck` (through `npx`, `npm exec` or env assignments), or undefined. */
export function dtcheckArguments(command: string): string[] | undefined {
  const words = shellWords(command);
  const at = words.findIndex((word) => word === "dtcheck" || word.endsWith("/dtcheck") || word === "@dtcheck/cli");
  if (at < 0) return undefined;
  const before = words.slice(0, at);
  const launcherOk = before.every((word) => /^[A-Z_]+=/.test(word) || ["npx", "npm", "exec", "--", "-y", "--yes", "run", "$", ">"].includes(word));
  return launcherOk ? words.slice(at + 1) : undefined;
}

/** A synopsis line uses placeholders (`<path>`, `[options]`) rather than real values. */
export function isSynopsis(args: readonly string[]): boolean {
  return args.some((word) => /^<.*>$|^\[.*\]$|^\[|\]$|<.+>/.test(word));
}

function optionFlags(command: Command): Set<string> {
  const flags = new Set<string>();
  for (const option of command.options) {
    if (option.long) flags.add(option.long);
    if (option.short) flags.add(option.short);
  }
  return flags;
}

/**
 * Checks one `dtcheck` invocation. Synopsis lines: the command exists and every flag they name is
 * one of its options. Concrete lines: commander parses them with every action replaced by a no-op,
 * so unknown options, bad choices, missing values and missing required options all fail.
 * Returns the problem, or undefined when the line is valid.
 */
export async function checkDtcheckArguments(buildProgram: BuildProgram, args: string[]): Promise<string | undefined> {
  const program = buildProgram();
  const commandName = args.find((word) => !word.startsWith("-"));
  if (args.length === 0 || args.every((word) => ["--help", "-h", "--version", "-V"].includes(word))) return undefined;
  if (commandName === "<command>") return undefined;
  const command = program.commands.find((c) => c.name() === commandName || c.aliases().includes(commandName ?? ""));
  if (!command) return `unknown command "${commandName}" (dtcheck has: ${program.commands.map((c) => c.name()).join(", ")})`;

  if (isSynopsis(args)) {
    const known = new Set([...optionFlags(command), ...optionFlags(program), "--help", "-h"]);
    const unknown = args
      .flatMap((word) => word.replace(/^\[|\]$/g, "").split("|"))
      .map((word) => word.replace(/[[\]]/g, "").split("=")[0] ?? "")
      .filter((word) => /^--?[a-zA-Z]/.test(word) && !known.has(word));
    return unknown.length > 0 ? `dtcheck ${command.name()} has no option ${unknown.join(", ")}` : undefined;
  }

  let output = "";
  for (const c of program.commands) {
    c.action(() => undefined);
    c.configureOutput({ writeErr: (text) => (output += text), writeOut: (text) => (output += text) });
  }
  program.configureOutput({ writeErr: (text) => (output += text), writeOut: (text) => (output += text) });
  try {
    await program.parseAsync(args, { from: "user" });
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return (output.split("\n")[0] || message).trim();
  }
}
