/**
 * Languages minnow translates between: those Cloudflare lists for @cf/meta/m2m100-1.2b
 * (UPSTREAMS.md §1.2: english, chinese, french, spanish, arabic, russian, german, japanese,
 * portuguese, hindi), as ISO 639-1 codes. The model knows more; only these are documented.
 */
export const TRANSLATION_LANGUAGES = ['en', 'zh', 'fr', 'es', 'ar', 'ru', 'de', 'ja', 'pt', 'hi'] as const;
export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

/**
 * The source taken for a text whose language cannot be detected (too short, only digits or
 * symbols) when the request names none; also m2m100's own default `source_lang`.
 */
export const ASSUMED_SOURCE: TranslationLanguage = 'en';
