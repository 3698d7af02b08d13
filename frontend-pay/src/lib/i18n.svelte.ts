// The current language as reactive state: reading it in a template re-renders on a switch. The
// language and its dictionary are one value, replaced at once, so a date or an amount can never be
// formatted in a language other than the texts around it.
import { INTL_LOCALE, LOADERS, LangSwitch, translate, chooseLang, type Dictionary, type Lang, type MessageKey } from './i18n';
import { navigatorLanguages } from '@shared/locale';

const STORAGE_KEY = 'securelink.pay.lang';

let current = $state.raw<{ lang: Lang; dict: Dictionary | null }>({ lang: 'en', dict: null });
let markReady: () => void = () => {};
const firstDictionary = new Promise<void>((resolve) => (markReady = resolve));

const switcher = new LangSwitch(LOADERS, (lang, dict) => {
  current = { lang, dict };
  document.documentElement.lang = lang;
  markReady();
});

function savedChoice(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Resolves once the first dictionary has arrived (screens wait for it, so no text is blank). */
export function whenReady(): Promise<void> {
  return firstDictionary;
}

/** Chooses the language from the payer's choice, the invoice's locale and the browser's languages. */
export function initLang(invoiceLocale?: string | null): Promise<void> {
  return switcher.apply(chooseLang(savedChoice(), invoiceLocale, navigatorLanguages()));
}

/** The payer's own choice; kept for the session so it survives the 3-D Secure round trip. */
export function setLang(lang: Lang): Promise<void> {
  try {
    sessionStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the choice then lasts until the page is left.
  }
  return switcher.apply(lang);
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
