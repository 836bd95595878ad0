/**
 * Results cross the thread boundary by structured clone. They are plain data, except where user
 * values ride along (fast-check draws of a counterexample world may hold functions or class
 * instances): those become plain data too, functions by their name, so a result never fails to
 * cross.
 */
export function toCloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return plain(value, new WeakMap());
  }
}

function plain(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
  if (typeof value === "symbol") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Date || value instanceof RegExp) return value;
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(plain(k, seen), plain(v, seen));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    seen.set(value, copy);
    for (const v of value) copy.add(plain(v, seen));
    return copy;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const v of value) copy.push(plain(v, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  if (value instanceof Error) {
    copy["name"] = value.name;
    copy["message"] = value.message;
  }
  for (const [k, v] of Object.entries(value)) copy[k] = plain(v, seen);
  return copy;
}
