import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { activateProtoNamespace, findDurableTaskRoots, loadDurableTaskSdk } from "../../src/engines/durabletask/sdk.js";
import { ProtobufConverter } from "../../src/engines/durabletask/to-protobuf.js";

const from = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/entity-counter/worker.ts", import.meta.url));

describe("two durabletask-js copies in one process", () => {
  it("the Microsoft copy still builds entity events after the Dapr copy was loaded (one global protobuf namespace)", () => {
    const roots = findDurableTaskRoots(from);
    const microsoft = loadDurableTaskSdk(roots.find((r) => r.layout.packageName === "@microsoft/durabletask-js")!.root);
    for (const { root } of roots) loadDurableTaskSdk(root);
    // Loading the Dapr copy last made its classes the global ones.
    const dapr = roots.find((r) => r.layout.kind === "dapr");
    expect(dapr?.layout.packageName, "this test needs the Dapr copy installed").toBe("@dapr/dapr");
    const event = { kind: "entityOperationSignaled", eventId: 1, timestamp: "2024-01-01T00:00:00Z", payload: { requestId: "r", operation: "add" } } as const;
    activateProtoNamespace(microsoft);
    const converted = new ProtobufConverter(microsoft).convert(event);
    expect(converted.getEventtypeCase()).toBe(microsoft.pb.HistoryEvent.EventtypeCase.ENTITYOPERATIONSIGNALED);
    expect(converted.getEntityoperationsignaled().getOperation()).toBe("add");
  });
});
