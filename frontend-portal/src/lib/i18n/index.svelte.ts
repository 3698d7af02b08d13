// The portal's languages: the chosen one lives in a rune, is remembered in localStorage and sets <html lang>.
import { en, type Dictionary, type MessageKey } from './en';
import { srLatn } from './sr-latn';
import { latinToCyrillic } from './translit';
import type { Locale } from '../models';

export type { MessageKey };

export const locales: Locale[] = ['sr-Latn', 'sr-Cyrl', 'en'];

function cyrillic(dict: Dictionary): Dictionary {
  const out = {} as Dictionary;
  for (const k of Object.keys(dict) as MessageKey[]) {
    // Language names are shown in their own script, whatever the interface language.
    out[k] = k.startsWith('locale.') ? dict[k] : latinToCyrillic(dict[k]);
  }
  return out;
}

export const dictionaries: Record<Locale, Dictionary> = {
  en,
  'sr-Latn': srLatn,
  'sr-Cyrl': cyrillic(srLatn),
};

/** The BCP 47 tag given to Intl for each portal language. */
export const intlLocales: Record<Locale, string> = {
  'sr-Latn': 'sr-Latn-RS',
  'sr-Cyrl': 'sr-Cyrl-RS',
  en: 'en-GB',
};

/** Fills {placeholders} in a message; unknown ones are left visible so a missing value is noticed. */
export function interpolate(message: string, vars?: Record<string, string | number>): string {
  if (!vars) return message;
  return message.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem('securelink.portal.locale') as Locale | null;
    if (saved && locales.includes(saved)) return saved;
  } catch {
    // Storage can be blocked; the default language then applies.
  }
  const nav = typeof navigator === 'undefined' ? '' : navigator.language;
  if (nav.startsWith('sr')) return /cyrl/i.test(nav) ? 'sr-Cyrl' : 'sr-Latn';
  return nav.startsWith('en') ? 'en' : 'sr-Latn';
}

class I18n {
  locale = $state<Locale>(initialLocale());
  intl = $derived(intlLocales[this.locale]);
  decimalSeparator = $derived<',' | '.'>(this.locale === 'en' ? '.' : ',');

  constructor() {
    this.apply();
  }

  set(locale: Locale) {
    this.locale = locale;
    try {
      localStorage.setItem('securelink.portal.locale', locale);
    } catch {
      // Not remembered across visits when storage is blocked; still applies now.
    }
    this.apply();
  }

  private apply() {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }

  t = (key: MessageKey, vars?: Record<string, string | number>): string =>
    interpolate(dictionaries[this.locale][key] ?? en[key] ?? key, vars);
}

export const i18n = new I18n();
export const t = i18n.t;
