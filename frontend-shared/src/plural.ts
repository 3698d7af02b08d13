// Plural forms: a counted message has one key per form ("….one", "….few", "….other") in every dictionary.
// English uses one and other (its "few" repeats "other"); Serbian needs all three:
// 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30 → other.

export const pluralForms = ['one', 'few', 'other'] as const;
export type PluralForm = (typeof pluralForms)[number];

const rules = new Map<string, Intl.PluralRules>();

/** The form a count takes in a language (a BCP 47 tag as given to Intl); forms a dictionary lacks read as "other". */
export function pluralForm(intlLocale: string, count: number): PluralForm {
  let r = rules.get(intlLocale);
  if (!r) {
    r = new Intl.PluralRules(intlLocale);
    rules.set(intlLocale, r);
  }
  const form = r.select(count);
  return (pluralForms as readonly string[]).includes(form) ? (form as PluralForm) : 'other';
}

/** The base of every key that ends in ".one", e.g. "dash.expiring" for "dash.expiring.one". */
export type PluralBase<K extends string> = K extends `${infer B}.one` ? B : never;
