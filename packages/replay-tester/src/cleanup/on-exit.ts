import { constants } from "node:os";

/**
 * Synchronous cleanups (a git worktree, a temporary directory) that must run however the process
 * ends: normally, through process.exit, or on SIGINT / SIGTERM / SIGHUP. Signal handlers are
 * installed only while a cleanup is registered, so dtcheck used as a library changes nothing
 * about a host's own signal handling the rest of the time. After a signal the cleanups run and the
 * process exits with the shell's code for it (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type ExitSignal = (typeof SIGNALS)[number];

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not stop the others.
    }
  }
}

function onSignal(signal: ExitSignal): void {
  runAll();
  uninstall();
  process.exit(128 + constants.signals[signal]);
}

const handlers = new Map<ExitSignal, () => void>(SIGNALS.map((signal) => [signal, () => onSignal(signal)]));

function install(): void {
  for (const [signal, handler] of handlers) process.on(signal, handler);
  process.on("exit", runAll);
}

function uninstall(): void {
  for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  process.removeListener("exit", runAll);
}

/** Registers a cleanup until the returned function is called (which runs it, once). */
export function onExitCleanup(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup)) return;
    if (cleanups.size === 0) uninstall();
    cleanup();
  };
}
