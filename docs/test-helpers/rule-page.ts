/**
 * What a rule page must say, held to typescript-eslint's standard: its opening sentence is the
 * rule's `meta.docs.description`, it has a "When Not To Use It" section, and its "Options" section
 * gives every option of the schema its type, its default (from `meta.defaultOptions`) and an example.
 */
export interface RuleMeta {
  docs?: { description?: string };
  schema?: unknown;
  defaultOptions?: readonly unknown[];
}

interface PropertySchema {
  type?: string;
  items?: { type?: string };
}

/** The schema type as the page writes it: `boolean`, `string[]`. */
export function typeText(property: PropertySchema): string {
  return property.type === "array" ? `${property.items?.type ?? "unknown"}[]` : (property.type ?? "unknown");
}

/** The text of a `## heading` section, up to the next `## ` heading (code blocks included). */
function section(page: string, heading: string): string | undefined {
  const lines = page.split("\n");
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  let inCode = false;
  const end = rest.findIndex((line) => {
    if (line.startsWith("```")) inCode = !inCode;
    return !inCode && line.startsWith("## ");
  });
  return rest.slice(0, end < 0 ? undefined : end).join("\n");
}

/** Problems with one rule page, one line each; empty when the page says all it must. */
export function rulePageProblems(rule: string, page: string, meta: RuleMeta): string[] {
  const problems: string[] = [];
  const lines = page.split("\n");
  if (lines[0] !== `# ${rule}`) problems.push(`the title should be "# ${rule}", not "${lines[0] ?? ""}"`);
  const opening = lines.slice(1).find((line) => line.trim() !== "");
  const description = `${meta.docs?.description ?? ""}.`;
  if (opening !== description) problems.push(`the opening sentence should be meta.docs.description: "${description}", not "${opening ?? ""}"`);

  const notToUse = section(page, "When Not To Use It");
  if (notToUse === undefined) problems.push('no "## When Not To Use It" section');
  else if (notToUse.trim().length < 40) problems.push('the "When Not To Use It" section says nothing');

  const options = section(page, "Options");
  const schema = (Array.isArray(meta.schema) ? meta.schema : []) as { properties?: Record<string, PropertySchema> }[];
  const properties = Object.entries(schema[0]?.properties ?? {});
  if (options === undefined) return [...problems, 'no "## Options" section'];
  if (properties.length === 0) {
    if (options.trim() !== "None.") problems.push('the rule takes no options: its "Options" section should say "None."');
    return problems;
  }
  const defaults = (meta.defaultOptions?.[0] ?? {}) as Record<string, unknown>;
  const examples = [...options.matchAll(/```\w*\n([\s\S]*?)```/g)].map(([, code = ""]) => code);
  for (const [name, property] of properties) {
    const bullet = `- \`${name}\` (\`${typeText(property)}\`, default \`${JSON.stringify(defaults[name])}\`): `;
    if (!options.split("\n").some((line) => line.startsWith(bullet))) problems.push(`option ${name}: no line starting with "${bullet}"`);
    if (!examples.some((code) => new RegExp(`[{,]\\s*"?${name}"?\\s*:`).test(code))) problems.push(`option ${name}: no example in the Options section sets it`);
  }
  return problems;
}
