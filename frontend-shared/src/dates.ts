// Dates as Serbian writes them: the month in the genitive ("1. januara 2027."), which Intl's
// long format does not give (it writes "1. januar 2027."). The Serbian form ends with its own full
// stop: a sentence ending with a date adds none. English uses Intl ("1 January 2027").
import type { AppLocale } from './locale';

const MONTHS_LATN = ['januara', 'februara', 'marta', 'aprila', 'maja', 'juna', 'jula', 'avgusta', 'septembra', 'oktobra', 'novembra', 'decembra'];
const MONTHS_CYRL = ['јануара', 'фебруара', 'марта', 'априла', 'маја', 'јуна', 'јула', 'августа', 'септембра', 'октобра', 'новембра', 'децембра'];

function parse(iso: string | Date | null | undefined): Date | null {
  if (!iso) return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A long date in the locale: "1. januara 2027.", "1. јануара 2027.", "1 January 2027"; '' when invalid. */
export function longDate(iso: string | Date | null | undefined, locale: AppLocale, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  if (locale === 'en') return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone }).format(d);
  const parts = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric', timeZone }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const months = locale === 'sr-Cyrl' ? MONTHS_CYRL : MONTHS_LATN;
  return `${get('day')}. ${months[get('month') - 1]} ${get('year')}.`;
}

/** A long date with the time: "1. januara 2027. u 14:05", "1 January 2027 at 14:05". */
export function longDateTime(iso: string | Date | null | undefined, locale: AppLocale, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(d);
  const joiner = locale === 'en' ? ' at ' : locale === 'sr-Cyrl' ? ' у ' : ' u ';
  return longDate(d, locale, timeZone) + joiner + time;
}
