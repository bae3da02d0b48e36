import { z } from '@hono/zod-openapi';

/** Longest single text accepted, in characters: well past what a 512-token model reads. */
export const MAX_TEXT_CHARS = 20_000;
/** Most texts in one batch request. */
export const MAX_BATCH_ITEMS = 100;

export const singleTextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`);

/** A string, or a batch of 1–100 strings answered in the same order. */
export const textInputSchema = z
  .union([singleTextSchema, z.array(singleTextSchema).min(1, 'must hold at least one text').max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} texts`)])
  .openapi({ description: `A text, or an array of up to ${MAX_BATCH_ITEMS} texts (each 1–${MAX_TEXT_CHARS} characters)` });

export const asTextList = (text: string | string[]): string[] => (Array.isArray(text) ? text : [text]);
