import { describe, expect, it } from 'vitest';
import { currencyExponent, formatDate, formatMoney, minorToDecimal } from './format';

// Intl separates number and currency with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('currencyExponent', () => {
  it.each([
    ['RSD', 2],
    ['EUR', 2],
    ['USD', 2],
    ['HUF', 2],
    ['JPY', 0],
    ['jpy', 0],
    ['KWD', 3],
  ])('%s has %i decimals', (currency, want) => {
    expect(currencyExponent(currency)).toBe(want);
  });
});

describe('minorToDecimal', () => {
  it.each([
    [123456, 2, '1234.56'],
    [5, 2, '0.05'],
    [0, 2, '0.00'],
    [-5, 2, '-0.05'],
    [1500, 0, '1500'],
    [1234567, 3, '1234.567'],
    [1_000_000_000_000, 2, '10000000000.00'],
  ])('%i with exponent %i is %s', (minor, exponent, want) => {
    expect(minorToDecimal(minor, exponent)).toBe(want);
  });
});

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
    [1_000_000_000_000, 'RSD', 'sr-Latn-RS', '10.000.000.000,00 RSD'],
  ])('%i %s in %s is %s', (minor, currency, locale, want) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(want);
  });

  it('keeps every digit of amounts beyond double precision of decimals', () => {
    expect(plain(formatMoney(999_999_999_999, 'EUR', 'en-GB'))).toBe('€9,999,999,999.99');
  });
});

describe('formatDate', () => {
  it('formats in Serbian Latin', () => {
    expect(formatDate('2026-11-25T10:00:00Z', 'sr-Latn-RS')).toMatch(/25\. novembar 2026/);
  });
  it('formats in Serbian Cyrillic', () => {
    expect(formatDate('2026-11-25T10:00:00Z', 'sr-Cyrl-RS')).toMatch(/25\. новембар 2026/);
  });
  it('returns empty text for a missing or invalid time', () => {
    expect(formatDate(null, 'en-GB')).toBe('');
    expect(formatDate('not a date', 'en-GB')).toBe('');
  });
});
