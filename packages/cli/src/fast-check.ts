/**
 * fast-check, the copy dtcheck itself uses, for arbitraries in a dtcheck.config.ts:
 * `import fc from "@dtcheck/cli/fast-check"` works wherever @dtcheck/cli is installed, pnpm's strict
 * layout included, where a project cannot import what its dev tools depend on.
 */
export * from "fast-check";
export { default } from "fast-check";
