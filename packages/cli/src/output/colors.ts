import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

/** NO_COLOR and FORCE_COLOR win over the TTY check (https://no-color.org, FORCE_COLOR convention). */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

export type Paint = (style: Style, text: string) => string;

export function painter(enabled: boolean): Paint {
  // Our own check decides; styleText would otherwise re-check process.stdout.
  return enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}
