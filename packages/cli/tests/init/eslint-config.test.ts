import { describe, expect, it } from "vitest";
import { addPluginToEslintConfig } from "../../src/init/eslint-config.js";

function edited(file: string, text: string): string {
  const edit = addPluginToEslintConfig(file, text);
  if (edit.kind !== "edited") throw new Error(`not edited: ${JSON.stringify(edit)}`);
  return edit.text;
}

describe("addPluginToEslintConfig", () => {
  it("appends to a multi-line exported array after the last import", () => {
    expect(edited("eslint.config.mjs", `import js from "@eslint/js";\n\nexport default [\n  js.configs.recommended,\n  { rules: {} }\n];\n`)).toBe(
      `import js from "@eslint/js";\nimport dtcheck from "@dtcheck/eslint-plugin";\n\nexport default [\n  js.configs.recommended,\n  { rules: {} },\n  dtcheck.configs.recommended,\n];\n`,
    );
  });

  it("keeps a trailing comma style and appends to tseslint.config(...) arguments", () => {
    const text = `import tseslint from "typescript-eslint";\nexport default tseslint.config(\n  ...tseslint.configs.recommended,\n);\n`;
    expect(edited("eslint.config.js", text)).toBe(
      `import tseslint from "typescript-eslint";\nimport dtcheck from "@dtcheck/eslint-plugin";\nexport default tseslint.config(\n  ...tseslint.configs.recommended,\n  dtcheck.configs.recommended,\n);\n`,
    );
  });

  it("handles a one-line array, an empty array and `satisfies` in TypeScript configs", () => {
    expect(edited("eslint.config.js", `export default [a, b];\n`)).toBe(`import dtcheck from "@dtcheck/eslint-plugin";\nexport default [a, b, dtcheck.configs.recommended];\n`);
    expect(edited("eslint.config.ts", `import type { Linter } from "eslint";\nexport default [] satisfies Linter.Config[];\n`)).toContain(`export default [\n  dtcheck.configs.recommended,\n] satisfies Linter.Config[];`);
  });

  it("the edited config still parses", async () => {
    const ts = (await import("typescript")).default;
    const out = edited("eslint.config.js", `export default [\n  { ignores: ["dist"] },\n];\n`);
    const diagnostics = ts.transpileModule(out, { reportDiagnostics: true }).diagnostics ?? [];
    expect(diagnostics).toEqual([]);
  });

  it("leaves CommonJS configs, configs without a default export and exported identifiers to the user", () => {
    expect(addPluginToEslintConfig("eslint.config.cjs", "module.exports = [];")).toMatchObject({ kind: "manual", reason: expect.stringContaining("CommonJS") });
    expect(addPluginToEslintConfig("eslint.config.js", "export const x = [];")).toMatchObject({ kind: "manual", reason: "it has no `export default`" });
    expect(addPluginToEslintConfig("eslint.config.js", "const c = [];\nexport default c;")).toMatchObject({ kind: "manual" });
  });

  it("does nothing when the plugin is already configured", () => {
    expect(addPluginToEslintConfig("eslint.config.js", `import dtcheck from "@dtcheck/eslint-plugin";\nexport default [dtcheck.configs.recommended];`)).toEqual({ kind: "already" });
  });
});
