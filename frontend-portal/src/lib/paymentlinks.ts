// Reusable payment links: the new-link form into the API's request body, and how a link's price and
// availability are told. Pure functions, so they are unit-tested; the server checks every rule again.
import { exponentOf, parseAmount, type ParseResult } from '@shared/money';
import type { MessageKey } from './i18n/en';
import { lineTotal } from './lines';
import type { CaptureMode, CreatePaymentLinkRequest, Locale, PaymentLink, UpdatePaymentLinkRequest } from './models';

export type LinkLineForm = { key: number; description: string; quantity: string; price: string; vat: string };
export type CustomFieldForm = { key: number; label: string; name: string; required: boolean };

/** The new-link form as typed: every number still text, parsed only here. */
export type LinkForm = {
  title: string;
  description: string;
  pricing: 'fixed' | 'custom';
  lines: LinkLineForm[];
  adjustable: boolean;
  qtyMin: string;
  qtyMax: string;
  amountMin: string;
  amountMax: string;
  amountSuggested: string;
  currency: string;
  locale: Locale;
  captureMode: CaptureMode;
  maxPayments: string;
  /** A datetime-local value, or empty. */
  expires: string;
  collectName: boolean;
  collectPhone: boolean;
  collectAddress: boolean;
  customFields: CustomFieldForm[];
  successUrl: string;
  cancelUrl: string;
};

/** A message for a field, with what fills it in. */
export type FieldError = { key: MessageKey; vars?: Record<string, string | number> };

export const maxLines = 20;
export const maxCustomFields = 3;
export const maxQuantity = 1000;

const wholeNumber = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** The words for an amount that did not parse. */
export function amountError(r: ParseResult, currency: string): FieldError | null {
  if (r.ok) return r.minor < 1 ? { key: 'new.err_amount' } : null;
  switch (r.reason) {
    case 'empty':
      return { key: 'new.err_required' };
    case 'too_many_decimals':
      return { key: 'new.err_decimals', vars: { n: exponentOf(currency) } };
    case 'too_large':
      return { key: 'new.err_too_large' };
    default:
      return { key: 'new.err_amount' };
  }
}

