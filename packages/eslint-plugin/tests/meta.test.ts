/**
 * Every rule's meta holds to what typescript-eslint asks of its own rules: a description that
 * says what the rule does, a description on every option, and an explicit default for every
 * option in `meta.defaultOptions` that the schema itself accepts. The hazard rules are built by
 * a factory that eslint-plugin-eslint-plugin cannot see into, so this runs over the real objects.
 */
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "@dtcheck/eslint-plugin";
import { rules } from "../src/rules/index.js";

interface OptionSchema {
  type?: string;
  properties?: Record<string, { description?: string; type?: string }>;
}

const RULE_NAMES = [
  "generator-shape",
  "named-registration",
  "no-await",
  "no-dynamic-code",
  "no-environment",
  "no-eternal-loop",
  "no-io",
  "no-module-state",
  "no-promise-combinators",
  "no-random",
  "no-replay-conditional-calls",
  "no-timers",
  "no-unstable-iteration",
  "no-wall-clock",
  "replay-safe-logging",
  "yield-durable-tasks",
];

const entries = Object.entries(rules);

describe("rule meta", () => {
  it("the plugin exports exactly the documented rules", () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(RULE_NAMES);
  });

  it.each(entries)("%s: description, option descriptions and explicit defaults", (name, rule) => {
    const meta = rule.meta;
    expect(meta?.docs?.description, name).toMatch(/^(Disallow|Require|Enforce) .*[^.\s]$/);
    expect(meta?.docs?.url).toBe(`https://github.com/dtcheck/dtcheck/blob/main/docs/rules/${name}.md`);
    const schema = (meta?.schema ?? []) as OptionSchema[];
    if (schema.length === 0) {
      expect(meta?.defaultOptions, `${name} takes no options`).toBeUndefined();
      return;
    }
    expect(schema).toHaveLength(1);
    const properties = Object.entries(schema[0]?.properties ?? {});
    const undescribed = properties.filter(([, property]) => !property.description || property.description.length < 20);
    expect(undescribed.map(([key]) => key), `options of ${name} without a description`).toEqual([]);
    const defaults = (meta?.defaultOptions ?? []) as Record<string, unknown>[];
    expect(defaults).toHaveLength(1);
    expect(Object.keys(defaults[0] ?? {}).sort(), `every option of ${name} has an explicit default`).toEqual(properties.map(([key]) => key).sort());
  });

  it.each(entries)("%s: the defaults pass the rule's own schema", (name, rule) => {
    const linter = new Linter({ configType: "flat" });
    const config: Linter.Config = {
      // The plugin's rule objects are ESLint rules; the cast bridges @typescript-eslint/utils' types.
      plugins: { dtcheck: { rules: { [name]: rule } } as unknown as NonNullable<Linter.Config["plugins"]>[string] },
      rules: { [`dtcheck/${name}`]: ["error", ...((rule.meta?.defaultOptions ?? []) as unknown[])] },
    };
    expect(linter.verify("export const x = 1;\n", config)).toEqual([]);
    // And the schema is strict: an unknown option is rejected, so a typo cannot pass silently.
    const typo: Linter.Config = { ...config, rules: { [`dtcheck/${name}`]: ["error", { notAnOption: true }] } };
    const takesOptions = ((rule.meta?.schema ?? []) as unknown[]).length > 0;
    expect(() => linter.verify("export const x = 1;\n", typo)).toThrow(
      takesOptions ? 'Unexpected property "notAnOption"' : "should NOT have more than 0 items",
    );
  });
});
