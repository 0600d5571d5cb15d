/**
 * Values as the API sends them: exactly what `JSON.parse(JSON.stringify(value))` gives (Dates as
 * ISO strings, anything with `toJSON` through it, `undefined` properties left out, non-finite
 * numbers as null), built directly instead of printing the whole row and parsing it back, which
 * was the largest single cost of serving a list page. Always a fresh copy, never an alias.
 */
export type Row = Record<string, unknown>;

export function toJsonValue(value: unknown, key = ''): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // -0 prints as 0
  if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  if (typeof value !== 'object') return undefined; // undefined, functions, symbols
  const withToJson = value as { toJSON?: (key: string) => unknown };
  if (typeof withToJson.toJSON === 'function') return toJsonValue(withToJson.toJSON(key), key);
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, String(i)) ?? null);
  const out: Row = {};
  for (const [k, v] of Object.entries(value)) {
    const json = toJsonValue(v, k);
    if (json !== undefined) out[k] = json;
  }
  return out;
}

/** A row as the API shows it: JSON values, without the tenant and the `omit`ted columns. */
export function jsonRow(row: Row, omit: readonly string[] = []): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'tenantId' || omit.includes(k)) continue;
    const json = toJsonValue(v, k);
    if (json !== undefined) out[k] = json;
  }
  return out;
}