/** The server's rule for return URLs, checked early: https, or http on this machine. */
export function returnUrlOk(v: string): boolean {
  try {
    const u = new URL(v);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    return (u.protocol === 'https:' || (u.protocol === 'http:' && local)) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** A custom field's key made from its label: lower-case ASCII letters, digits and "_", at most 40. */
export function fieldKey(label: string): string {
  const ascii = label
    .toLowerCase()
    .replace(/đ/g, 'dj')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40).replace(/_+$/, '');
}

export const customFieldKeyPattern = /^[a-z0-9_]{1,40}$/;

/**
 * The form's errors by field name ("title", "price-3", "cf-label-1"…) and the request it makes when
 * there are none. `now` decides whether the end date lies in the future.
 */
export function checkLinkForm(
  f: LinkForm,
  decimalSeparator: ',' | '.',
  now = Date.now(),
): { errors: Record<string, FieldError>; body: CreatePaymentLinkRequest } {
  const e: Record<string, FieldError> = {};
  const title = f.title.trim();
  if (!title) e.title = { key: 'new.err_required' };
  else if ([...title].length > 200) e.title = { key: 'plink.err_too_long', vars: { n: 200 } };
  const description = f.description.trim();
  if ([...description].length > 1000) e.description = { key: 'plink.err_too_long', vars: { n: 1000 } };

  const body: CreatePaymentLinkRequest = { title, currency: f.currency, pricing: f.pricing, locale: f.locale, capture_mode: f.captureMode };
  if (description) body.description = description;

  if (f.pricing === 'fixed') {
    const lines: NonNullable<CreatePaymentLinkRequest['lines']> = [];
    if (f.lines.length === 0) e.lines = { key: 'plink.err_no_lines' };
    if (f.lines.length > maxLines) e.lines = { key: 'plink.err_too_many_lines', vars: { n: maxLines } };
    for (const l of f.lines) {
      if (!l.description.trim()) e[`desc-${l.key}`] = { key: 'new.err_required' };
      const qty = wholeNumber(l.quantity);
      if (!Number.isSafeInteger(qty) || qty < 1) e[`qty-${l.key}`] = { key: 'new.err_quantity' };
      const price = parseAmount(l.price, f.currency, decimalSeparator);
      const pe = amountError(price, f.currency);
      if (pe) e[`price-${l.key}`] = pe;
      if (price.ok && Number.isSafeInteger(qty)) {
        lines.push({ description: l.description.trim(), quantity: qty, unit_amount: price.minor, vat_rate: Number(l.vat) });
      }
    }
    body.lines = lines;
    if (f.adjustable) {
      const min = wholeNumber(f.qtyMin);
      const max = wholeNumber(f.qtyMax);
      if (!Number.isSafeInteger(min) || min < 1) e.qtyMin = { key: 'new.err_quantity' };
      if (!Number.isSafeInteger(max) || max < 1 || max > maxQuantity) e.qtyMax = { key: 'plink.err_qty_max', vars: { n: maxQuantity } };
      else if (Number.isSafeInteger(min) && max < min) e.qtyMax = { key: 'plink.err_max_below_min' };
      body.adjustable_quantity = { enabled: true, min, max };
    }
  } else {
    const min = parseAmount(f.amountMin, f.currency, decimalSeparator);
    const max = parseAmount(f.amountMax, f.currency, decimalSeparator);
    const me = amountError(min, f.currency);
    if (me) e.amountMin = me;
    const xe = amountError(max, f.currency);
    if (xe) e.amountMax = xe;
    else if (min.ok && max.ok && max.minor < min.minor) e.amountMax = { key: 'plink.err_max_below_min' };
    if (min.ok) body.amount_min = min.minor;
    if (max.ok) body.amount_max = max.minor;
    if (f.amountSuggested.trim()) {
      const s = parseAmount(f.amountSuggested, f.currency, decimalSeparator);
      const se = amountError(s, f.currency);
      if (se) e.amountSuggested = se;
      else if (s.ok && ((min.ok && s.minor < min.minor) || (max.ok && s.minor > max.minor))) e.amountSuggested = { key: 'plink.err_suggested' };
      else if (s.ok) body.amount_suggested = s.minor;
    }
  }

  if (f.maxPayments.trim()) {
    const n = wholeNumber(f.maxPayments);
    if (!Number.isSafeInteger(n) || n < 1) e.maxPayments = { key: 'new.err_quantity' };
    else body.max_payments = n;
  }
  if (f.expires) {
    const d = new Date(f.expires);
    if (Number.isNaN(d.getTime()) || d.getTime() <= now) e.expires = { key: 'new.err_expiry' };
    else body.expires_at = d.toISOString();
  }

  // E-mail is always asked: the receipt goes there.
  body.collect = { name: f.collectName, email: true, phone: f.collectPhone, address: f.collectAddress };

  if (f.customFields.length > maxCustomFields) e.customFields = { key: 'plink.err_too_many_fields', vars: { n: maxCustomFields } };
  const seen = new Set<string>();
  const fields: NonNullable<CreatePaymentLinkRequest['custom_fields']> = [];
  for (const [i, c] of f.customFields.entries()) {
    const label = c.label.trim();
    if (!label) e[`cf-label-${c.key}`] = { key: 'new.err_required' };
    else if ([...label].length > 100) e[`cf-label-${c.key}`] = { key: 'plink.err_too_long', vars: { n: 100 } };
    const name = c.name.trim() || fieldKey(label) || `field_${i + 1}`;
    if (!customFieldKeyPattern.test(name)) e[`cf-name-${c.key}`] = { key: 'plink.err_field_key' };
    else if (seen.has(name)) e[`cf-name-${c.key}`] = { key: 'plink.err_field_key_taken' };
    seen.add(name);
    fields.push({ key: name, label, required: c.required });
  }
  body.custom_fields = fields;

  for (const [k, v] of [['success_url', f.successUrl], ['cancel_url', f.cancelUrl]] as const) {
    if (v.trim() && !returnUrlOk(v.trim())) e[k] = { key: 'new.err_url' };
    else if (v.trim()) body[k] = v.trim();
  }
  return { errors: e, body };
}

/** Where the server's field name ("amount_max", "custom_fields[1].key", "lines[0].unit_amount") is on the form. */
export function formFieldOf(param: string, f: Pick<LinkForm, 'lines' | 'customFields'>): string | null {
  const direct: Record<string, string> = {
    title: 'title',
    description: 'description',
    amount_min: 'amountMin',
    amount_max: 'amountMax',
    amount_suggested: 'amountSuggested',
    max_payments: 'maxPayments',
    expires_at: 'expires',
    success_url: 'success_url',
    cancel_url: 'cancel_url',
    'adjustable_quantity.min': 'qtyMin',
    'adjustable_quantity.max': 'qtyMax',
  };
  if (param in direct) return direct[param];
  const line = /^lines\[(\d+)\]\.(description|quantity|unit_amount)$/.exec(param);
  if (line) {
    const l = f.lines[Number(line[1])];
    if (!l) return null;
    return `${{ description: 'desc', quantity: 'qty', unit_amount: 'price' }[line[2] as 'description']}-${l.key}`;
  }
  const cf = /^custom_fields\[(\d+)\]\.(key|label)$/.exec(param);
  if (cf) {
    const c = f.customFields[Number(cf[1])];
    if (!c) return null;
    return `cf-${cf[2] === 'key' ? 'name' : 'label'}-${c.key}`;
  }
  return null;
}

/** What a fixed-price link costs for one quantity: the sum of its lines. */
export function fixedTotal(lines: { quantity: number; unit_amount: number; amount_total?: number }[]): number {
  let total = 0;
  for (const l of lines) total += l.amount_total ?? lineTotal(l.quantity, l.unit_amount);
  return total;
}

export type Price = { kind: 'fixed'; total: number } | { kind: 'range'; min: number; max: number };

/** A link's price as the list and the detail page tell it. */
export function priceOf(link: Pick<PaymentLink, 'pricing' | 'lines' | 'amount_min' | 'amount_max'>): Price {
  if (link.pricing === 'custom') return { kind: 'range', min: link.amount_min ?? 0, max: link.amount_max ?? 0 };
  return { kind: 'fixed', total: fixedTotal(link.lines ?? []) };
}

/** What the merchant may do with a link now: pause an active one, resume a paused one, end any but an ended one. */
export function linkActions(link: Pick<PaymentLink, 'status'>): { pause: boolean; resume: boolean; end: boolean } {
  switch (link.status) {
    case 'active':
      return { pause: true, resume: false, end: true };
    case 'paused':
      return { pause: false, resume: true, end: true };
    case 'ended':
      return { pause: false, resume: false, end: false };
  }
}

export const availabilities = ['open', 'paused', 'ended', 'expired', 'sold_out'] as const;
export const linkStatuses = ['active', 'paused', 'ended'] as const;

/** The edit form of a link that is not ended: what may change after it was made. */
export type LinkEditForm = { title: string; description: string; maxPayments: string; expires: string };

/** A datetime-local value ("2026-12-31T23:00") for an instant, in this browser's time zone. */
export function localDateTimeValue(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The edit form filled in with the link as it is now. */
export function editFormOf(link: Pick<PaymentLink, 'title' | 'description' | 'max_payments' | 'expires_at'>): LinkEditForm {
  return {
    title: link.title,
    description: link.description ?? '',
    maxPayments: link.max_payments ? String(link.max_payments) : '',
    expires: link.expires_at ? localDateTimeValue(link.expires_at) : '',
  };
}

export const maxPaymentsLimit = 1_000_000;

/**
 * The edit form's errors by field name and the PATCH body with only what changed against `was`:
 * an emptied maximum is sent as 0 and an emptied end date as "", which remove them. An end date left
 * as it was is not checked against `now`, so an expired link can still be renamed.
 */
export function checkEditForm(
  f: LinkEditForm,
  was: LinkEditForm,
  now = Date.now(),
): { errors: Record<string, FieldError>; body: UpdatePaymentLinkRequest } {
  const e: Record<string, FieldError> = {};
  const body: UpdatePaymentLinkRequest = {};
  const title = f.title.trim();
  if (!title) e.title = { key: 'new.err_required' };
  else if ([...title].length > 200) e.title = { key: 'plink.err_too_long', vars: { n: 200 } };
  else if (title !== was.title) body.title = title;
  const description = f.description.trim();
  if ([...description].length > 1000) e.description = { key: 'plink.err_too_long', vars: { n: 1000 } };
  else if (description !== was.description.trim()) body.description = description;

  const max = f.maxPayments.trim();
  if (max) {
    const n = wholeNumber(max);
    if (!Number.isSafeInteger(n) || n < 1 || n > maxPaymentsLimit) e.maxPayments = { key: 'plink.err_max_payments', vars: { n: maxPaymentsLimit } };
    else if (String(n) !== was.maxPayments) body.max_payments = n;
  } else if (was.maxPayments) body.max_payments = 0;

  if (f.expires !== was.expires) {
    if (!f.expires) body.expires_at = '';
    else {
      const d = new Date(f.expires);
      if (Number.isNaN(d.getTime()) || d.getTime() <= now) e.expires = { key: 'new.err_expiry' };
      else body.expires_at = d.toISOString();
    }
  }
  return { errors: e, body };
}

/** Where the server's field name is on the edit form. */
export function editFieldOf(param: string): keyof LinkEditForm | null {
  const m: Record<string, keyof LinkEditForm> = { title: 'title', description: 'description', max_payments: 'maxPayments', expires_at: 'expires' };
  return m[param] ?? null;
}
