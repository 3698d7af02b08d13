// Formatting for people in the chosen language: money, dates and ages.
import { i18n, t } from './i18n/index.svelte';
import { formatMoney } from '@shared/money';
import { serbianDate, serbianDateTime } from './dates';

export function money(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return t('app.none');
  return formatMoney(minor, currency, i18n.intl);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return t('app.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (i18n.locale !== 'en') return serbianDateTime(d, i18n.locale === 'sr-Cyrl');
  return new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function date(iso: string | null | undefined): string {
  if (!iso) return t('app.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (i18n.locale !== 'en') return serbianDate(d, i18n.locale === 'sr-Cyrl');
  return new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'medium' }).format(d);
}

/** How long ago a time was, in the largest whole unit (minutes, hours, days). */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60000));
  if (minutes < 60) return t('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { n: hours });
  return t('age.days', { n: Math.floor(hours / 24) });
}
