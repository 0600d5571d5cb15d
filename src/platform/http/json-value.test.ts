import { describe, expect, it } from 'vitest';
import { jsonRow, toJsonValue } from './json-value.js';

const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** A small deterministic generator of row-like values (LCG), nested up to `depth`. */
function values(seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const leaf = (): unknown =>
    [
      () => null,
      () => undefined,
      () => Math.round(next() * 1e6) / 100,
      () => [Number.NaN, Number.POSITIVE_INFINITY, -0][Math.floor(next() * 3)],
      () => `text ${next().toString(36)} "quoted" \u00e9`,
      () => next() > 0.5,
      () => new Date(1_700_000_000_000 + Math.floor(next() * 1e10)),
      () => () => 1,
      () => ({ toJSON: (key: string) => `custom:${key}` }),
    ][Math.floor(next() * 9)]!();
  const value = (depth: number): unknown => {
    if (depth === 0 || next() < 0.4) return leaf();
    if (next() < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth - 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 5) }, (_, i) => [`k${i}`, value(depth - 1)]),
    );
  };
  return value;
}

describe('toJsonValue', () => {
  it('gives what a JSON round trip gives, on 2,000 generated values', () => {
    const value = values(42);
    for (let i = 0; i < 2_000; i++) {
      const v = { row: value(4) };
      expect(toJsonValue(v)).toEqual(roundTrip(v));
    }
  });

  it('turns a row into JSON: dates as ISO strings, jsonb as is, undefined left out, a fresh copy', () => {
    const settings = { theme: { color: '#123456' }, tags: ['a', 'b'] };
    const row = {
      tenantId: 't',
      id: 'i',
      createdAt: new Date('2026-12-04T10:00:00.000Z'),
      settings,
      gone: undefined,
      secret: 's',
    };
    const json = jsonRow(row, ['secret']);
    expect(json).toEqual({ id: 'i', createdAt: '2026-12-04T10:00:00.000Z', settings });
    expect(json.settings).not.toBe(settings);
    expect(json).toEqual(roundTrip({ ...row, tenantId: undefined, secret: undefined }));
  });

  it('refuses a BigInt as JSON.stringify does', () => {
    expect(() => toJsonValue({ n: 1n })).toThrow(TypeError);
  });
});
