// The checkout's three languages and how one is chosen. Pure functions, shared by the tests and
// the reactive store in i18n.svelte.ts. Each dictionary is its own chunk, loaded on demand, so the
// first load carries only the language shown.
import { matchLocale } from '@shared/locale';
import type { Dictionary, MessageKey } from './messages-en';

export const LANGS = ['sr-Latn', 'sr-Cyrl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Loads a language's dictionary (a separate chunk per language). */
export const LOADERS: Record<Lang, () => Promise<Dictionary>> = {
  'sr-Latn': () => import('./messages-sr-latn').then((m) => m.srLatn),
  'sr-Cyrl': () => import('./messages-sr-cyrl').then((m) => m.srCyrl),
  en: () => import('./messages-en').then((m) => m.en),
};

/** How each language names itself in the switcher: short enough for a phone's header; the script tells the two Serbians apart. */
export const LANG_NAMES: Record<Lang, string> = {
  'sr-Latn': 'Srpski',
  'sr-Cyrl': 'Српски',
  en: 'English',
};

/** The BCP 47 locale used with Intl for amounts and dates. */
export const INTL_LOCALE: Record<Lang, string> = { 'sr-Latn': 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS', en: 'en-GB' };

/** Maps a language tag (an invoice's locale or a browser's) to one of ours, or null: the rule both SPAs and the server share. */
export function matchLang(tag: string | null | undefined): Lang | null {
  return matchLocale(tag);
}

/** Picks the language: the payer's own choice, then the invoice's locale, then the browser's list. */
export function chooseLang(saved: string | null, invoiceLocale: string | null | undefined, browser: readonly string[]): Lang {
  const own = LANGS.find((l) => l === saved);
  if (own) return own;
  const fromInvoice = matchLang(invoiceLocale);
  if (fromInvoice) return fromInvoice;
  for (const tag of browser) {
    const lang = matchLang(tag);
    if (lang) return lang;
  }
  return 'en';
}

/**
 * Switches languages in the order they were asked for: each dictionary loads once (a chunk of its
 * own); a later choice wins over a slower earlier load; and the language and its dictionary are
 * committed together, so texts, amounts and dates always come from the same language.
 */
export class LangSwitch {
  private wanted: Lang | null = null;
  private readonly cache = new Map<Lang, Promise<Dictionary>>();

  constructor(
    private readonly loaders: Record<Lang, () => Promise<Dictionary>>,
    private readonly commit: (lang: Lang, dict: Dictionary) => void,
  ) {}

  /** Loads lang's dictionary and commits it, unless another language was asked for meanwhile. */
  async apply(lang: Lang): Promise<void> {
    this.wanted = lang;
    let loading = this.cache.get(lang);
    if (!loading) {
      loading = this.loaders[lang]();
      this.cache.set(lang, loading);
      // A failed load (say, a network blip) may be tried again on the next switch.
      loading.catch(() => this.cache.delete(lang));
    }
    const dict = await loading;
    if (this.wanted !== lang) return;
    this.commit(lang, dict);
  }
}

/** Looks a text up in dict and fills in its {placeholders}; '' while no dictionary is loaded. */
export function translate(dict: Dictionary | null, key: MessageKey, vars?: Record<string, string | number>): string {
  if (!dict) return '';
  const text = dict[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type { Dictionary, MessageKey };
