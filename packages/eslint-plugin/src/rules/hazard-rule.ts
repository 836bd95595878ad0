/**
 * The shape shared by the rules that flag one category of the hazard catalogue (wall clock,
 * randomness, I/O, timers, environment, dynamic code): same options, same messages, same reporting
 * from the shared per-file findings. Each rule file only says which category and which rewrites
 * are safe enough to offer as suggestions.
 */
import type { TSESLint } from "@typescript-eslint/utils";
import { type FindingCategory, HAZARD_CATEGORIES, type HazardCategory } from "../catalogue/hazards.js";
import { replacement } from "../catalogue/sdks.js";
import { locationText } from "../analysis/file.js";
import { type HazardFinding, hazardFindings } from "../analysis/orchestrator-code.js";
import { mayContainOrchestrators } from "../analysis/orchestrators.js";
import { createRule } from "../util/create-rule.js";

export type HazardMessageIds = "direct" | "viaHelper" | "suggestReplace";

export interface HazardRuleOptions {
  /** Global paths (`process.env`), modules (`axios`) or `module#export` ids not to report. */
  allow?: string[];
  /** Extra modules whose calls belong to this rule's category. */
  modules?: string[];
}

export interface HazardRuleSpec {
  name: string;
  category: FindingCategory;
  description: string;
  /** What `allow` names for this rule, for the option schema's description. */
  allowDescription: string;
  /** What `modules` adds for this rule (catalogue categories only). */
  modulesDescription?: string;
  recommended: "error" | "warn" | false;
  /** The replacement text for a safe rewrite of a direct finding, or undefined when none is safe. */
  suggest?: (finding: HazardFinding, sourceCode: Readonly<TSESLint.SourceCode>) => string | undefined;
}

export function createHazardRule(spec: HazardRuleSpec) {
  const catalogueCategory = HAZARD_CATEGORIES.includes(spec.category as HazardCategory)
    ? (spec.category as HazardCategory)
    : undefined;
  const defaultOptions: [HazardRuleOptions] = [catalogueCategory ? { allow: [], modules: [] } : { allow: [] }];
  return createRule<[HazardRuleOptions], HazardMessageIds>({
    name: spec.name,
    meta: {
      type: spec.recommended === "warn" ? "suggestion" : "problem",
      hasSuggestions: spec.suggest !== undefined,
      docs: { description: spec.description, recommended: spec.recommended },
      messages: {
        direct: "{{label}} {{why}}; {{advice}}.",
        viaHelper: "{{chain}} calls {{label}} ({{where}}), which {{why}}; {{advice}}.",
        suggestReplace: "Replace with {{replacement}}.",
      },
      schema: [
        {
          type: "object",
          additionalProperties: false,
          properties: {
            allow: { type: "array", items: { type: "string" }, uniqueItems: true, description: spec.allowDescription },
            // Only catalogue categories have modules to extend.
            ...(catalogueCategory
              ? {
                  modules: {
                    type: "array",
                    items: { type: "string" },
                    uniqueItems: true,
                    description:
                      spec.modulesDescription ??
                      'Extra modules whose calls this rule reports: exact package names, or a scope prefix ending in "/" such as "@acme/".',
                  },
                }
              : {}),
          },
        },
      ],
      defaultOptions,
    },
    create(context, [options]) {
      // No listeners at all in files that cannot hold an orchestrator (most files): no per-node cost.
      if (!mayContainOrchestrators(context)) return {};
      const allow = new Set(options.allow ?? []);
      return {
        Program() {
          const findings = hazardFindings(
            context,
            catalogueCategory ? { category: catalogueCategory, modules: options.modules ?? [] } : undefined,
          );
          for (const finding of findings) {
            const { hazard, orchestrator } = finding;
            if (hazard.category !== spec.category || allow.has(hazard.key) || allow.has(hazard.id)) continue;
            const advice =
              hazard.replacement === "none"
                ? "remove it from orchestrator code"
                : `use ${replacement(orchestrator.api, hazard.replacement, orchestrator.apiText)} instead`;
            const data = { label: hazard.label, why: hazard.why, advice };
            if (finding.via.length > 0) {
              context.report({
                node: finding.reportNode,
                messageId: "viaHelper",
                data: {
                  ...data,
                  chain: finding.via.map((c) => c.label).join(" → "),
                  where: locationText(finding.hazardFile, hazard.node),
                },
              });
              continue;
            }
            const fixText = spec.suggest?.(finding, context.sourceCode);
            context.report({
              node: finding.reportNode,
              messageId: "direct",
              data,
              suggest:
                fixText === undefined
                  ? null
                  : [
                      {
                        messageId: "suggestReplace",
                        data: { replacement: fixText },
                        fix: (fixer) => fixer.replaceText(finding.reportNode, fixText),
                      },
                    ],
            });
          }
        },
      };
    },
  });
}

/**
 * True when a suggestion may use the orchestrator's context parameter at the finding: the finding
 * is in the orchestrator itself (not a helper), the parameter has a plain name, and that name still
 * refers to the parameter there (no shadowing callback parameter).
 */
export function contextInScope(finding: HazardFinding, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const param = finding.orchestrator.contextParam;
  if (finding.via.length > 0 || param === undefined) return false;
  let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(finding.reportNode);
  for (; scope; scope = scope.upper) {
    const variable = scope.set.get(param);
    if (variable) return variable.defs[0]?.node === finding.orchestrator.node;
  }
  return false;
}

/** A call with no arguments (`Date.now()`), the only shape the suggestions rewrite. */
export function isArgumentlessCall(finding: HazardFinding, type: "CallExpression" | "NewExpression"): boolean {
  const node = finding.reportNode;
  return node.type === type && node.arguments.length === 0;
}
