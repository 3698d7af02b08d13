// Money in the portal is an integer count of minor units plus an ISO 4217 code; floats never hold a final value.

/** Minor-unit exponents of the currencies SecureLink knows (ISO 4217). */
export const currencyExponents: Record<string, number> = {
  RSD: 2,
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  BAM: 2,
  MKD: 2,
  HUF: 2,
  CZK: 2,
  PLN: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  RON: 2,
  BGN: 2,
  JPY: 0,
};

export const currencies = Object.keys(currencyExponents);

/** The largest amount the API accepts, in minor units. */
export const maxAmount = 1_000_000_000_000;

export function exponentOf(currency: string): number {
  const e = currencyExponents[currency.toUpperCase()];
  return e === undefined ? 2 : e;
}

export type ParseResult = { ok: true; minor: number } | { ok: false; reason: 'empty' | 'invalid' | 'too_many_decimals' | 'too_large' };

/**
 * Parses a price typed in major units ("1.234,56", "1234.56", "1 234,5") into minor units by string arithmetic.
 * `decimalSeparator` is the locale's (',' in Serbian, '.' in English); the other mark is read as grouping,
 * except when it appears once with no more digits after it than the currency has decimals and the locale's
 * own separator is absent — then it is taken as the decimal point, because people type both.
 */
export function parseAmount(input: string, currency: string, decimalSeparator: ',' | '.' = ','): ParseResult {
  const exponent = exponentOf(currency);
  let s = input.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return { ok: false, reason: 'empty' };
  const other = decimalSeparator === ',' ? '.' : ',';
  let dec: string = decimalSeparator;
  if (!s.includes(decimalSeparator)) {
    const parts = s.split(other);
    if (parts.length === 2 && parts[1].length > 0 && parts[1].length <= exponent && parts[1].length !== 3) {
      dec = other;
    }
  }
  const group = dec === ',' ? '.' : ',';
  // Grouping marks must separate groups of exactly three digits.
  const [intRaw, frac = '', ...rest] = s.split(dec);
  if (rest.length > 0) return { ok: false, reason: 'invalid' };
  if (intRaw.includes(group)) {
    const groups = intRaw.split(group);
    if (groups[0].length === 0 || groups[0].length > 3 || groups.slice(1).some((g) => g.length !== 3)) {
      return { ok: false, reason: 'invalid' };
    }
  }
  const intPart = intRaw.split(group).join('');
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(frac)) return { ok: false, reason: 'invalid' };
  if (intPart === '' && frac === '') return { ok: false, reason: 'invalid' };
  if (frac.length > exponent) return { ok: false, reason: 'too_many_decimals' };
  s = (intPart || '0') + frac.padEnd(exponent, '0');
  const minor = BigInt(s);
  if (minor > BigInt(maxAmount)) return { ok: false, reason: 'too_large' };
  return { ok: true, minor: Number(minor) };
}

/** Minor units as a plain decimal string in major units ("123456" RSD → "1234.56"), exact for any safe integer. */
export function toDecimalString(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  const negative = minor < 0;
  const digits = BigInt(Math.abs(Math.trunc(minor))).toString();
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const out = `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
  return (negative ? '-' : '') + out;
}

/** Formats minor units for people, e.g. 123456 RSD in sr-Latn → "1.234,56 RSD". */
export function formatMoney(minor: number, currency: string, intlLocale: string): string {
  const exponent = exponentOf(currency);
  const fmt = new Intl.NumberFormat(intlLocale, {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl formats a decimal string exactly, so no float ever carries the amount.
  return fmt.format(toDecimalString(minor, currency) as unknown as number);
}

/** A line's total: quantity × unit amount, both integers. */
export function lineTotal(quantity: number, unitAmount: number): number {
  return Number(BigInt(Math.trunc(quantity)) * BigInt(Math.trunc(unitAmount)));
}

/** The VAT inside a VAT-inclusive amount at a whole-percent rate, rounded half up to a minor unit. */
export function includedVat(total: number, ratePercent: number): number {
  if (ratePercent <= 0) return 0;
  const t = BigInt(total) * BigInt(Math.round(ratePercent * 100));
  const d = BigInt(10000 + Math.round(ratePercent * 100));
  return Number((t * 2n + d) / (2n * d));
}
