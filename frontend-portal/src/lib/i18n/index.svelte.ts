// The portal's languages: the chosen one lives in a rune, is remembered in localStorage and sets <html lang>.
// Only the chosen dictionary is downloaded; Serbian Cyrillic is transliterated from Serbian Latin.
import type { Dictionary, MessageKey } from './en';
import { pluralForm, type PluralBase } from '@shared/plural';
import { latinToCyrillic } from '@shared/translit';
import { browserLocale, navigatorLanguages } from '@shared/locale';
import { noDoubleStop } from '../dates';
import type { Locale } from '../models';

export type { MessageKey };

/** A counted message: its forms are the keys "<base>.one", "<base>.few" and "<base>.other". */
export type PluralKey = PluralBase<MessageKey>;

export const locales: Locale[] = ['sr-Latn', 'sr-Cyrl', 'en'];

/** Serbian Cyrillic from Serbian Latin; language names stay in their own script. */
export function cyrillic(dict: Dictionary): Dictionary {
  const out = {} as Dictionary;
  for (const k of Object.keys(dict) as MessageKey[]) {
    out[k] = k.startsWith('locale.') ? dict[k] : latinToCyrillic(dict[k]);
  }
  return out;
}

const loaders: Record<Locale, () => Promise<Dictionary>> = {
  en: () => import('./en').then((m) => m.en),
  'sr-Latn': () => import('./sr-latn').then((m) => m.srLatn),
  'sr-Cyrl': () => import('./sr-latn').then((m) => cyrillic(m.srLatn)),
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
  // A value ending in a full stop (a Serbian date) before the sentence's own full stop keeps only one.
  return message.replace(/\{([a-z_]+)\}/g, (whole, name: string, offset: number) =>
    name in vars ? noDoubleStop(String(vars[name]), message.slice(offset + whole.length)) : whole,
  );
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem('securelink.portal.locale') as Locale | null;
    if (saved && locales.includes(saved)) return saved;
  } catch {
    // Storage can be blocked; the browser's language then decides.
  }
  // The rule both SPAs and the server share: plain "sr" and "sr-RS" are Cyrillic, "sr-Latn…" Latin.
  return browserLocale(navigatorLanguages(), 'sr-Latn');
}

class I18n {
  locale = $state<Locale>(initialLocale());
  private dict = $state.raw<Dictionary | null>(null);
  intl = $derived(intlLocales[this.locale]);
  decimalSeparator = $derived<',' | '.'>(this.locale === 'en' ? '.' : ',');
  /** Resolves when the first dictionary is loaded; the app mounts after it. */
  readonly ready: Promise<void>;

  constructor() {
    this.ready = this.set(this.locale, false);
  }

  async set(locale: Locale, remember = true) {
    const dict = await loaders[locale]();
    // Switch text and locale together, so no screen shows one language with another's number format.
    this.dict = dict;
    this.locale = locale;
    if (remember) {
      try {
        localStorage.setItem('securelink.portal.locale', locale);
      } catch {
        // Not remembered across visits when storage is blocked; still applies now.
      }
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }

  t = (key: MessageKey, vars?: Record<string, string | number>): string => interpolate(this.dict?.[key] ?? key, vars);

  /** A counted message in the form the count takes in this language; {count} is filled in. */
  tn = (key: PluralKey, count: number, vars?: Record<string, string | number>): string =>
    this.t(`${key}.${pluralForm(this.intl, count)}`, { count, ...vars });
}

export const i18n = new I18n();
export const t = i18n.t;
export const tn = i18n.tn;
