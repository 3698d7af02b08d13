// Texts of the reusable link's page (/pay/l/{token}) beyond the checkout's own dictionary, in the
// link page's chunk: all three languages at once, so they change with the checkout's language in
// the same render. Serbian Cyrillic is the Latin transliterated, as for the checkout's dictionary.
// Sentences name the payer's action, never the gender of the shop or the payer.
import { latinToCyrillic } from '@shared/translit';
import type { Lang } from './i18n';

export const linkEn = {
  'link.quantity': 'Quantity',
  'link.quantityHint': 'From {min} to {max}',
  'link.decrease': 'One less',
  'link.increase': 'One more',
  'link.amount': 'Amount ({currency})',
  'link.amountHint': 'Choose an amount from {min} to {max}.',
  'link.details': 'Your details',
  'link.detailsHint': 'The receipt goes to your e-mail address.',
  'link.name': 'Full name',
  'link.email': 'E-mail address',
  'link.phone': 'Phone',
  'link.address': 'Address',
  'link.optional': 'optional',
  'link.continue': 'Continue to payment',
  'link.continuing': 'Preparing your payment…',
  'link.termsRequired': 'Accept the payment terms to continue.',
  'link.error.required': 'Fill in “{field}”.',
  'link.error.email': 'Enter a valid e-mail address in “{field}”, for example {example}.',
  'link.error.phone': 'Enter a phone number in “{field}”, for example {example}.',
  'link.error.check': 'Check “{field}”.',
  'link.error.amountRequired': 'Enter the amount.',
  'link.error.amountInvalid': 'Enter the amount as a number, for example {example}.',
  'link.error.amountDecimals': 'Too many decimal places. Enter the amount like this: {example}.',
  'link.error.amountRange': 'The amount must be from {min} to {max}.',
  'link.error.quantity': 'The quantity must be from {min} to {max}.',
  'link.paused.title': 'This payment link is paused',
  'link.paused.text': 'Payments are on hold for now. Please try again later.',
  'link.ended.title': 'This payment link has ended',
  'link.ended.text': 'This link no longer takes payments.',
} as const;

export type LinkKey = keyof typeof linkEn;
export type LinkDictionary = Record<LinkKey, string>;

export const linkSrLatn: LinkDictionary = {
  'link.quantity': 'Količina',
  'link.quantityHint': 'Od {min} do {max}',
  'link.decrease': 'Jedan manje',
  'link.increase': 'Jedan više',
  'link.amount': 'Iznos ({currency})',
  'link.amountHint': 'Izaberite iznos od {min} do {max}.',
  'link.details': 'Vaši podaci',
  'link.detailsHint': 'Potvrda o plaćanju stiže na vašu e-adresu.',
  'link.name': 'Ime i prezime',
  'link.email': 'E-adresa',
  'link.phone': 'Telefon',
  'link.address': 'Adresa',
  'link.optional': 'nije obavezno',
  'link.continue': 'Nastavi na plaćanje',
  'link.continuing': 'Priprema plaćanja…',
  'link.termsRequired': 'Prihvatite uslove plaćanja da biste nastavili.',
  'link.error.required': 'Popunite polje „{field}“.',
  'link.error.email': 'Unesite ispravnu e-adresu u polje „{field}“, na primer {example}.',
  'link.error.phone': 'Unesite broj telefona u polje „{field}“, na primer {example}.',
  'link.error.check': 'Proverite polje „{field}“.',
  'link.error.amountRequired': 'Unesite iznos.',
  'link.error.amountInvalid': 'Unesite iznos kao broj, na primer {example}.',
  'link.error.amountDecimals': 'Previše decimala. Unesite iznos ovako: {example}.',
  'link.error.amountRange': 'Iznos mora biti od {min} do {max}.',
  'link.error.quantity': 'Količina mora biti od {min} do {max}.',
  'link.paused.title': 'Ovaj link za plaćanje je pauziran',
  'link.paused.text': 'Plaćanja su trenutno zaustavljena. Pokušajte ponovo kasnije.',
  'link.ended.title': 'Ovaj link za plaćanje je zatvoren',
  'link.ended.text': 'Preko ovog linka se više ne plaća.',
};

export const linkSrCyrl = Object.fromEntries(
  Object.entries(linkSrLatn).map(([key, text]) => [key, latinToCyrillic(text)]),
) as LinkDictionary;

export const LINK_TEXTS: Record<Lang, LinkDictionary> = { en: linkEn, 'sr-Latn': linkSrLatn, 'sr-Cyrl': linkSrCyrl };

/** The text for key in lang, with its {placeholders} filled in. */
export function linkText(lang: Lang, key: LinkKey, vars?: Record<string, string | number>): string {
  const text = LINK_TEXTS[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
