// A reusable payment link as the payer sees it (GET /checkout-links/{token}) and the rules of its
// form: the quantity within the link's limits, a chosen amount within min and max (read with the
// currency table's decimals), the fields the link collects, and the body of the order it creates.
// Pure functions, tested in paylink.test.ts; LinkPage.svelte only shows them.
import { parseAmount } from '@shared/money';
import type { ApiError } from './api';

/** One fixed line of a link (amounts in minor units, VAT included; vat_rate in percent). */
export interface LinkLine {
  description: string;
  quantity: number;
  unit_amount: number;
  vat_rate: number;
  amount_total: number;
  amount_vat: number;
}

export interface LinkCustomField {
  key: string;
  label: string;
  required?: boolean;
}

export type Availability = 'open' | 'paused' | 'ended' | 'expired' | 'sold_out';

/** What the form reads of a link (GET /checkout-links/{token} gives more). */
export interface LinkCheckout {
  title: string;
  description?: string;
  currency: string;
  pricing: 'fixed' | 'custom';
  lines?: LinkLine[] | null;
  adjustable_quantity?: { enabled: boolean; min: number; max: number } | null;
  amount_min?: number;
  amount_max?: number;
  amount_suggested?: number;
  collect?: { name?: boolean; email?: boolean; phone?: boolean; address?: boolean } | null;
  custom_fields?: LinkCustomField[] | null;
  availability: Availability;
  livemode: boolean;
}

/** What the payer typed; the amount as text in the language's own notation. */
export interface LinkForm {
  quantity: number;
  amount: string;
  name: string;
  email: string;
  phone: string;
  address: string;
  custom: Record<string, string>;
}

/** A field of the form, named as the API names it in a 400 answer's `param`. */
export type FieldKey = 'quantity' | 'amount' | 'customer.name' | 'customer.email' | 'customer.phone' | 'customer.address' | `custom_fields.${string}`;

/** Why a field is refused; the page turns it into a sentence naming the field. */
export type Problem =
  | { kind: 'required' }
  | { kind: 'invalid' }
  | { kind: 'decimals' }
  | { kind: 'range'; min: number; max: number };

export type Problems = Partial<Record<FieldKey, Problem>>;

/** The quantity limits when the payer may change the quantity, else null (the lines as they are). */
export function quantityRange(link: LinkCheckout): { min: number; max: number } | null {
  const q = link.adjustable_quantity;
  if (link.pricing !== 'fixed' || !q?.enabled) return null;
  const min = Math.max(1, Math.trunc(q.min || 1));
  return { min, max: Math.max(min, Math.trunc(q.max || min)) };
}

/** A quantity brought into the link's limits: a whole number, the minimum when the text is not one. */
export function clampQuantity(value: number, range: { min: number; max: number } | null): number {
  if (!range) return 1;
  if (!Number.isFinite(value)) return range.min;
  return Math.min(range.max, Math.max(range.min, Math.trunc(value)));
}

/** The quantity typed in the stepper's box: digits only, else null. */
export function readQuantity(text: string): number | null {
  const s = text.trim();
  return /^\d{1,7}$/.test(s) ? Number(s) : null;
}

/** The VAT inside a line's total, rounded half up, as the server computes it (rate in percent). */
export function lineVAT(total: number, ratePercent: number): number {
  const bp = BigInt(Math.round(ratePercent * 100));
  if (bp === 0n) return 0;
  const num = BigInt(total) * bp;
  const den = 10000n + bp;
  return Number((2n * num + den) / (2n * den));
}

/** The link's lines with the payer's quantity applied: what the order will list. */
export function scaledLines(link: LinkCheckout, quantity: number): LinkLine[] {
  const q = quantityRange(link) ? quantity : 1;
  return (link.lines ?? []).map((l) => {
    const qty = l.quantity * q;
    const total = qty * l.unit_amount;
    return { ...l, quantity: qty, amount_total: total, amount_vat: lineVAT(total, l.vat_rate) };
  });
}

