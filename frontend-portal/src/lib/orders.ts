// What the portal derives from invoices: valid actions, the timeline, CSV rows and dashboard figures.
import type { Invoice, InvoiceStatus, InvoiceSummary, Payment } from './models';
import { buildCsv, type CsvCell } from './csv';
import { toDecimalString } from '@shared/money';
import { href } from './routes';

/** Actions on a payment that its state allows; the server checks again and answers 409 otherwise. */
export function paymentActions(p: Payment): { capture: boolean; void: boolean; refund: boolean; refundable: number; capturable: number } {
  const capturable = p.status === 'authorized' ? Math.max(0, p.amount_authorized - p.amount_captured) : 0;
  const refundable =
    p.status === 'captured' || p.status === 'partially_refunded' ? Math.max(0, p.amount_captured - p.amount_refunded) : 0;
  return {
    capture: capturable > 0,
    void: p.status === 'authorized',
    refund: refundable > 0,
    capturable,
    refundable,
  };
}

/**
 * Whether the merchant is warned that an uncaptured authorisation is about to be voided automatically
 * (the server marks it once it is older than 7 days; only an authorisation still held can expire).
 */
export function authorizationExpiring(p: Pick<Payment, 'status' | 'authorization_expiring'>): boolean {
  return p.status === 'authorized' && p.authorization_expiring === true;
}

/**
 * The dashboard's notice about authorisations close to being voided automatically: how many there are and
 * the orders list that holds them (invoices waiting for capture); null when there are none.
 */
export function expiringNotice(summary: Pick<InvoiceSummary, 'authorizations_expiring'>): { count: number; href: string } | null {
  const count = summary.authorizations_expiring;
  // A server older than the field leaves it out; that reads as none.
  if (!(Number.isInteger(count) && count > 0)) return null;
  const status: InvoiceStatus = 'authorized';
  return { count, href: href('/invoices', { status }) };
}

/** Actions on an invoice itself: only an unpaid invoice can be cancelled, re-sent or given a new link. */
export function invoiceActions(inv: Invoice): { cancel: boolean; resend: boolean; remind: boolean; deactivateLink: boolean; newLink: boolean } {
  const unpaid = inv.status === 'open';
  // A partly paid invoice still takes parts through its link; having taken money, it cannot be cancelled.
  const payable = unpaid || inv.status === 'partially_paid';
  const linkActive = inv.link?.status === 'active';
  return {
    cancel: unpaid,
    resend: payable && linkActive && !!inv.customer?.email,
    remind: unpaid && linkActive && !!inv.customer?.email,
    deactivateLink: payable && linkActive,
    newLink: payable || inv.status === 'expired',
  };
}

/**
 * The parts of an invoice paid in parts, oldest first: each payment that took money with its number and
 * what was left to pay after it. Empty for an invoice that does not allow parts.
 */
export function invoiceParts(inv: Pick<Invoice, 'allow_partial' | 'amount_total' | 'payments'>): Map<string, { n: number; due: number }> {
  const out = new Map<string, { n: number; due: number }>();
  if (!inv.allow_partial) return out;
  const taken = (inv.payments ?? [])
    .filter((p) => p.amount_captured > 0)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  let paid = 0;
  taken.forEach((p, i) => {
    paid += p.amount_captured;
    out.set(p.id, { n: i + 1, due: Math.max(0, inv.amount_total - paid) });
  });
  return out;
}

export type TimelineEntry =
  | { at: string; kind: 'created' | 'paid' | 'cancelled' | 'expired' }
  | { at: string; kind: 'txn'; type: string; result: string; amount: number; currency: string; actor?: string }
  | { at: string; kind: 'refund'; status: string; amount: number; currency: string }
  | { at: string; kind: 'reminder'; rule: string };

/** The invoice's history, oldest first: creation, every transaction, refunds, payment and cancellation. */
export function buildTimeline(inv: Invoice): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: inv.created_at, kind: 'created' }];
  const txns = inv.transactions ?? inv.payments?.flatMap((p) => p.transactions ?? []) ?? [];
  for (const x of txns) {
    entries.push({ at: x.created_at, kind: 'txn', type: x.type, result: x.result, amount: x.amount, currency: x.currency, actor: x.actor });
  }
  // Refund transactions already show refunds; list refund objects only when the ledger has none for them.
  const hasRefundTxns = txns.some((x) => x.type === 'refund');
  if (!hasRefundTxns) {
    for (const r of inv.refunds ?? []) {
      entries.push({ at: r.created_at, kind: 'refund', status: r.status, amount: r.amount, currency: r.currency });
    }
  }
  for (const r of inv.reminders ?? []) entries.push({ at: r.created_at, kind: 'reminder', rule: r.rule });
  // A partly paid invoice's parts are its transactions; it is paid only once they reach the total.
  if (inv.paid_at && inv.status !== 'partially_paid') entries.push({ at: inv.paid_at, kind: 'paid' });
  if (inv.cancelled_at) entries.push({ at: inv.cancelled_at, kind: 'cancelled' });
  if (inv.status === 'expired' && inv.expires_at) entries.push({ at: inv.expires_at, kind: 'expired' });
  // A stable sort keeps same-second events in the order they were added.
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
}

