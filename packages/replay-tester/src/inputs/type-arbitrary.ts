import fc, { type Arbitrary } from "fast-check";
import type ts from "typescript";
import { DEFAULT_VALUE } from "../fuzz/config.js";

/** Nested objects and arrays deeper than this are cut: arrays become empty, optional members are left out. */
const MAX_DEPTH = 4;
/** Past this, even required members of a recursive type get null: the value stays finite. */
const HARD_DEPTH = MAX_DEPTH + 4;

/**
 * Numbers a branch may test: small counts and indexes most often, then wide integers and
 * fractions. Never NaN, Infinity or -0, which do not survive JSON.
 */
const NUMBER: Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)) },
);
const STRING: Arbitrary<string> = fc.string({ maxLength: 12 });
/** A JSON Date is its ISO text. */
const DATE: Arbitrary<string> = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());
const KEY: Arbitrary<string> = fc.string({ minLength: 1, maxLength: 8 });

/** Marks a member that JSON leaves out (undefined, functions). */
const OMIT = Symbol("omit");
type Converted = Arbitrary<unknown> | typeof OMIT;

/**
 * Builds fast-check arbitraries for the JSON form of TypeScript types: what a value of that type
 * looks like after it travelled through a history as JSON text (Dates as ISO strings, class
 * instances as their data members, Map/Set as {}). `unknown`, `any` and what JSON cannot carry
 * fall back to DEFAULT_VALUE.
 */
export class TypeArbitraries {
  constructor(
    private readonly ts: typeof import("typescript"),
    private readonly checker: ts.TypeChecker,
  ) {}

  /** An arbitrary for values of `type`, JSON-serialisable. */
  of(type: ts.Type): Arbitrary<unknown> {
    const converted = this.convert(type, 0);
    return converted === OMIT ? fc.constant(null) : converted;
  }

  /** Whether the type says nothing (any, unknown): then nothing is inferred from it. */
  isUninformative(type: ts.Type): boolean {
    const F = this.ts.TypeFlags;
    return (type.flags & (F.Any | F.Unknown)) !== 0;
  }

  /** Conversions by type and depth: recursive types with several recursive members stay cheap. */
  private readonly memo = new Map<ts.Type, Converted[]>();

  private convert(type: ts.Type, depth: number): Converted {
    let byDepth = this.memo.get(type);
    if (!byDepth) this.memo.set(type, (byDepth = []));
    return (byDepth[depth] ??= this.build(type, depth));
  }

  private build(type: ts.Type, depth: number): Converted {
    const { ts } = this;
    const F = ts.TypeFlags;
    if (depth > HARD_DEPTH) return fc.constant(null);
    if (type.flags & (F.Any | F.Unknown)) return DEFAULT_VALUE;
    if (type.flags & (F.Undefined | F.Void | F.Never | F.ESSymbolLike)) return OMIT;
    if (type.flags & F.Null) return fc.constant(null);
    if (type.flags & F.Boolean) return fc.boolean();
    if (type.flags & F.BooleanLiteral) return fc.constant(this.checker.typeToString(type) === "true");
    if (type.isStringLiteral() || type.isNumberLiteral()) return fc.constant(type.value);
    if (type.flags & F.StringLike) return STRING; // string, template literal types
    if (type.flags & F.NumberLike) return NUMBER;
    if (type.flags & F.BigIntLike) return DEFAULT_VALUE; // JSON.stringify throws on a bigint
    if (type.isUnion()) return this.union(type.types, depth);
    if (type.flags & F.Object || type.isIntersection()) return this.object(type, depth);
    return DEFAULT_VALUE;
  }

  private union(members: readonly ts.Type[], depth: number): Converted {
    // `boolean` inside a union arrives as its two literals.
    const options = members.map((m) => this.convert(m, depth)).filter((a): a is Arbitrary<unknown> => a !== OMIT);
    if (options.length === 0) return OMIT;
    if (options.length === 1) return options[0]!;
    // Past the depth limit, prefer the members that end the recursion (null, primitives).
    if (depth >= MAX_DEPTH) {
      const terminal = members.filter((m) => !(m.flags & this.ts.TypeFlags.Object)).map((m) => this.convert(m, depth));
      const ends = terminal.filter((a): a is Arbitrary<unknown> => a !== OMIT);
      if (ends.length > 0) return ends.length === 1 ? ends[0]! : fc.oneof(...ends);
    }
    return fc.oneof(...options);
  }

  private object(type: ts.Type, depth: number): Converted {
    const { checker } = this;
    if (checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type as ts.TypeReference).map((t) => this.convert(t, depth + 1));
      return fc.tuple(...elements.map((a) => (a === OMIT ? fc.constant(null) : a)));
    }
    if (checker.isArrayType(type)) {
      if (depth >= MAX_DEPTH) return fc.constant([]);
      const element = this.convert(checker.getTypeArguments(type as ts.TypeReference)[0]!, depth + 1);
      return fc.array(element === OMIT ? fc.constant(null) : element, { maxLength: 4 });
    }
    const name = type.getSymbol()?.getName();
    if (name === "Date") return DATE;
    if (name === "Map" || name === "Set" || name === "WeakMap" || name === "WeakSet") return fc.constant({});
    if (name === "Promise") return OMIT;
    // What JSON.stringify writes is what toJSON returns.
    const toJSON = type.getProperty("toJSON");
    if (toJSON) {
      const signature = checker.getTypeOfSymbol(toJSON).getCallSignatures()[0];
      if (signature) return this.convert(checker.getReturnTypeOfSignature(signature), depth);
    }
    const properties = checker.getPropertiesOfType(type);
    if (properties.length === 0 && type.getCallSignatures().length > 0) return OMIT; // a function
    const shape: Record<string, Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const property of properties) {
      const optional = (property.flags & this.ts.SymbolFlags.Optional) !== 0;
      if (optional && depth >= MAX_DEPTH) continue;
      if (property.flags & this.ts.SymbolFlags.Method) continue;
      const member = this.convert(checker.getNonNullableType(checker.getTypeOfSymbol(property)), depth + 1);
      const nullable = this.allowsNull(checker.getTypeOfSymbol(property));
      if (member === OMIT) continue;
      shape[property.getName()] = nullable ? fc.oneof(member, fc.constant(null)) : member;
      if (!optional) required.push(property.getName());
    }
    const record = fc.record(shape, { requiredKeys: required });
    const index = checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & this.ts.TypeFlags.StringLike || info.keyType.flags & this.ts.TypeFlags.NumberLike);
    if (!index) return record;
    const value = depth >= MAX_DEPTH ? OMIT : this.convert(index.type, depth + 1);
    if (value === OMIT) return record;
    const dictionary = fc.dictionary(index.keyType.flags & this.ts.TypeFlags.NumberLike ? fc.nat(99).map(String) : KEY, value, { maxKeys: 3 });
    return fc.tuple(dictionary, record).map(([extra, known]) => ({ ...extra, ...known }));
  }

  private allowsNull(type: ts.Type): boolean {
    return type.isUnion() && type.types.some((m) => (m.flags & this.ts.TypeFlags.Null) !== 0);
  }
}
