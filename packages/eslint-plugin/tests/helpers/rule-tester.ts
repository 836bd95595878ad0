/**
 * RuleTester wired to vitest (the typescript-eslint parser is its default), strict about what an
 * invalid case must pin: every expected error states its line, column, endLine and endColumn, and
 * `data` wherever its message (or a suggestion's) has placeholders, so a test says which hazard was
 * reported and where. Rule tests construct these testers in the file (so eslint-plugin-eslint-plugin
 * finds their cases), never `RuleTester` itself (eslint.config.js).
 */
import { RuleTester, type RuleTesterConfig, type RunTests } from "@typescript-eslint/rule-tester";
import type { TSESLint } from "@typescript-eslint/utils";
import { afterAll, describe, it } from "vitest";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const STRICT_ASSERTIONS = { requireData: true, requireLocation: true } as const;

export class StrictRuleTester extends RuleTester {
  override run<MessageIds extends string, Options extends readonly unknown[]>(
    ruleName: string,
    rule: TSESLint.RuleModule<MessageIds, Options>,
    tests: RunTests<MessageIds, Options>,
  ): void {
    super.run(ruleName, rule, { ...tests, assertionOptions: STRICT_ASSERTIONS });
  }
}

/** A tester with type information (projectService) rooted at `tsconfigRootDir`. */
export function typedRuleTester(tsconfigRootDir: string, config: RuleTesterConfig = {}): StrictRuleTester {
  return new StrictRuleTester({ ...config, languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } } });
}
