import { canonicalJson } from '../../../src/verify';

/** canonicalJson as written first: every object's entries sorted and joined, key by key. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it.each([
    ['nested objects and arrays', { z: [3, { b: 'x', a: null }], a: { y: true, x: -0.5 }, m: 'é"\n' }],
    ['undefined values left out, and null in arrays', { b: undefined, a: [undefined, 1] }],
    ['keys that are array indices, in code-unit order', { 10: 'a', 9: 'b', b: { 2: 1, 11: 2 }, a: 1 }],
    ['a __proto__ key of parsed JSON', JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}')],
    ['scalars', 'text'],
    ['null', null],
    ['an empty object in an array', [{}, []]],
  ])('writes %s as the key-by-key form does', (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('refuses a non-finite number', () => {
    expect(() => canonicalJson({ a: [Number.NaN] })).toThrow(RangeError);
  });
});
