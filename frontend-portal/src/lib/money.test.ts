import { describe, expect, it } from 'vitest';
import { formatMoney, includedVat, lineTotal, parseAmount, toDecimalString } from './money';

describe('parseAmount', () => {
  const cases: { input: string; currency: string; sep: ',' | '.'; want: number | string }[] = [
    { input: '1.234,56', currency: 'RSD', sep: ',', want: 123456 },
    { input: '1234,56', currency: 'RSD', sep: ',', want: 123456 },
    { input: '1234', currency: 'RSD', sep: ',', want: 123400 },
    { input: '1.234', currency: 'RSD', sep: ',', want: 123400 },
    { input: '12.5', currency: 'RSD', sep: ',', want: 1250 },
    { input: ' 1 234,5 ', currency: 'EUR', sep: ',', want: 123450 },
    { input: '0,01', currency: 'EUR', sep: ',', want: 1 },
    { input: ',5', currency: 'EUR', sep: ',', want: 50 },
    { input: '1,234.56', currency: 'USD', sep: '.', want: 123456 },
    { input: '12,5', currency: 'USD', sep: '.', want: 1250 },
    { input: '0.1', currency: 'EUR', sep: '.', want: 10 },
    { input: '0.29', currency: 'EUR', sep: '.', want: 29 },
    { input: '1.005,00', currency: 'EUR', sep: ',', want: 100500 },
    { input: '1500', currency: 'JPY', sep: ',', want: 1500 },
    { input: '1.500', currency: 'JPY', sep: ',', want: 1500 },
    { input: '10000000000', currency: 'RSD', sep: ',', want: 1_000_000_000_000 },
    { input: '', currency: 'RSD', sep: ',', want: 'empty' },
    { input: 'abc', currency: 'RSD', sep: ',', want: 'invalid' },
    { input: '1,2,3', currency: 'RSD', sep: ',', want: 'invalid' },
    { input: '12.34.5', currency: 'RSD', sep: ',', want: 'invalid' },
    { input: '-5', currency: 'RSD', sep: ',', want: 'invalid' },
    { input: '1e3', currency: 'RSD', sep: ',', want: 'invalid' },
    { input: '1,234', currency: 'RSD', sep: ',', want: 'too_many_decimals' },
    { input: '1,5', currency: 'JPY', sep: ',', want: 'too_many_decimals' },
    { input: '10000000000,01', currency: 'RSD', sep: ',', want: 'too_large' },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} ${c.currency} (${c.sep})`, () => {
      const r = parseAmount(c.input, c.currency, c.sep);
      if (typeof c.want === 'number') expect(r).toEqual({ ok: true, minor: c.want });
      else expect(r).toEqual({ ok: false, reason: c.want });
    });
  }

  it('never goes through floating point (0.29 × 100 is 28.999… in floats)', () => {
    expect(parseAmount('0,29', 'EUR', ',')).toEqual({ ok: true, minor: 29 });
    expect(parseAmount('1.15', 'EUR', '.')).toEqual({ ok: true, minor: 115 });
  });
});

describe('toDecimalString', () => {
  const cases: [number, string, string][] = [
    [123456, 'RSD', '1234.56'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [1500, 'JPY', '1500'],
    [-250, 'EUR', '-2.50'],
    [1_000_000_000_000, 'RSD', '10000000000.00'],
  ];
  for (const [minor, cur, want] of cases) {
    it(`${minor} ${cur}`, () => expect(toDecimalString(minor, cur)).toBe(want));
  }
});

describe('formatMoney', () => {
  // Intl separates the code with a no-break space; compare with ordinary spaces.
  const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  it('formats Serbian amounts as 1.234,56 RSD', () => {
    expect(norm(formatMoney(123456, 'RSD', 'sr-Latn-RS'))).toBe('1.234,56 RSD');
    expect(norm(formatMoney(123456, 'RSD', 'sr-Cyrl-RS'))).toBe('1.234,56 RSD');
  });
  it('keeps two decimals for RSD although CLDR shows none', () => {
    expect(norm(formatMoney(100, 'RSD', 'sr-Latn-RS'))).toBe('1,00 RSD');
  });
  it('formats English amounts and zero-decimal currencies', () => {
    expect(norm(formatMoney(123456, 'EUR', 'en-GB'))).toBe('EUR 1,234.56');
    expect(norm(formatMoney(1500, 'JPY', 'sr-Latn-RS'))).toBe('1.500 JPY');
  });
  it('is exact for the largest allowed amount', () => {
    expect(norm(formatMoney(999_999_999_999, 'EUR', 'en-GB'))).toBe('EUR 9,999,999,999.99');
  });
});

describe('line arithmetic', () => {
  it('multiplies integers exactly', () => {
    expect(lineTotal(3, 33333)).toBe(99999);
  });
  it('extracts VAT from a VAT-inclusive total, rounding half up', () => {
    expect(includedVat(12000, 20)).toBe(2000);
    expect(includedVat(1100, 10)).toBe(100);
    expect(includedVat(1000, 0)).toBe(0);
    expect(includedVat(1, 20)).toBe(0);
    expect(includedVat(3, 20)).toBe(1);
  });
});
