import { describe, expect, it } from 'vitest';
import { ENGLISH_CHECK_CHARS, otherLanguageOf } from '../src/tasks/english-only';

/** Every string a request of an eval set sends (texts, questions, contexts, queries, documents, targets, labels). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/** The English eval sets: every task's ordinary and hard set but language's, which is multilingual on purpose. */
const ENGLISH_SETS = import.meta.glob<{ cases: { request: unknown }[] }>(['../eval/tasks/*.mjs', '../eval/tasks-hard/*.mjs', '!../eval/tasks/language.mjs']);

/**
 * The texts of those sets that are not English (entities tests offsets in other languages): found
 * as such. One more there ("Ticket für €25 gekauft 🎟️ — see
 * www.example.de/tickets") is too short and mixed for a confident call.
 */
const NOT_ENGLISH: Record<string, string> = {
  'Appelez le +33 1 42 68 53 00 pour réserver.': 'fr',
  '¡Feliz cumpleaños! 🎂🎉 Nos vemos el 12 de mayo.': 'es',
  'Écrivez à josé.garcía@correo.es avant vendredi.': 'fr',
};

describe('the English-only check of the local tier (issue 14)', () => {
  it('flags no English text of the eval sets (the false-positive rate is 0)', async () => {
    const texts = new Set<string>();
    for (const load of Object.values(ENGLISH_SETS)) for (const { request } of (await load()).cases) for (const text of stringsOf(request)) texts.add(text);
    expect(texts.size).toBeGreaterThan(1_000);
    const flagged: string[] = [];
    for (const text of texts) if (!(text in NOT_ENGLISH) && (await otherLanguageOf(text))) flagged.push(text);
    console.log(`english-only check: ${flagged.length} of ${texts.size - Object.keys(NOT_ENGLISH).length} English eval texts flagged`);
    expect(flagged).toEqual([]);
    // The entities set's texts in other languages are what the check is for: they are flagged.
    for (const [text, language] of Object.entries(NOT_ENGLISH)) expect(await otherLanguageOf(text)).toBe(language);
  });

  it('flags clear sentences in other languages, not short or ambiguous texts', async () => {
    const language: { cases: { request: { text: string }; expected: string }[] } = await import('../eval/tasks/language.mjs');
    const sentences = language.cases.filter(({ request, expected }) => expected !== 'en' && expected !== 'und' && request.text.split(' ').length >= 5);
    let found = 0;
    let named = 0;
    for (const { request, expected } of sentences) {
      const detected = await otherLanguageOf(request.text);
      if (detected) found++;
      if (detected === expected) named++;
      else console.log(`${expected} flagged as ${detected}: ${request.text}`);
    }
    console.log(`english-only check: ${found} of ${sentences.length} non-English sentences of eval/tasks/language.mjs flagged (${named} with their own language)`);
    expect(found / sentences.length).toBeGreaterThanOrEqual(0.9);
    expect(await otherLanguageOf('Je vais te tuer, espèce de connard')).toBe('fr');
    expect(await otherLanguageOf('Das ist absolut schrecklich, ich hasse es')).toBe('de');
    expect(await otherLanguageOf('这个产品太棒了，我非常喜欢')).toBe('zh');
    for (const english of ['iPhone 15 Pro Max', 'npm ci && npm run build', 'a', 'OK', '😀', 'Gracias', 'SKU-4471 x2', 'Paid $20 via paypal.me/janedoe 💸']) expect(await otherLanguageOf(english)).toBeUndefined();
  });

  it('reads only the start of a text: English first is English, whatever follows', async () => {
    const mixed = 'The package arrived late and the box was damaged, please refund me. '.repeat(Math.ceil(ENGLISH_CHECK_CHARS / 60)) + 'Das ist absolut schrecklich, ich hasse es. '.repeat(200);
    expect(await otherLanguageOf(mixed)).toBeUndefined();
    expect(await otherLanguageOf('Das ist absolut schrecklich, ich hasse es. '.repeat(200))).toBe('de');
  });
});
