import { beforeAll, describe, expect, it } from 'vitest';
import { setCurrencies } from '@shared/money';
import { formatDate, formatMoney } from './format';

// Rows shaped like GET /api/v1/currencies, which the checkout loads before showing an amount.
beforeAll(() =>
  setCurrencies([
    { code: 'RSD', exponent: 2, name: 'Serbian dinar' },
    { code: 'EUR', exponent: 2, name: 'Euro' },
    { code: 'JPY', exponent: 0, name: 'Japanese yen' },
    { code: 'KWD', exponent: 3, name: 'Kuwaiti dinar' },
  ]),
);

// Intl separates number and currency with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it.each([
    [123456, 'RSD', 'sr-Latn-RS', '1.234,56 RSD'],
    [123456, 'RSD', 'sr-Cyrl-RS', '1.234,56 RSD'],
    [123456, 'RSD', 'en-GB', 'RSD 1,234.56'],
    [100, 'RSD', 'sr-Latn-RS', '1,00 RSD'],
    [240000, 'RSD', 'sr-Latn-RS', '2.400,00 RSD'],
    [123456, 'EUR', 'sr-Latn-RS', '1.234,56 €'],
    [123456, 'EUR', 'en-GB', '€1,234.56'],
    [1234, 'JPY', 'en-GB', 'JP¥1,234'],
    [1234, 'JPY', 'sr-Latn-RS', '1.234 ¥'],
    [1234567, 'KWD', 'en-GB', 'KWD 1,234.567'],
    [1234567, 'KWD', 'sr-Latn-RS', '1.234,567 KWD'],
    [1_000_000_000_000, 'RSD', 'sr-Latn-RS', '10.000.000.000,00 RSD'],
  ])('%i %s in %s is %s', (minor, currency, locale, want) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(want);
  });

  it('keeps every digit of amounts beyond double precision of decimals', () => {
    expect(plain(formatMoney(999_999_999_999, 'EUR', 'en-GB'))).toBe('€9,999,999,999.99');
  });
});

describe('formatDate', () => {
  it('writes the month in the genitive in Serbian Latin and Cyrillic', () => {
    expect(formatDate('2026-11-25T10:00:00Z', 'sr-Latn')).toBe('25. novembra 2026.');
    expect(formatDate('2026-11-25T10:00:00Z', 'sr-Cyrl')).toBe('25. новембра 2026.');
    expect(formatDate('2026-11-25T10:00:00Z', 'en')).toBe('25 November 2026');
  });
  it('returns empty text for a missing or invalid time', () => {
    expect(formatDate(null, 'en')).toBe('');
    expect(formatDate('not a date', 'en')).toBe('');
  });
});
