import { describe, expect, it } from 'vitest';
import type { Invoice, InvoiceSummary, Link, Payment, Refund, Transaction } from './models';
import { parseCsv } from './csv';
import { authorizationExpiring, buildTimeline, dayBounds, displayStatus, expiringNotice, invoiceActions, invoiceCsv, invoiceParts, linkDisplayStatus, moneyFacts, monthStart, paymentActions } from './orders';

// Fixtures carry only the fields a test needs, as the API omits empty ones.
const txn = (o: Partial<Transaction>) => o as Transaction;
const refund = (o: Partial<Refund>) => o as Refund;
const link = (o: Partial<Link>) => o as Link;

const invoice = (over: Partial<Invoice> = {}): Invoice => ({
  id: 'inv_1',
  number: 'INV-000001',
  status: 'open',
  customer: { name: 'Ana Anić', email: 'ana@example.com' },
  currency: 'RSD',
  amount_total: 240000,
  amount_paid: 0,
  amount_refunded: 0,
  lines: [],
  capture_mode: 'automatic',
  locale: 'sr-Latn',
  created_at: '2026-11-01T10:00:00Z',
  link: link({ id: 'lnk_1', token: 't', url: 'http://x/pay/t', status: 'active' }),
  ...over,
}) as Invoice;

const payment = (over: Partial<Payment> = {}): Payment => ({
  id: 'pay_1',
  invoice_id: 'inv_1',
  status: 'authorized',
  amount: 1000,
  currency: 'RSD',
  amount_authorized: 1000,
  amount_captured: 0,
  amount_refunded: 0,
  capture_mode: 'manual',
  created_at: '2026-11-01T10:00:00Z',
  ...over,
}) as Payment;

describe('paymentActions', () => {
  const cases: [Partial<Payment>, { capture: boolean; void: boolean; refund: boolean; capturable: number; refundable: number }][] = [
    [{ status: 'authorized' }, { capture: true, void: true, refund: false, capturable: 1000, refundable: 0 }],
    [{ status: 'captured', amount_captured: 1000 }, { capture: false, void: false, refund: true, capturable: 0, refundable: 1000 }],
    [{ status: 'partially_refunded', amount_captured: 1000, amount_refunded: 400 }, { capture: false, void: false, refund: true, capturable: 0, refundable: 600 }],
    [{ status: 'refunded', amount_captured: 1000, amount_refunded: 1000 }, { capture: false, void: false, refund: false, capturable: 0, refundable: 0 }],
    [{ status: 'voided' }, { capture: false, void: false, refund: false, capturable: 0, refundable: 0 }],
    [{ status: 'failed', amount_authorized: 0 }, { capture: false, void: false, refund: false, capturable: 0, refundable: 0 }],
    [{ status: 'requires_action', amount_authorized: 0 }, { capture: false, void: false, refund: false, capturable: 0, refundable: 0 }],
  ];
  for (const [over, want] of cases) {
    it(over.status!, () => expect(paymentActions(payment(over))).toEqual(want));
  }
});

describe('authorizationExpiring', () => {
  it('warns about an authorisation the server marks as expiring', () => {
    expect(authorizationExpiring(payment({ authorization_expiring: true, authorization_expires_at: '2026-11-11T10:00:00Z' }))).toBe(true);
  });
  it('does not warn about a fresh authorisation', () => {
    expect(authorizationExpiring(payment({ authorization_expiring: false }))).toBe(false);
    expect(authorizationExpiring(payment())).toBe(false);
  });
  it('does not warn once the authorisation is captured or voided', () => {
    expect(authorizationExpiring(payment({ status: 'captured', amount_captured: 1000, authorization_expiring: true }))).toBe(false);
    expect(authorizationExpiring(payment({ status: 'voided', authorization_expiring: true }))).toBe(false);
  });
});

