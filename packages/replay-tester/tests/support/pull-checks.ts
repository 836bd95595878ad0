/** What the pull tests share: a port nothing listens on, and the one-line failure a pull must give. */
import { createServer } from "node:net";
import { expect } from "vitest";

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The message of the InputError `promise` rejects with: one line, and never holding `secret` (a key, a token). */
export async function pullFailure(promise: Promise<unknown>, secret?: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).name).toBe("InputError");
    expect((error as Error).message).not.toContain("\n");
    if (secret !== undefined) expect((error as Error).message).not.toContain(secret);
    return (error as Error).message;
  }
  throw new Error("expected the pull to fail");
}
