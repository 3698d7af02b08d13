// Money in both SPAs is an integer count of minor units plus an ISO 4217 code; floats never hold a
// final value. How many decimals a currency has comes from the server's one currency table
// (GET /api/v1/currencies), loaded once before any amount is shown: no exponent is written here.

/** One currency as GET /api/v1/currencies publishes it. */
export interface Currency {
  code: string;
  exponent: number;
  name: string;
}

/** The largest amount the API accepts, in minor units. */
export const maxAmount = 1_000_000_000_000;

let table = new Map<string, Currency>();
let ordered: readonly Currency[] = [];
let loading: Promise<void> | null = null;

/** Installs the server's currency table (loadCurrencies does it; tests call it with their own). */
export function setCurrencies(list: readonly Currency[]): void {
  ordered = [...list];
  table = new Map(list.map((c) => [c.code.toUpperCase(), c]));
}

/**
 * Fetches the currency table once; later calls share the first answer. A failed load may be tried
 * again. The answer is cacheable, so a revisit costs no request.
 */
export function loadCurrencies(url = '/api/v1/currencies'): Promise<void> {
  loading ??= fetch(url, { headers: { Accept: 'application/json' } })
    .then(async (r) => {
      if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
      setCurrencies((await r.json()) as Currency[]);
    })
    .catch((err: unknown) => {
      loading = null;
      throw err;
    });
  return loading;
}

/** Every accepted currency code, the default (RSD) first. */
export function currencyCodes(): string[] {
  return ordered.map((c) => c.code);
}

/**
 * The number of minor-unit digits of a currency. Before the table has arrived (a failed load), the
 * browser's own ISO 4217 knowledge is the best guess, and the server's table wins once loaded.
 */
export function exponentOf(currency: string): number {
  const c = table.get(currency.toUpperCase());
  if (c) return c.exponent;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
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

/**
 * Formats minor units for people, e.g. 123456 RSD in sr-Latn → "1.234,56 RSD". `display` is how the
 * currency is named: its code (the portal) or its symbol where one exists (the checkout).
 */
export function formatMoney(minor: number, currency: string, intlLocale: string, display: 'code' | 'symbol' = 'code'): string {
  const exponent = exponentOf(currency);
  const fmt = new Intl.NumberFormat(intlLocale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    currencyDisplay: display,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl formats a decimal string exactly, so no float ever carries the amount.
  return fmt.format(toDecimalString(minor, currency) as unknown as number);
}