/** Total and VAT of a fixed link at a quantity. */
export function fixedTotals(link: LinkCheckout, quantity: number): { total: number; vat: number } {
  let total = 0;
  let vat = 0;
  for (const l of scaledLines(link, quantity)) {
    total += l.amount_total;
    vat += l.amount_vat;
  }
  return { total, vat };
}

/** The bounds of a chosen amount (minor units). */
export function amountRange(link: LinkCheckout): { min: number; max: number } {
  const min = Math.max(1, link.amount_min ?? 1);
  return { min, max: Math.max(min, link.amount_max ?? min) };
}

/** The amount first shown in the field: the suggested one when it lies within the bounds, else none. */
export function initialAmount(link: LinkCheckout): number | null {
  const s = link.amount_suggested ?? 0;
  const { min, max } = amountRange(link);
  return s >= min && s <= max ? s : null;
}

/** Reads a chosen amount typed in major units with the language's decimal mark. */
export function readAmount(
  text: string,
  link: LinkCheckout,
  mark: ',' | '.',
): { ok: true; minor: number } | { ok: false; problem: Problem } {
  const range = amountRange(link);
  const r = parseAmount(text, link.currency, mark);
  if (!r.ok) {
    if (r.reason === 'empty') return { ok: false, problem: { kind: 'required' } };
    if (r.reason === 'too_many_decimals') return { ok: false, problem: { kind: 'decimals' } };
    if (r.reason === 'too_large') return { ok: false, problem: { kind: 'range', ...range } };
    return { ok: false, problem: { kind: 'invalid' } };
  }
  if (r.minor < range.min || r.minor > range.max) return { ok: false, problem: { kind: 'range', ...range } };
  return { ok: true, minor: r.minor };
}

/** The fields the link asks for, in the order the form shows them; e-mail always (the receipt goes there). */
export function collectedFields(link: LinkCheckout): FieldKey[] {
  const c = link.collect ?? {};
  const out: FieldKey[] = [];
  if (c.name) out.push('customer.name');
  out.push('customer.email');
  if (c.phone) out.push('customer.phone');
  if (c.address) out.push('customer.address');
  for (const f of link.custom_fields ?? []) out.push(`custom_fields.${f.key}`);
  return out;
}

/** Length limits of the text fields, as the API checks them. */
export const MAX_LENGTH: Record<'customer.name' | 'customer.email' | 'customer.phone' | 'customer.address' | 'custom', number> = {
  'customer.name': 200,
  'customer.email': 254,
  'customer.phone': 30,
  'customer.address': 500,
  custom: 500,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Whether a phone number has the shape the API takes: 6 to 15 digits, an optional leading +, common separators. */
export function validPhone(v: string): boolean {
  if (v.length > MAX_LENGTH['customer.phone']) return false;
  let digits = 0;
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch >= '0' && ch <= '9') digits++;
    else if (!((ch === '+' && i === 0) || ' -()/.'.includes(ch))) return false;
  }
  return digits >= 6 && digits <= 15;
}

function textValue(form: LinkForm, key: FieldKey): string {
  switch (key) {
    case 'customer.name':
      return form.name;
    case 'customer.email':
      return form.email;
    case 'customer.phone':
      return form.phone;
    case 'customer.address':
      return form.address;
    default:
      return key.startsWith('custom_fields.') ? (form.custom[key.slice('custom_fields.'.length)] ?? '') : '';
  }
}

