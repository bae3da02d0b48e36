// Limits shared by the meaning tasks (embed, similarity, rerank): named once, quoted in the
// OpenAPI descriptions and in the 400s that enforce them.

/**
 * Longest text, in characters. The 512-token models read ~2,000 characters of English and
 * truncate the rest; bge-m3 reads up to 8,192 tokens. Longer texts are refused, not cut.
 */
export const MAX_MEANING_TEXT_CHARS = 8_192;
/** Most texts per request: Workers AI embedding models take at most 100 texts per call. */
export const MAX_MEANING_ITEMS = 100;
