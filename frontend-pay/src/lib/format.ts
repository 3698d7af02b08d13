// Amounts and dates for the payer's language. Money arrives as integer minor units; the number
// of decimals comes from the server's currency table (Intl's own follows cash rules, e.g. RSD with none).
import { formatMoney as formatAmount } from '@shared/money';
import { longDate, longDateTime } from '@shared/dates';
import type { AppLocale } from '@shared/locale';

/** Formats minor units for a BCP 47 locale with the currency's symbol: (123456, 'EUR', 'en-GB') → "€1,234.56". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return formatAmount(minor, currency, locale, 'symbol');
}

/** Formats a plain number (quantities, VAT rates) for the locale. */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value);
}

/** Formats an RFC 3339 time as a long date with time ("5. marta 2027. u 14:05"), '' when missing or invalid. */
export function formatDateTime(iso: string | null | undefined, lang: AppLocale): string {
  return longDateTime(iso, lang);
}

/** Formats an RFC 3339 time as a long date with a Serbian genitive month ("1. januara 2027."), '' when missing or invalid. */
export function formatDate(iso: string | null | undefined, lang: AppLocale): string {
  return longDate(iso, lang);
}