/** The CSV columns, in order; headers are translated by the caller. */
export const csvColumns = [
  'number',
  'reference',
  'status',
  'customer_name',
  'customer_email',
  'customer_phone',
  'currency',
  'amount_total',
  'amount_paid',
  'amount_refunded',
  'description',
  'created_at',
  'paid_at',
  'id',
] as const;

export type CsvColumn = (typeof csvColumns)[number];

/** One CSV row per invoice; amounts in major units with a dot ("1234.56") so spreadsheets read them as numbers. */
export function invoiceCsv(invoices: Invoice[], header: (c: CsvColumn) => string, statusLabel: (s: InvoiceStatus) => string): string {
  const rows: CsvCell[][] = invoices.map((inv) => {
    const values: Record<CsvColumn, CsvCell> = {
      number: inv.number,
      reference: inv.reference ?? '',
      status: statusLabel(inv.status),
      customer_name: inv.customer?.name ?? '',
      customer_email: inv.customer?.email ?? '',
      customer_phone: inv.customer?.phone ?? '',
      currency: inv.currency,
      amount_total: toDecimalString(inv.amount_total, inv.currency),
      amount_paid: toDecimalString(inv.amount_paid ?? 0, inv.currency),
      amount_refunded: toDecimalString(inv.amount_refunded ?? 0, inv.currency),
      description: inv.description ?? '',
      created_at: inv.created_at,
      paid_at: inv.paid_at ?? '',
      id: inv.id,
    };
    return csvColumns.map((c) => values[c]);
  });
  return buildCsv(csvColumns.map(header), rows);
}

/** Local-date inputs ("2026-11-01") as the RFC 3339 bounds of those whole days. */
export function dayBounds(from: string, to: string): { created_gte?: string; created_lte?: string } {
  const out: { created_gte?: string; created_lte?: string } = {};
  if (/^\d{4}-\d{2}-\d{2}$/.test(from)) out.created_gte = new Date(`${from}T00:00:00`).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) out.created_lte = new Date(`${to}T23:59:59.999`).toISOString();
  return out;
}

/** The first moment of now's month in the browser's time zone, for the dashboard's "paid this month". */
export function monthStart(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), 1).toISOString();
}

/**
 * What the merchant's badge says about an invoice: its status, told more exactly where the status alone
 * would mislead. A paid invoice whose pre-authorisation was captured in part is "partially captured"; a
 * cancelled one whose authorisation was voided is "voided" (only known when its payments are loaded).
 */
export type DisplayStatus = InvoiceStatus | 'partially_captured' | 'voided';

export function displayStatus(inv: Pick<Invoice, 'status' | 'amount_total' | 'amount_paid' | 'payments'>): DisplayStatus {
  const paid = inv.amount_paid ?? 0;
  if (inv.status === 'paid' && paid > 0 && paid < inv.amount_total) return 'partially_captured';
  if (inv.status === 'cancelled' && (inv.payments ?? []).some((p) => p.status === 'voided')) return 'voided';
  return inv.status;
}

/**
 * The link's state as shown beside the invoice's: a link the payer used for an authorisation that was
 * later voided is "closed", not "completed", since nothing was paid through it.
 */
export function linkDisplayStatus(inv: Pick<Invoice, 'status' | 'link'>): string | null {
  const s = inv.link?.status;
  if (!s) return null;
  if (s === 'completed' && (inv.status === 'cancelled' || inv.status === 'expired')) return 'closed';
  return s;
}

/** The money an invoice really moved: what was collected (captured or transferred) and refunded. */
export function moneyFacts(inv: Pick<Invoice, 'status' | 'amount_total' | 'amount_paid' | 'amount_refunded'>): {
  total: number;
  collected: number;
  refunded: number;
  /** Whether collected differs from the total, so both must be shown. */
  partial: boolean;
} {
  const collected = inv.amount_paid ?? 0;
  const refunded = inv.amount_refunded ?? 0;
  return { total: inv.amount_total, collected, refunded, partial: collected > 0 && collected !== inv.amount_total };
}
