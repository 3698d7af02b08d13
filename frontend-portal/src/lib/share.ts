// Share shortcuts for a payment link: each opens the app with a message already written. The message
// is for the payer, so it is written in the invoice's language (the payer's), whatever language the
// merchant's portal is shown in.
import { formatMoney } from '@shared/money';
import { latinToCyrillic } from '@shared/translit';
import type { Locale } from './models';

export type ShareLinks = { sms: string; whatsapp: string; viber: string; email: string };

export function shareLinks(message: string, subject: string, to: { phone?: string; email?: string } = {}): ShareLinks {
  const m = encodeURIComponent(message);
  const phone = (to.phone ?? '').replace(/[^\d+]/g, '');
  return {
    // "?&body=" is read by both Android and iOS messaging apps.
    sms: `sms:${phone}?&body=${m}`,
    whatsapp: `https://wa.me/?text=${m}`,
    viber: `viber://forward?text=${m}`,
    email: `mailto:${encodeURIComponent(to.email ?? '')}?subject=${encodeURIComponent(subject)}&body=${m}`,
  };
}

// The payer's message in each language; the sentences do not depend on the payer's or the shop's gender.
const payerTexts = {
  en: {
    message: 'Hello {name}, you can pay {amount} to {merchant} here: {url}',
    subject: 'Payment request from {merchant}',
  },
  'sr-Latn': {
    message: 'Dobar dan, {name}! Iznos od {amount} za {merchant} možete platiti ovde: {url}',
    subject: 'Zahtev za plaćanje – {merchant}',
  },
} as const;

const intlOf: Record<Locale, string> = { 'sr-Latn': 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS', en: 'en-GB' };

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, k: string) => vars[k] ?? whole);
}

/** The share message and e-mail subject in the payer's language, with the amount written the payer's way. */
export function payerMessage(
  locale: Locale,
  v: { name: string; amount: number; currency: string; merchant: string; url: string },
): { message: string; subject: string } {
  const texts = locale === 'en' ? payerTexts.en : payerTexts['sr-Latn'];
  // The template is transliterated before the values go in, so names and the link keep their own script.
  const script = (s: string) => (locale === 'sr-Cyrl' ? latinToCyrillic(s) : s);
  const vars = { name: v.name, amount: formatMoney(v.amount, v.currency, intlOf[locale]), merchant: v.merchant, url: v.url };
  return { message: fill(script(texts.message), vars), subject: fill(script(texts.subject), vars) };
}

// A reusable link goes to anyone, so its message names no payer and no amount (the payer may choose it).
const linkTexts = {
  en: {
    message: '{title} from {merchant}: you can pay here: {url}',
    subject: '{title} – {merchant}',
  },
  'sr-Latn': {
    message: '{title} – {merchant}. Platiti možete ovde: {url}',
    subject: '{title} – {merchant}',
  },
} as const;

/** The share message of a reusable payment link, in the link's language. */
export function linkMessage(locale: Locale, v: { title: string; merchant: string; url: string }): { message: string; subject: string } {
  const texts = locale === 'en' ? linkTexts.en : linkTexts['sr-Latn'];
  const script = (s: string) => (locale === 'sr-Cyrl' ? latinToCyrillic(s) : s);
  return { message: fill(script(texts.message), v), subject: fill(script(texts.subject), v) };
}
