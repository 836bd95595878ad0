import { shownPath } from "../errors.js";
import type ts from "typescript";
import type { ModuleProgram } from "./program.js";

/** What kind of value the world hands the orchestrator at a durable call. */
export type ResultKind = "activity" | "subOrchestration" | "event";

/** A type read from the orchestrator's source, with where and how it was read (for messages). */
export interface TypedSite {
  type: ts.Type;
  /** e.g. `parameter "order"`, `getInput<T>()`, `variable "verdict"`, `as Verdict`. */
  how: string;
  /** file:line, relative to the current directory when below it. */
  at: string;
}

export interface TypedResult extends TypedSite {
  kind: ResultKind;
  /** The activity, sub-orchestration or event name the code calls. */
  name: string;
}

/** Calls that register an orchestrator under an explicit name: `(name, fn | { handler })`. */
const NAMED_REGISTRATIONS = new Set(["addNamedOrchestrator", "registerWorkflowWithName", "orchestration"]);
/** Calls that register an orchestrator under its function name. */
const REGISTRATIONS = new Set(["addOrchestrator", "registerWorkflow"]);
const RESULT_CALLS: Record<string, ResultKind> = {
  callActivity: "activity",
  callActivityWithRetry: "activity",
  callSubOrchestrator: "subOrchestration",
  callSubOrchestratorWithRetry: "subOrchestration",
  callChildWorkflow: "subOrchestration",
  waitForExternalEvent: "event",
};

type FunctionNode = ts.FunctionLikeDeclaration & { body: ts.Node };

/** Reads durable-call types out of one module program; SDK call shapes, TypeScript types. */
export class OrchestratorSource {
  private readonly ts;
  private readonly checker;

  constructor(private readonly module: ModuleProgram) {
    this.ts = module.ts;
    this.checker = module.checker;
  }

  /**
   * The function registered (or exported) as orchestrator `name`: an explicit-name registration
   * first, then a registration by function, then a generator function declared under that name
   * or under the runtime function's own name.
   */
  findOrchestrator(name: string, functionName?: string): FunctionNode | undefined {
    const { ts } = this;
    let byRegistration: FunctionNode | undefined;
    let byName: FunctionNode | undefined;
    const names = new Set([name, functionName].filter((n): n is string => !!n));
    const visit = (node: ts.Node): void => {
      if (byRegistration) return;
      if (ts.isCallExpression(node)) {
        const callee = this.calleeName(node);
        const [first, second] = node.arguments;
        if (callee && NAMED_REGISTRATIONS.has(callee) && first && second && this.stringValue(first) === name) {
          byRegistration = this.functionOf(second);
        } else if (callee && REGISTRATIONS.has(callee) && first) {
          const fn = this.functionOf(first);
          if (fn && fn.name && ts.isIdentifier(fn.name) && fn.name.text === name) byRegistration = fn;
        }
      } else if (!byName && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.asteriskToken && node.body && node.name && names.has(node.name.text)) {
        byName = node as FunctionNode;
      } else if (!byName && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && names.has(node.name.text) && node.initializer) {
        const fn = this.functionOf(node.initializer);
        if (fn?.asteriskToken) byName = fn;
      }
      ts.forEachChild(node, visit);
    };
    for (const source of this.module.sources) visit(source);
    return byRegistration ?? byName;
  }

  /** The orchestration input's type: the second parameter, else what `getInput()` is read as. */
  inputType(fn: FunctionNode): TypedSite | undefined {
    const { ts } = this;
    const parameter = fn.parameters[1];
    if (parameter) return this.site(this.checker.getTypeAtLocation(parameter), `parameter "${parameter.name.getText()}"`, parameter);
    let found: TypedSite | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && this.calleeName(node) === "getInput") {
        found = this.useSite(node) ?? this.site(this.checker.getTypeAtLocation(node), node.typeArguments ? `getInput<${node.typeArguments[0]!.getText()}>()` : "getInput()", node);
        if (found && this.uninformative(found.type)) found = undefined;
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    return found;
  }

  /** Every activity, sub-orchestration and event result the orchestrator's code gives a type to. */
  resultTypes(fn: FunctionNode): TypedResult[] {
    const { ts } = this;
    const results: TypedResult[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = this.calleeName(node);
        const kind = callee !== undefined ? RESULT_CALLS[callee] : undefined;
        const target = node.arguments[0];
        const name = target && this.callName(target);
        if (kind && target && name) {
          const typed = this.useSite(node) ?? this.taskResult(node) ?? this.referencedResult(kind, target);
          if (typed && !this.uninformative(typed.type)) results.push({ ...typed, kind, name });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    return results;
  }

  /** The declared return value of an orchestrator function: `TReturn` of its (async) generator. */
  returnType(fn: FunctionNode): ts.Type | undefined {
    const signature = this.checker.getSignatureFromDeclaration(fn);
    return signature ? this.generatorReturn(this.checker.getReturnTypeOfSignature(signature)) : undefined;
  }

  uninformative(type: ts.Type): boolean {
    return (type.flags & (this.ts.TypeFlags.Any | this.ts.TypeFlags.Unknown)) !== 0;
  }

  /**
   * The type the code itself gives the value where it arrives: `(yield call) as T`,
   * `const x: T = yield call` (or a JSDoc `@type`), `x = yield call` for a typed `x`.
   */
  private useSite(call: ts.Expression): TypedSite | undefined {
    const { ts } = this;
    let node: ts.Node = call;
    for (let step = 0; step < 2; step++) {
      let parent = node.parent;
      while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
      if ((ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent)) && !this.isTask(this.checker.getTypeFromTypeNode(parent.type))) {
        return this.site(this.checker.getTypeFromTypeNode(parent.type), `as ${parent.type.getText()}`, parent);
      }
      if (ts.isVariableDeclaration(parent) && parent.initializer && this.skipParens(parent.initializer) === node) {
        if (!parent.type && !ts.getJSDocType(parent)) return undefined;
        const type = this.checker.getTypeAtLocation(parent.name);
        return this.isTask(type) ? undefined : this.site(type, `variable "${parent.name.getText()}"`, parent);
      }
      if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && this.skipParens(parent.right) === node) {
        const type = this.checker.getTypeAtLocation(parent.left);
        return this.isTask(type) || this.uninformative(type) ? undefined : this.site(type, `variable "${parent.left.getText()}"`, parent);
      }
      if (!ts.isYieldExpression(parent)) return undefined;
      node = parent;
    }
    return undefined;
  }

