import { resolve } from "node:path";
import type { OrchestratorTarget } from "../engines/engine.js";
import { parseGitSpec } from "../git/git-spec.js";
import { withGitCheckout } from "../git/worktree.js";
import { loadModule, pickOrchestrator } from "../load/load-module.js";

/** An orchestrator to fuzz: a loaded target, a module path, or `git:<ref>:<path>`. */
export type OrchestratorSource = OrchestratorTarget | string;

export interface ResolvedOrchestrator {
  target: OrchestratorTarget;
  /** How to name it in messages: the spec as given. */
  label: string;
  /** A module path the replay command can load (absent for in-memory targets and git checkouts). */
  modulePath?: string;
}

/**
 * Loads the orchestrator a source names and runs `fn` with it. A git source is checked out into a
 * temporary worktree that exists only while `fn` runs.
 */
export async function withOrchestrator<T>(
  source: OrchestratorSource,
  options: { orchestrator?: string; cwd?: string },
  fn: (resolved: ResolvedOrchestrator) => Promise<T>,
): Promise<T> {
  const cwd = options.cwd ?? process.cwd();
  if (typeof source !== "string") {
    return fn({ target: source, label: source.modulePath ?? source.name, modulePath: source.modulePath });
  }
  const git = parseGitSpec(source);
  if (git) {
    return withGitCheckout(git, cwd, async (file) => {
      const module = await loadModule(file);
      return fn({ target: pickOrchestrator(module, options.orchestrator), label: source });
    });
  }
  const file = resolve(cwd, source);
  const module = await loadModule(file);
  return fn({ target: pickOrchestrator(module, options.orchestrator), label: source, modulePath: file });
}
