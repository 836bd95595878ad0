import { InputError } from "../../errors.js";
import type { HistoryFormat } from "../model.js";

/** A JSON object as read from a history file. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// RFC 3339 / ISO-8601 date-time with range-checked fields. One compiled regex per timestamp is the
// cheapest check that still rejects "yesterday" or "2024-13-45T..."; no Date object per event.
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

export function isTimestamp(value: string): boolean {
  return TIMESTAMP.test(value);
}

/**
 * Reads typed fields of one event and turns every problem into a one-line InputError that names
 * the file, the format and the event index. One reader serves a whole parse; `index` is updated
 * per event so the hot path allocates nothing extra.
 */
export class FieldReader {
  index = -1;
  constructor(
    readonly format: HistoryFormat,
    readonly file: string | undefined,
  ) {}

  fail(problem: string): never {
    throw new InputError(`event ${this.index}: ${problem}`, { file: this.file });
  }

  private wrongType(key: string, expected: string, value: unknown): never {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    this.fail(`field "${key}" must be ${expected} but is ${got} (${this.format} format)`);
  }

  /** A required string. */
  str(obj: JsonObject, key: string): string {
    const value = obj[key];
    if (typeof value === "string") return value;
    if (value === undefined) this.fail(`required field "${key}" is missing (${this.format} format)`);
    return this.wrongType(key, "a string", value);
  }

  /** A string that proto3 JSON omits when empty. */
  strOrEmpty(obj: JsonObject, key: string): string {
    const value = obj[key];
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    return this.wrongType(key, "a string", value);
  }

  optStr(obj: JsonObject, key: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    return this.wrongType(key, "a string", value);
  }

  /** A required integer; proto3 JSON also allows int32 as a decimal string. */
  int(obj: JsonObject, key: string): number {
    const value = obj[key];
    if (value === undefined) this.fail(`required field "${key}" is missing (${this.format} format)`);
    return this.toInt(key, value);
  }

  /** An integer that defaults when absent (proto3 JSON omits zero). */
  intOr(obj: JsonObject, key: string, fallback: number): number {
    const value = obj[key];
    if (value === undefined || value === null) return fallback;
    return this.toInt(key, value);
  }

  optInt(obj: JsonObject, key: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    return this.toInt(key, value);
  }

  private toInt(key: string, value: unknown): number {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    return this.wrongType(key, "an integer", value);
  }

  optBool(obj: JsonObject, key: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    return this.wrongType(key, "a boolean", value);
  }

  /** A required timestamp; Date objects (in-memory SDK results) are accepted and normalised. */
  time(obj: JsonObject, key: string): string {
    const value = obj[key];
    if (value === undefined || value === null) this.fail(`required timestamp "${key}" is missing (${this.format} format)`);
    return this.toTime(key, value);
  }

  optTime(obj: JsonObject, key: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    return this.toTime(key, value);
  }

  private toTime(key: string, value: unknown): string {
    if (typeof value === "string") {
      if (isTimestamp(value)) return value;
      this.fail(`field "${key}" is not a date: ${JSON.stringify(value)}; expected an ISO-8601 timestamp such as "2024-05-01T12:00:00.000Z"`);
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) this.fail(`field "${key}" is an invalid Date`);
      return value.toISOString();
    }
    return this.wrongType(key, "an ISO-8601 timestamp string", value);
  }

  optObj(obj: JsonObject, key: string): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (isJsonObject(value)) return value;
    return this.wrongType(key, "an object", value);
  }

  obj(obj: JsonObject, key: string): JsonObject {
    const value = obj[key];
    if (value === undefined) this.fail(`required field "${key}" is missing (${this.format} format)`);
    if (isJsonObject(value)) return value;
    return this.wrongType(key, "an object", value);
  }

  /** A string-to-string map such as tags. */
  optTags(obj: JsonObject, key: string): Record<string, string> | undefined {
    const value = this.optObj(obj, key);
    if (value === undefined) return undefined;
    for (const tag in value) {
      if (typeof value[tag] !== "string") this.wrongType(`${key}.${tag}`, "a string", value[tag]);
    }
    return { ...(value as Record<string, string>) };
  }

  event(value: unknown): JsonObject {
    if (isJsonObject(value)) return value;
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    this.fail(`expected an event object but found ${got}`);
  }
}
