/**
 * The languages `<buy-button>` speaks, by primary subtag (`fr-CA` → `fr`, `pt-BR` → `pt`);
 * anything else is English.
 *
 * The npm build holds all of them. The script-tag bundle holds `BUNDLED_LANGUAGES` only and loads
 * each of `LAZY_LANGUAGES` from the BFF when an element first needs it:
 * `<endpoint>/buy-button.<lang>.json`, which the build writes beside the bundle.
 */
export const BUNDLED_LANGUAGES = ['en', 'fr'] as const;
export const LAZY_LANGUAGES = ['de', 'es', 'it', 'nl', 'pt'] as const;
export const LANGUAGES = [...BUNDLED_LANGUAGES, ...LAZY_LANGUAGES] as const;

export type Language = (typeof LANGUAGES)[number];
export type LazyLanguage = (typeof LAZY_LANGUAGES)[number];
