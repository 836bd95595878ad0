import type { SdkKind } from "../engines/engine.js";

/** Something a user module registered with an SDK (or exported), captured without connecting anywhere. */
export interface Registration {
  sdk: SdkKind;
  kind: "orchestrator" | "activity" | "entity";
  name: string;
  fn: (...args: never[]) => unknown;
  /** The SDK installation it registered with. */
  sdkRoot: string;
}

let collector: Registration[] | undefined;

/** Runs `load` while collecting every registration the patched SDKs see. */
export async function collectRegistrations(load: () => Promise<void>): Promise<Registration[]> {
  const previous = collector;
  const collected: Registration[] = [];
  collector = collected;
  try {
    await load();
  } finally {
    collector = previous;
  }
  return collected;
}

/** Called by the SDK patches; registrations made outside a load are ignored. */
export function record(registration: Registration): void {
  collector?.push(registration);
}
