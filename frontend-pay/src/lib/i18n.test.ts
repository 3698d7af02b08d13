import { describe, expect, it } from 'vitest';
import { chooseLang, LANGS, LOADERS, matchLang, translate, type Dictionary } from './i18n';
import { en } from './messages-en';
import { srLatn } from './messages-sr-latn';
import { srCyrl } from './messages-sr-cyrl';

const DICTIONARIES: Record<(typeof LANGS)[number], Dictionary> = { 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl, en };
import { declineMessageKey } from './declines';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGS)('%s has exactly the English keys', (lang) => {
    expect(Object.keys(DICTIONARIES[lang]).sort()).toEqual(keys);
  });

  it.each(LANGS)('%s has no empty text and the same placeholders as English', (lang) => {
    for (const key of keys) {
      const text = DICTIONARIES[lang][key as keyof typeof en];
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it('writes Serbian Cyrillic texts without Serbian Latin letters', () => {
    for (const [key, text] of Object.entries(DICTIONARIES['sr-Cyrl'])) {
      // Placeholders and the few names kept in Latin script aside, nothing Latin remains.
      const rest = text.replace(/\{\w+\}|SecureLink|CVC|3-D Secure|IPS QR|IPS|QR|PDF/g, '');
      expect(rest, key).not.toMatch(/[A-Za-zčćžšđČĆŽŠĐ]/);
    }
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'card.pay', { amount: '10 RSD' })).toBe('Pay 10 RSD');
    expect(translate(srLatn, 'card.pay', { amount: '10 RSD' })).toBe('Plati 10 RSD');
    expect(translate(srCyrl, 'card.pay', { amount: '10 RSD' })).toBe('Плати 10 RSD');
  });

  it('leaves unknown placeholders and gives nothing before a dictionary is loaded', () => {
    expect(translate(en, 'card.pay')).toBe('Pay {amount}');
    expect(translate(null, 'card.pay', { amount: '1' })).toBe('');
  });
});

describe('LOADERS', () => {
  it.each(LANGS)('loads the %s dictionary', async (lang) => {
    expect(await LOADERS[lang]()).toBe(DICTIONARIES[lang]);
  });
});

describe('language choice', () => {
  it.each([
    ['sr-Latn', 'sr-Latn'],
    ['sr-Cyrl', 'sr-Cyrl'],
    ['sr', 'sr-Cyrl'],
    ['sr-RS', 'sr-Cyrl'],
    ['sr-Latn-RS', 'sr-Latn'],
    ['sr_Latn', 'sr-Latn'],
    ['hr-HR', 'sr-Latn'],
    ['en-US', 'en'],
    ['de-DE', null],
    ['', null],
  ])('matchLang(%s) → %s', (tag, want) => {
    expect(matchLang(tag)).toBe(want);
  });

  it('prefers the payer’s own choice, then the invoice, then the browser', () => {
    expect(chooseLang('en', 'sr-Latn', ['sr'])).toBe('en');
    expect(chooseLang(null, 'sr-Latn', ['en-US'])).toBe('sr-Latn');
    expect(chooseLang(null, undefined, ['de-DE', 'sr-RS'])).toBe('sr-Cyrl');
    expect(chooseLang('bogus', undefined, ['de-DE'])).toBe('en');
  });
});

describe('declineMessageKey', () => {
  it.each([
    ['card_declined', 'declined.card_declined'],
    ['insufficient_funds', 'declined.insufficient_funds'],
    ['expired_card', 'declined.expired_card'],
    ['incorrect_cvc', 'declined.incorrect_cvc'],
    ['processing_error', 'declined.processing_error'],
    ['authentication_failed', 'declined.authentication_failed'],
    ['stolen_card', 'declined.lost_or_stolen'],
    ['something_new', 'declined.generic'],
    [null, 'declined.generic'],
  ])('%s → %s', (code, want) => {
    expect(declineMessageKey(code)).toBe(want);
  });
});
