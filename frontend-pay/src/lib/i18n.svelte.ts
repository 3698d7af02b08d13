// The current language as reactive state: reading it in a template re-renders on a switch.
import { INTL_LOCALE, LOADERS, translate, chooseLang, type Dictionary, type Lang, type MessageKey } from './i18n';

const STORAGE_KEY = 'securelink.pay.lang';

const current = $state<{ lang: Lang; dict: Dictionary | null }>({ lang: 'en', dict: null });
const cache = new Map<Lang, Promise<Dictionary>>();
let wanted: Lang = 'en';
let markReady: () => void = () => {};
const firstDictionary = new Promise<void>((resolve) => (markReady = resolve));

function savedChoice(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

async function apply(lang: Lang): Promise<void> {
  wanted = lang;
  let loading = cache.get(lang);
  if (!loading) {
    loading = LOADERS[lang]();
    cache.set(lang, loading);
    // A failed load (say, a network blip) may be tried again on the next switch.
    loading.catch(() => cache.delete(lang));
  }
  const dict = await loading;
  // A later choice wins over a slower earlier load.
  if (wanted !== lang) return;
  current.dict = dict;
  current.lang = lang;
  document.documentElement.lang = lang;
  markReady();
}

/** Resolves once the first dictionary has arrived (screens wait for it, so no text is blank). */
export function whenReady(): Promise<void> {
  return firstDictionary;
}

/** Chooses the language at start and again when the invoice's locale is known. */
export function initLang(invoiceLocale?: string | null): Promise<void> {
  return apply(chooseLang(savedChoice(), invoiceLocale, navigator.languages ?? [navigator.language]));
}

/** The payer's own choice; kept for the session so it survives the 3-D Secure round trip. */
export function setLang(lang: Lang): Promise<void> {
  try {
    sessionStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the choice then lasts until the page is left.
  }
  return apply(lang);
}

export function lang(): Lang {
  return current.lang;
}

/** The Intl locale of the current language. */
export function locale(): string {
  return INTL_LOCALE[current.lang];
}

/** The text for key in the current language. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return translate(current.dict, key, vars);
}
