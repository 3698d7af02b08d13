// Amounts and dates for the payer's language. Money arrives as integer minor units; the number
// of decimals comes from ISO 4217 (Intl's own table follows cash rules, e.g. RSD with none).

/** ISO 4217 minor-unit exponents that differ from 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The currency's minor-unit exponent (RSD 2, EUR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Exact decimal string of minor units, e.g. (123456, 2) → "1234.56", (-5, 2) → "-0.05". */
export function minorToDecimal(minor: number, exponent: number): string {
  const negative = minor < 0;
  const digits = Math.abs(Math.trunc(minor)).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : '.' + digits.slice(-exponent);
  return (negative ? '-' : '') + whole + fraction;
}

/** Formats minor units for a BCP 47 locale: formatMoney(123456, 'RSD', 'sr-Latn-RS') → "1.234,56 RSD". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // A decimal string keeps every digit exact, however large the amount.
  return format.format(minorToDecimal(minor, exponent) as unknown as number);
}

/** Formats a plain number (quantities, VAT rates) for the locale. */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value);
}

/** Formats an RFC 3339 time as a long date with time, or returns '' when it is missing or invalid. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

/** Formats an RFC 3339 time as a long date, or '' when missing or invalid. */
export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date);
}
