import { z } from '@hono/zod-openapi';

/** Longest single text accepted, in characters: well past what a 512-token model reads. */
export const MAX_TEXT_CHARS = 20_000;
/** Most texts in one batch request. */
export const MAX_BATCH_ITEMS = 100;

export function singleText(maxChars: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(maxChars, `must be at most ${maxChars} characters`)
    .refine((value) => value.trim().length > 0, 'must not be blank');
}

/**
 * A string, or a batch of 1–`maxItems` strings answered in the same order. The batch maximum is a
 * refine, not `.max()`: inside a union, zod reports an array's `.max()` failure as a failed union
 * ("expected string"), while a refine's message reaches the caller.
 */
export function textBatch(maxChars: number, maxItems: number) {
  return z
    .union([
      singleText(maxChars),
      z
        .array(singleText(maxChars))
        .min(1, 'must hold at least one text')
        .refine((texts) => texts.length <= maxItems, `must hold at most ${maxItems} texts`)
        .openapi({ maxItems }),
    ])
    .openapi({ description: `A text, or an array of up to ${maxItems} texts (each 1–${maxChars} characters)` });
}

export const textInputSchema = textBatch(MAX_TEXT_CHARS, MAX_BATCH_ITEMS);

export const asTextList = (text: string | string[]): string[] => (Array.isArray(text) ? text : [text]);
