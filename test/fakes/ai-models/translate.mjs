// `@cf/meta/m2m100-1.2b`: `{ text, source_lang? (default "en"), target_lang }` → `{ translated_text }`
// (UPSTREAMS.md §1.2). The stand-in's "translation" is recognisable and deterministic:
// "[<target>] <text>", or "[<source>→<target>] <text>" when source_lang is given.
export const models = {
  '@cf/meta/m2m100-1.2b': (inputs) => {
    if (typeof inputs?.text !== 'string' || inputs.text.length === 0) throw new Error('3003: Request is missing headers or body: text');
    if (typeof inputs.target_lang !== 'string') throw new Error('3003: Request is missing headers or body: target_lang');
    const tag = inputs.source_lang ? `${inputs.source_lang}→${inputs.target_lang}` : inputs.target_lang;
    return { translated_text: `[${tag}] ${inputs.text}` };
  },
};
