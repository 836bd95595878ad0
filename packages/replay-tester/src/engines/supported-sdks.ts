/**
 * The SDK releases replay-tester supports. dtcheck drives each SDK's own executor through files
 * inside the package (no SDK exports them), so a release that moves one would break it: an
 * installed version outside these ranges is one clear line, not a crash somewhere inside the SDK.
 * Each range starts at the oldest release tests/engines/sdk-matrix.test.ts replays the sample apps on
 * (an aliased devDependency of replay-tester); widen one only with an alias for its new oldest release.
 * Older releases fail there: durable-functions 3.0/3.1 have no context.df.version, and @dapr/dapr
 * before 3.17 runs workflows on @dapr/durabletask-js 0.1.0-alpha.
 * They are not peer dependencies of the package: npm upgrades a project's SDK (its production
 * dependency) to satisfy one, or fails its install; the user's copy is checked here instead.
 */
import { createRequire } from "node:module";
// Two functions, not the whole package: it loads in every thread that checks an SDK, and all of
// semver takes twice as long to load (about 18 ms against 9 ms here).
import satisfies from "semver/functions/satisfies.js";
import valid from "semver/functions/valid.js";
import { InputError } from "../errors.js";

export const SUPPORTED_SDK_RANGES: Readonly<Record<string, string>> = {
  "@microsoft/durabletask-js": ">=0.4.0 <0.5.0",
  "@dapr/durabletask-js": ">=1.0.0 <2.0.0",
  "@dapr/dapr": ">=3.17.0 <4.0.0",
  "durable-functions": ">=3.2.0 <4.0.0",
};

const UPGRADE_HINT = "install a supported release in your project, or a dtcheck release that supports this one";

/** Throws an InputError naming the package, its version and the supported range when they do not match. */
export function assertSupportedSdk(packageName: string, version: string, packageDir: string): void {
  const range = SUPPORTED_SDK_RANGES[packageName];
  if (!range) return;
  if (valid(version) && satisfies(version, range)) return;
  throw new InputError(`${packageName} ${version} is installed, but dtcheck supports ${packageName} ${range}; ${UPGRADE_HINT}`, { file: packageDir });
}

/**
 * Requires one of the SDK's internal files; when the installed release does not have it (moved or
 * renamed), says so in one line.
 */
export function requireSdkFile<T>(fromFile: string, file: string, sdk: { packageName: string; version: string }): T {
  try {
    return createRequire(fromFile)(file) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InputError(`${sdk.packageName} ${sdk.version}: dtcheck could not load its internal file ${file} (${reason}); ${UPGRADE_HINT}`, { cause: error });
  }
}
