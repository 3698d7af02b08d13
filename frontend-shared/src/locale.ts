// The one rule for a browser's languages, used by both SPAs and (in Go, domain.MatchLocale) by the
// server: "sr-Latn…" is Latin; plain "sr", "sr-RS" and any other "sr-…" are Cyrillic, as CLDR's
// likely subtags say; "sh" and the neighbouring hr, bs and cnr read Latin; "en…" is English.
// locale-cases.json holds the cases both the Go and the TypeScript tests check.

export type AppLocale = 'sr-Latn' | 'sr-Cyrl' | 'en';

/** Maps a language tag to one of SecureLink's locales, or null when none fits. */
export function matchLocale(tag: string | null | undefined): AppLocale | null {
  if (!tag) return null;
  const t = tag.trim().toLowerCase().replace(/_/g, '-');
  if (t === '') return null;
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t.startsWith('sr-latn') || t === 'sh' || t.startsWith('sh-') || t === 'sr-me') return 'sr-Latn';
  if (t === 'sr' || t.startsWith('sr-')) return 'sr-Cyrl';
  if (/^(hr|bs|cnr)(-|$)/.test(t)) return 'sr-Latn';
  return null;
}

/** The first of a browser's languages SecureLink speaks, or fallback. */
export function browserLocale(languages: readonly string[], fallback: AppLocale): AppLocale {
  for (const tag of languages) {
    const l = matchLocale(tag);
    if (l) return l;
  }
  return fallback;
}

/** The browser's languages (navigator.languages, else navigator.language), [] outside a browser. */
export function navigatorLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}
