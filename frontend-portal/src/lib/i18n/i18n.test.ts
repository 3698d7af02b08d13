import { describe, expect, it } from 'vitest';
import { en } from './en';
import { cyrillic, interpolate } from './index.svelte';
import { srLatn } from './sr-latn';
import { latinToCyrillic } from '@shared/translit';

const dictionaries = { en, 'sr-Latn': srLatn, 'sr-Cyrl': cyrillic(srLatn) };

const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  for (const [locale, dict] of Object.entries(dictionaries)) {
    it(`${locale} has every key, none empty, with the same placeholders as English`, () => {
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(dict)) {
        expect(value, key).not.toBe('');
        expect(placeholders(value), key).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('Serbian Cyrillic has no Latin letters outside placeholders and kept names', () => {
    const kept = /\{[a-z_]+\}|CSV|API|QR|SMS|PSP|URL|ID|REST|WhatsApp|Viber|SecureLink|Webhook|webhook-id|HTTP|HTML|3-D Secure|Srpski \(latinica\)|English/g;
    for (const [key, value] of Object.entries(dictionaries['sr-Cyrl'])) {
      expect(value.replace(kept, ''), key).not.toMatch(/[A-Za-zČĆŽŠĐčćžšđ]/);
    }
  });

  it('Serbian Latin is really translated', () => {
    const same = Object.keys(en).filter((k) => dictionaries['sr-Latn'][k as keyof typeof en] === en[k as keyof typeof en]);
    // Only names, codes and symbols may be equal in both languages.
    expect(same.length).toBeLessThan(20);
  });
});

describe('latinToCyrillic', () => {
  const cases: [string, string][] = [
    ['Ljubljana Njegoš džep', 'Љубљана Његош џеп'],
    ['LJUBAV', 'ЉУБАВ'],
    ['Đorđe Ćirić, čaša, žaba', 'Ђорђе Ћирић, чаша, жаба'],
    ['Plaćeno {count} puta', 'Плаћено {count} пута'],
    ['Izvezi CSV preko API ključa', 'Извези CSV преко API кључа'],
    ['Čeka 3-D Secure', 'Чека 3-D Secure'],
    ['Isti webhook-id, HTTP status i HTML verzija', 'Исти webhook-id, HTTP статус и HTML верзија'],
  ];
  for (const [latin, cyr] of cases) {
    it(latin, () => expect(latinToCyrillic(latin)).toBe(cyr));
  }
});

describe('interpolate', () => {
  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
