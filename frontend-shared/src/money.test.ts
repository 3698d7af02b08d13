import { beforeAll, describe, expect, it, vi } from 'vitest';
import { currencyCodes, exponentOf, formatMoney, loadCurrencies, parseAmount, setCurrencies, toDecimalString } from './money';

// A few rows shaped like GET /api/v1/currencies: 2, 0 and 3 decimals.
const served = [
  { code: 'RSD', exponent: 2, name: 'Serbian dinar' },
  { code: 'EUR', exponent: 2, name: 'Euro' },
  { code: 'USD', exponent: 2, name: 'US dollar' },
  { code: 'JPY', exponent: 0, name: 'Japanese yen' },
  { code: 'KRW', exponent: 0, name: 'South Korean won' },
  { code: 'KWD', exponent: 3, name: 'Kuwaiti dinar' },
];
beforeAll(() => setCurrencies(served));

describe('the currency table', () => {
  it('takes every exponent from the served table', () => {
    expect(currencyCodes()).toEqual(['RSD', 'EUR', 'USD', 'JPY', 'KRW', 'KWD']);
    expect([exponentOf('rsd'), exponentOf('JPY'), exponentOf('KRW'), exponentOf('KWD')]).toEqual([2, 0, 0, 3]);
  });
  it('loads the table from the API once', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(served), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    try {
      await Promise.all([loadCurrencies('/api/v1/currencies'), loadCurrencies('/api/v1/currencies')]);
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(exponentOf('KWD')).toBe(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

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
    // A partial refund typed in major units: KRW has no decimals, KWD three.
    { input: '1000', currency: 'KRW', sep: ',', want: 1000 },
    { input: '1.000', currency: 'KRW', sep: ',', want: 1000 },
    { input: '12,5', currency: 'KWD', sep: ',', want: 12500 },
    { input: '12.345', currency: 'KWD', sep: '.', want: 12345 },
    { input: '1.234,567', currency: 'KWD', sep: ',', want: 1234567 },
    { input: '1,2345', currency: 'KWD', sep: ',', want: 'too_many_decimals' },
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
    [1234567, 'KWD', '1234.567'],
    [1000, 'KRW', '1000'],
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
  it('shows three decimals for KWD and none for KRW', () => {
    expect(norm(formatMoney(1234567, 'KWD', 'en-GB'))).toBe('KWD 1,234.567');
    expect(norm(formatMoney(1234567, 'KWD', 'sr-Latn-RS'))).toBe('1.234,567 KWD');
    expect(norm(formatMoney(100000, 'KRW', 'en-GB'))).toBe('KRW 100,000');
  });
  it('names the currency by its symbol when asked (the checkout)', () => {
    expect(formatMoney(1234, 'JPY', 'en-GB', 'symbol')).toBe('JP¥1,234');
  });
  it('is exact for the largest allowed amount', () => {
    expect(norm(formatMoney(999_999_999_999, 'EUR', 'en-GB'))).toBe('EUR 9,999,999,999.99');
  });
});
