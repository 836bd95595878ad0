// The format names alone, so that defining the commands' options loads no renderer.
export const OUTPUT_FORMATS = ["text", "json", "sarif", "junit"] as const;
/** dtcheck lint also passes ESLint's own json through, for tools that read ESLint results (reviewdog, danger, problem matchers). */
export const LINT_OUTPUT_FORMATS = [...OUTPUT_FORMATS, "eslint-json"] as const;
export type OutputFormat = (typeof LINT_OUTPUT_FORMATS)[number];
