import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);

let validator: ValidateFunction | undefined;

/** The official SARIF 2.1.0 schema (draft-04), compiled once per test file. */
export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
  const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
  const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
  // The schema's language pattern is not valid in unicode mode; formats are checked.
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true, logger: false });
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}
