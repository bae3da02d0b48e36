import fc from 'fast-check';

/** Text that has broken parsers, normalisers, databases and terminals before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\r\n\r\nX-Injected: 1',
  'e\u0301\u0301\u0301', // stacked combining marks
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a\u035b\u035c\u035d\u035e\u035f\u0360\u0361\u0362\u0363a\u0364\u0365lgo',
  '\u202eevil.exe\u202dtxt', // right-to-left override
  '\u200b\u200c\u200d\u2060\ufeff', // zero-width characters only
  'abc\u200b', // looks like "abc"
  '👨‍👩‍👧‍👦🏳️‍🌈🇺🇦',
  '\ud800', // lone high surrogate
  '\udc00', // lone low surrogate
  'x\udbff\udbffy', // two high surrogates
  '\uffff\ufffe\ufffd',
  '١٢٣ مرحبا שלום',
  'ﷺ'.repeat(50),
  "'; DROP TABLE tenants; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  '%2e%2e%2f%00',
  '__proto__',
  'constructor',
  'NaN',
  '1e309',
  '-0',
  'null',
];

/** A string an attacker or a sloppy client might send: arbitrary unicode, the nasty list, or combinations. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY_STRINGS), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  // Past every documented field limit (the largest is 400,000 characters), and past the 1 MB body limit.
  { weight: 1, arbitrary: fc.constantFrom(5_000, 30_000, 500_000, 1_100_000).map((length) => 'é'.repeat(length / 2)) },
);

/** Numbers that are valid JSON but odd: huge, tiny, negative zero, fractions where integers go. */
const oddNumber = fc.oneof(fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1e21), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** Any JSON value with hostile leaves. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    oddNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `depth` nested arrays, written out directly (building the value would overflow JSON.stringify). */
export const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
export const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Every leaf of a JSON value, as a path of keys and indexes. */
export function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]));
  return [path];
}

/** A copy of `value` with the leaf at `path` replaced (or the whole value, for an empty path). */
export function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}
