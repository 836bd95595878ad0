import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findDurableTaskRoots, loadDurableTaskSdk } from "../../src/engines/durabletask/sdk.js";

/*
 * dtcheck keeps the answers of the SDK's enumValueToKey (a key search the executor runs for every
 * event it processes): each copy's helper must still answer exactly what a search of the enum gives.
 */
const from = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/entity-counter/worker.ts", import.meta.url));
const search = (enumObject: Record<string, unknown>, value: unknown) => Object.keys(enumObject).find((key) => enumObject[key] === value);

describe("the SDK's enum key lookup, once dtcheck has loaded the SDK", () => {
  const roots = findDurableTaskRoots(from);

  it.each(roots.map((r) => [r.layout.packageName, r.root]))("%s: the same key for every event kind, first and again, and undefined for an unknown value", (_name, root) => {
    const sdk = loadDurableTaskSdk(root);
    const helpers = createRequire(join(root, "index.js"))("./utils/enum.util.js") as { enumValueToKey: (e: object, v: unknown) => string | undefined };
    const kinds = sdk.pb.HistoryEvent.EventtypeCase as Record<string, number>;
    const values = [...Object.values(kinds), 999];
    const expected = values.map((value) => search(kinds, value));
    expect(values.map((value) => helpers.enumValueToKey(kinds, value))).toEqual(expected);
    expect(values.map((value) => helpers.enumValueToKey(kinds, value))).toEqual(expected);
    expect(expected.filter((key) => key === undefined)).toHaveLength(1);
    // Loading the copy again does not wrap the helper twice.
    const installed = helpers.enumValueToKey;
    loadDurableTaskSdk(root);
    expect(helpers.enumValueToKey).toBe(installed);
  });

  it("covers the Microsoft SDK and both Dapr copies", () => {
    expect(roots.map((r) => r.layout.packageName).sort()).toEqual(["@dapr/dapr", "@dapr/durabletask-js", "@microsoft/durabletask-js"]);
  });
});