  /** `Task<T>` from the SDK's generic signature (`callActivity<I, O>`, an activity passed by reference). */
  private taskResult(call: ts.CallExpression): TypedSite | undefined {
    const type = this.checker.getTypeAtLocation(call);
    if (!this.isTask(type)) return undefined;
    const [result] = this.checker.getTypeArguments(type as ts.TypeReference);
    if (!result || this.uninformative(result)) return undefined;
    const awaited = this.checker.getAwaitedType(result) ?? result;
    return this.site(awaited, call.typeArguments ? `${this.calleeName(call)}<${call.typeArguments.map((t) => t.getText()).join(", ")}>` : `Task<${this.checker.typeToString(awaited)}>`, call);
  }

  /** The result of a function passed by reference: its awaited return type, or a child orchestrator's TReturn. */
  private referencedResult(kind: ResultKind, target: ts.Expression): TypedSite | undefined {
    if (kind === "event") return undefined;
    let fn = this.functionOf(target);
    if (!fn && kind === "subOrchestration") {
      const name = this.stringValue(target);
      if (name) fn = this.findOrchestrator(name);
    }
    if (!fn) return undefined;
    const signature = this.checker.getSignatureFromDeclaration(fn);
    if (!signature) return undefined;
    const returned = this.checker.getReturnTypeOfSignature(signature);
    const type = kind === "subOrchestration" ? this.generatorReturn(returned) : (this.checker.getAwaitedType(returned) ?? returned);
    const label = fn.name?.getText() ?? target.getText();
    return type ? this.site(type, kind === "subOrchestration" ? `return type of orchestrator ${label}` : `return type of ${label}()`, fn) : undefined;
  }

  private generatorReturn(type: ts.Type): ts.Type | undefined {
    const name = type.getSymbol()?.getName();
    if (name !== "AsyncGenerator" && name !== "Generator" && name !== "AsyncIterableIterator" && name !== "IterableIterator") return undefined;
    const args = this.checker.getTypeArguments(type as ts.TypeReference);
    return name.endsWith("Generator") ? args[1] : undefined;
  }

  private isTask(type: ts.Type): boolean {
    return type.getSymbol()?.getName() === "Task" && (((type as ts.ObjectType).objectFlags ?? 0) & this.ts.ObjectFlags.Reference) !== 0;
  }

  private calleeName(call: ts.CallExpression): string | undefined {
    const { ts } = this;
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    if (ts.isIdentifier(callee)) return callee.text;
    return undefined;
  }

  /** The name a durable call targets: a string (literal or constant), or a function's name. */
  private callName(target: ts.Expression): string | undefined {
    const value = this.stringValue(target);
    if (value !== undefined) return value;
    const fn = this.functionOf(target);
    // A name computed at run time (a loop variable) is not known here.
    return fn?.name && this.ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  }

  private stringValue(node: ts.Expression): string | undefined {
    const { ts } = this;
    if (ts.isStringLiteralLike(node)) return node.text;
    const type = this.checker.getTypeAtLocation(node);
    return type.isStringLiteral() ? type.value : undefined;
  }

  private skipParens(node: ts.Expression): ts.Expression {
    let current = node;
    while (this.ts.isParenthesizedExpression(current)) current = current.expression;
    return current;
  }

  /** The function an expression denotes: inline, `{ handler }`, or an identifier's declaration (through imports). */
  private functionOf(expression: ts.Expression, depth = 0): FunctionNode | undefined {
    const { ts } = this;
    const node = this.skipParens(expression);
    if ((ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && node.body) return node as FunctionNode;
    if (depth > 3) return undefined;
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (property.name?.getText() !== "handler") continue;
        if (ts.isPropertyAssignment(property)) return this.functionOf(property.initializer, depth + 1);
        if (ts.isMethodDeclaration(property) && property.body) return property as FunctionNode;
      }
      return undefined;
    }
    if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return undefined;
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      if (ts.isFunctionDeclaration(declaration) && declaration.body) return declaration as FunctionNode;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer) return this.functionOf(declaration.initializer, depth + 1);
    }
    return undefined;
  }

  private site(type: ts.Type, how: string, node: ts.Node): TypedSite {
    const source = node.getSourceFile();
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    return { type, how, at: `${shownPath(source.fileName, process.cwd())}:${line}` };
  }
}
