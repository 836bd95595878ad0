/**
 * @azure/functions has no Functions host to talk to while dtcheck imports a user module, so it
 * switches to "test mode" and console.warns about it, once per process and again for every
 * function or hook the module registers (app.http, app.timer, hooks). Those lines are noise in
 * dtcheck's output: they say nothing about the user's code. Exactly these messages (matched on the
 * package's own wording) are dropped while an import runs; every other warning passes through.
 */
const TEST_MODE_WARNINGS: readonly RegExp[] = [
  /^WARNING: Failed to detect the Azure Functions runtime\. Switching "@azure\/functions" package to test mode/,
  /^WARNING: Skipping call to register (function "[^"]*"|\S+ hook) because the "@azure\/functions" package is in test mode\.$/,
];

export function isAzureFunctionsTestModeWarning(args: readonly unknown[]): boolean {
  const first = args[0];
  return args.length === 1 && typeof first === "string" && TEST_MODE_WARNINGS.some((pattern) => pattern.test(first));
}

/* Reference-counted, so overlapping imports install the filter once and restore console.warn when the last one ends. */
let active: { users: number; warn: typeof console.warn } | undefined;

/** Runs `load` with the @azure/functions test-mode warnings filtered out of console.warn. */
export async function withoutAzureFunctionsTestModeWarnings<T>(load: () => Promise<T>): Promise<T> {
  if (!active) {
    const warn = console.warn;
    active = { users: 0, warn };
    console.warn = function (...args: unknown[]) {
      if (!isAzureFunctionsTestModeWarning(args)) warn.apply(console, args);
    };
  }
  active.users++;
  try {
    return await load();
  } finally {
    if (--active.users === 0) {
      console.warn = active.warn;
      active = undefined;
    }
  }
}