describe('expiringNotice', () => {
  const summary = (n: unknown) => ({ authorizations_expiring: n }) as InvoiceSummary;
  it('counts the expiring authorisations and links to the orders waiting for capture', () => {
    expect(expiringNotice(summary(3))).toEqual({ count: 3, href: '/portal/invoices?status=authorized' });
    expect(expiringNotice(summary(1))).toEqual({ count: 1, href: '/portal/invoices?status=authorized' });
  });
  it('is not shown when none is expiring or the server does not say', () => {
    expect(expiringNotice(summary(0))).toBeNull();
    expect(expiringNotice(summary(undefined))).toBeNull();
    expect(expiringNotice(summary(null))).toBeNull();
    expect(expiringNotice({} as InvoiceSummary)).toBeNull();
  });
});

describe('invoiceActions', () => {
  it('offers cancel, resend, remind and link changes only while open', () => {
    expect(invoiceActions(invoice())).toEqual({ cancel: true, resend: true, remind: true, deactivateLink: true, newLink: true });
    expect(invoiceActions(invoice({ status: 'paid', link: link({ id: 'l', token: 't', url: 'u', status: 'completed' }) }))).toEqual({
      cancel: false,
      resend: false,
      remind: false,
      deactivateLink: false,
      newLink: false,
    });
    expect(invoiceActions(invoice({ link: link({ id: 'l', token: 't', url: 'u', status: 'deactivated' }) })).resend).toBe(false);
    expect(invoiceActions(invoice({ link: link({ id: 'l', token: 't', url: 'u', status: 'deactivated' }) })).remind).toBe(false);
    expect(invoiceActions(invoice({ status: 'expired' })).newLink).toBe(true);
  });

  it('keeps a partly paid invoice payable but not cancellable', () => {
    expect(invoiceActions(invoice({ status: 'partially_paid' }))).toEqual({ cancel: false, resend: true, remind: false, deactivateLink: true, newLink: true });
  });
});

describe('buildTimeline of a partly paid invoice', () => {
  it('shows no paid entry before the parts reach the total', () => {
    const kinds = buildTimeline(invoice({ status: 'partially_paid', paid_at: '2026-11-02T10:00:00Z' })).map((e) => e.kind);
    expect(kinds).not.toContain('paid');
  });
});

describe('invoiceParts', () => {
  it('numbers the parts that took money, oldest first, with what was left after each', () => {
    const parts = invoiceParts(
      invoice({
        allow_partial: true,
        amount_total: 100000,
        payments: [
          payment({ id: 'pay_3', status: 'captured', amount_captured: 60000, created_at: '2026-11-03T10:00:00Z' }),
          payment({ id: 'pay_2', status: 'failed', amount_captured: 0, created_at: '2026-11-02T10:00:00Z' }),
          payment({ id: 'pay_1', status: 'captured', amount_captured: 40000, created_at: '2026-11-01T10:00:00Z' }),
        ],
      }),
    );
    expect([...parts.entries()]).toEqual([
      ['pay_1', { n: 1, due: 60000 }],
      ['pay_3', { n: 2, due: 0 }],
    ]);
    expect(invoiceParts(invoice({ payments: [payment({ status: 'captured', amount_captured: 1000 })] })).size).toBe(0);
  });
});

