// Serbian dates the way Serbian is written: the day with a full stop, the month in the genitive
// ("1. januara 2027.", "1. јануара 2027."), where Intl gives the nominative ("1. januar 2027.").
import { latinToCyrillic } from '@shared/translit';

const genitiveLatin = ['januara', 'februara', 'marta', 'aprila', 'maja', 'juna', 'jula', 'avgusta', 'septembra', 'oktobra', 'novembra', 'decembra'];
const genitiveCyrillic = genitiveLatin.map(latinToCyrillic);

/** "1. januara 2027." (Latin) or "1. јануара 2027." (Cyrillic), in the browser's time zone. */
export function serbianDate(d: Date, cyrillic: boolean): string {
  const months = cyrillic ? genitiveCyrillic : genitiveLatin;
  return `${d.getDate()}. ${months[d.getMonth()]} ${d.getFullYear()}.`;
}

/** "1. januara 2027. 09:05": the date, then the 24-hour time. */
export function serbianDateTime(d: Date, cyrillic: boolean): string {
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${serbianDate(d, cyrillic)} ${hh}:${mm}`;
}

/**
 * Joins a filled-in value to the text after it without doubling a full stop: a date ends with one, so
 * "valid until {date}." must not become "… 2027..".
 */
export function noDoubleStop(value: string, next: string): string {
  return value.endsWith('.') && next.startsWith('.') && !next.startsWith('..') ? value.slice(0, -1) : value;
}
