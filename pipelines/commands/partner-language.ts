/** Countries whose partners are written to in German; every other partner in English. */
const GERMAN_COUNTRIES = new Set(['DE', 'AT', 'CH', 'LI']);

/** The language of a partner's messages, from its (legacy or buyer) country. */
export function languageOfCountry(country: string | null | undefined): 'en' | 'de' {
  return GERMAN_COUNTRIES.has((country ?? '').trim().toUpperCase()) ? 'de' : 'en';
}
