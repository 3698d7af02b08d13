import { describe, expect, it } from 'vitest';
import { en } from './en';
import { cyrillic, intlLocales, interpolate } from './index.svelte';
import { pluralForm, pluralForms } from '@shared/plural';
import { srLatn } from './sr-latn';

describe('pluralForm', () => {
  const cases: [string, number, string][] = [
    ['en-GB', 0, 'other'],
    ['en-GB', 1, 'one'],
    ['en-GB', 2, 'other'],
    ['en-GB', 5, 'other'],
    ['en-GB', 21, 'other'],
    ['sr-Latn-RS', 0, 'other'],
    ['sr-Latn-RS', 1, 'one'],
    ['sr-Latn-RS', 2, 'few'],
    ['sr-Latn-RS', 4, 'few'],
    ['sr-Latn-RS', 5, 'other'],
    ['sr-Latn-RS', 11, 'other'],
    ['sr-Latn-RS', 12, 'other'],
    ['sr-Latn-RS', 14, 'other'],
    ['sr-Latn-RS', 21, 'one'],
    ['sr-Latn-RS', 22, 'few'],
    ['sr-Latn-RS', 25, 'other'],
    ['sr-Latn-RS', 101, 'one'],
    ['sr-Latn-RS', 111, 'other'],
    ['sr-Cyrl-RS', 3, 'few'],
    ['sr-Cyrl-RS', 31, 'one'],
  ];
  for (const [locale, n, form] of cases) it(`${locale} ${n} is ${form}`, () => expect(pluralForm(locale, n)).toBe(form));

  it('reads a form no dictionary has as "other"', () => {
    // Arabic has zero, two and many; the dictionaries only have one, few and other.
    expect(pluralForm('ar', 0)).toBe('other');
    expect(pluralForm('ar', 2)).toBe('other');
    expect(pluralForm('ar', 11)).toBe('other');
    expect(pluralForm('ar', 1)).toBe('one');
  });
});

describe('counted messages', () => {
  const bases = [...new Set(Object.keys(en).filter((k) => /\.(one|few|other)$/.test(k)).map((k) => k.replace(/\.[a-z]+$/, '')))];

  it('have every form in English, so in every language', () => {
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) for (const form of pluralForms) expect(Object.keys(en), base).toContain(`${base}.${form}`);
  });

  // What tn() shows: the form picked for the count, with {count} filled in.
  const shown = (dict: Record<string, string>, locale: keyof typeof intlLocales, n: number) =>
    interpolate(dict[`dash.expiring.${pluralForm(intlLocales[locale], n)}`], { count: n });

  it('reads right for the expiring authorisations in English', () => {
    expect(shown(en, 'en', 1)).toBe('1 authorisation is expiring — capture or void it');
    expect(shown(en, 'en', 2)).toBe('2 authorisations are expiring — capture or void them');
    expect(shown(en, 'en', 21)).toBe('21 authorisations are expiring — capture or void them');
  });

  it('reads right for the expiring authorisations in Serbian', () => {
    expect(shown(srLatn, 'sr-Latn', 1)).toBe('1 autorizacija ističe — naplatite je ili poništite');
    expect(shown(srLatn, 'sr-Latn', 3)).toBe('3 autorizacije ističu — naplatite ih ili poništite');
    expect(shown(srLatn, 'sr-Latn', 5)).toBe('5 autorizacija ističe — naplatite ih ili poništite');
    expect(shown(srLatn, 'sr-Latn', 12)).toBe('12 autorizacija ističe — naplatite ih ili poništite');
    expect(shown(srLatn, 'sr-Latn', 22)).toBe('22 autorizacije ističu — naplatite ih ili poništite');
    expect(shown(cyrillic(srLatn), 'sr-Cyrl', 2)).toBe('2 ауторизације истичу — наплатите их или поништите');
  });
});