/** Every problem of the form, by field; empty when it can be sent. */
export function validate(link: LinkCheckout, form: LinkForm, mark: ',' | '.'): Problems {
  const out: Problems = {};
  const qr = quantityRange(link);
  if (qr && (!Number.isInteger(form.quantity) || form.quantity < qr.min || form.quantity > qr.max)) {
    out.quantity = { kind: 'range', ...qr };
  }
  if (link.pricing === 'custom') {
    const a = readAmount(form.amount, link, mark);
    if (!a.ok) out.amount = a.problem;
  }
  const required = new Set<FieldKey>(['customer.email']);
  if (link.collect?.name) required.add('customer.name');
  if (link.collect?.phone) required.add('customer.phone');
  if (link.collect?.address) required.add('customer.address');
  for (const f of link.custom_fields ?? []) if (f.required) required.add(`custom_fields.${f.key}`);
  for (const key of collectedFields(link)) {
    const v = textValue(form, key).trim();
    if (v === '') {
      if (required.has(key)) out[key] = { kind: 'required' };
    } else if (key === 'customer.email' && (!EMAIL.test(v) || v.length > MAX_LENGTH['customer.email'])) {
      out[key] = { kind: 'invalid' };
    } else if (key === 'customer.phone' && !validPhone(v)) {
      out[key] = { kind: 'invalid' };
    }
  }
  return out;
}

/** The body of POST /checkout-links/{token}/orders, from a form that validate() accepted. */
export interface OrderBody {
  amount?: number;
  quantity?: number;
  customer: { name?: string; email: string; phone?: string; address?: string };
  custom_fields?: Record<string, string>;
  locale: 'sr-Latn' | 'sr-Cyrl' | 'en';
}

export function orderBody(link: LinkCheckout, form: LinkForm, mark: ',' | '.', locale: OrderBody['locale']): OrderBody {
  const c = link.collect ?? {};
  const customer: OrderBody['customer'] = { email: form.email.trim() };
  if (c.name && form.name.trim()) customer.name = form.name.trim();
  if (c.phone && form.phone.trim()) customer.phone = form.phone.trim();
  if (c.address && form.address.trim()) customer.address = form.address.trim();
  const body: OrderBody = { customer, locale };
  const qr = quantityRange(link);
  if (qr) body.quantity = clampQuantity(form.quantity, qr);
  if (link.pricing === 'custom') {
    const a = readAmount(form.amount, link, mark);
    if (a.ok) body.amount = a.minor;
  }
  const custom: Record<string, string> = {};
  for (const f of link.custom_fields ?? []) {
    const v = (form.custom[f.key] ?? '').trim();
    if (v) custom[f.key] = v;
  }
  if (Object.keys(custom).length > 0) body.custom_fields = custom;
  return body;
}

/**
 * The form field a 400 answer names, or null for one the form does not show. The API names fields as
 * the body has them: customer.email, amount, quantity, custom_fields.size (or custom_fields[size]).
 */
export function fieldOfParam(link: LinkCheckout, param: string | undefined): FieldKey | null {
  if (!param) return null;
  const shown = new Set<FieldKey>(collectedFields(link));
  if (link.pricing === 'custom') shown.add('amount');
  if (quantityRange(link)) shown.add('quantity');
  const custom = /^custom_fields(?:\.|\[["']?)([a-z0-9_]+)/.exec(param);
  const key = (custom ? `custom_fields.${custom[1]}` : param) as FieldKey;
  return shown.has(key) ? key : null;
}

/** What a refused order says about the link: its availability, or null when the refusal is about something else. */
export function availabilityOfError(e: Pick<ApiError, 'status' | 'code'>): Exclude<Availability, 'open'> | null {
  if (e.status !== 409 && e.status !== 410) return null;
  switch (e.code) {
    case 'link_paused':
      return 'paused';
    case 'link_ended':
      return 'ended';
    case 'link_expired':
      return 'expired';
    case 'link_sold_out':
      return 'sold_out';
  }
  return null;
}

/** The link token of /pay/l/{token}, or '' when the path is not a link's. */
export function linkTokenFromPath(path: string): string {
  const m = /^\/pay\/l\/([^/?#]+)\/?$/.exec(path);
  if (!m) return '';
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return '';
  }
}