describe('buildTimeline', () => {
  it('shows every reminder with its rule, in time order', () => {
    const tl = buildTimeline(
      invoice({
        created_at: '2026-11-01T10:00:00Z',
        reminders: [
          { id: 'rem_1', object: 'reminder', livemode: false, invoice_id: 'inv_1', rule: 'after_sent', email_id: 'em_1', created_at: '2026-11-04T10:00:00Z' },
          { id: 'rem_2', object: 'reminder', livemode: false, invoice_id: 'inv_1', rule: 'manual', email_id: 'em_2', created_at: '2026-11-02T10:00:00Z' },
        ],
      }),
    );
    expect(tl.map((e) => (e.kind === 'reminder' ? `reminder:${e.rule}` : e.kind))).toEqual(['created', 'reminder:manual', 'reminder:after_sent']);
  });

  it('orders creation, transactions and payment by time', () => {
    const tl = buildTimeline(
      invoice({
        status: 'paid',
        paid_at: '2026-11-01T10:05:00Z',
        transactions: [
          txn({ id: 'txn_2', payment_id: 'pay_1', type: 'refund', amount: 500, currency: 'RSD', result: 'succeeded', created_at: '2026-11-02T09:00:00Z' }),
          txn({ id: 'txn_1', payment_id: 'pay_1', type: 'sale', amount: 240000, currency: 'RSD', result: 'succeeded', created_at: '2026-11-01T10:05:00Z' }),
        ],
        refunds: [refund({ id: 're_1', payment_id: 'pay_1', amount: 500, currency: 'RSD', status: 'succeeded', created_at: '2026-11-02T09:00:00Z' })],
      }),
    );
    expect(tl.map((e) => e.kind)).toEqual(['created', 'txn', 'paid', 'txn']);
  });

  it('shows refunds from refund objects when the ledger has none', () => {
    const tl = buildTimeline(
      invoice({ refunds: [refund({ id: 're_1', payment_id: 'pay_1', amount: 5, currency: 'RSD', status: 'pending', created_at: '2026-11-03T00:00:00Z' })] }),
    );
    expect(tl.map((e) => e.kind)).toEqual(['created', 'refund']);
  });
});

describe('invoiceCsv', () => {
  it('writes one quoted row per invoice with exact decimal amounts', () => {
    const csv = invoiceCsv(
      [invoice({ reference: 'ORD, "77"', amount_total: 123456, amount_paid: 123456, amount_refunded: 5 })],
      (c) => c.toUpperCase(),
      (s) => `S:${s}`,
    );
    const rows = parseCsv(csv);
    expect(rows[0][0]).toBe('NUMBER');
    expect(rows[1]).toContain('ORD, "77"');
    expect(rows[1]).toContain('1234.56');
    expect(rows[1]).toContain('0.05');
    expect(rows[1]).toContain('S:open');
    expect(rows).toHaveLength(2);
  });
});

describe('dayBounds', () => {
  it('turns local dates into whole-day bounds and ignores garbage', () => {
    const b = dayBounds('2026-11-01', '2026-11-30');
    expect(new Date(b.created_gte!).getDate()).toBe(1);
    expect(new Date(b.created_lte!).getHours()).toBe(23);
    expect(dayBounds('x', '')).toEqual({});
  });
});

describe('monthStart', () => {
  it('is midnight of the first day of the local month', () => {
    const start = new Date(monthStart(new Date(2026, 10, 20, 12, 30)));
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 10, 1, 0, 0]);
  });
});

describe('what the merchant is told about money', () => {
  const base = { amount_total: 1_000_000, amount_paid: 0, amount_refunded: 0, payments: [] } as unknown as Invoice;
  it('a pre-authorisation captured in part is not shown as paid in full', () => {
    const inv = { ...base, status: 'paid', amount_paid: 750_000 } as Invoice;
    expect(displayStatus(inv)).toBe('partially_captured');
    expect(moneyFacts(inv)).toEqual({ total: 1_000_000, collected: 750_000, refunded: 0, partial: true });
    expect(displayStatus({ ...inv, amount_paid: 1_000_000 })).toBe('paid');
  });
  it('a voided authorisation is voided, and its used link is closed, not completed', () => {
    const inv = { ...base, status: 'cancelled', payments: [{ status: 'voided' }], link: { status: 'completed' } } as unknown as Invoice;
    expect(displayStatus(inv)).toBe('voided');
    expect(linkDisplayStatus(inv)).toBe('closed');
    expect(displayStatus({ ...inv, payments: [] })).toBe('cancelled');
    expect(linkDisplayStatus({ ...inv, status: 'paid' })).toBe('completed');
  });
});
