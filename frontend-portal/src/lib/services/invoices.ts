// Invoices and their links.
import { api, idempotencyKey, unwrap } from '../api';
import type { CreateInvoiceRequest, Invoice, InvoiceStatus, Link, RecordBankTransferRequest } from '../models';

export type InvoiceFilter = {
  status?: InvoiceStatus;
  q?: string;
  created_gte?: string;
  created_lte?: string;
};

export type Page<T> = { data: T[]; has_more: boolean };

export const invoiceService = {
  list: (filter: InvoiceFilter, page: { limit?: number; starting_after?: string } = {}) =>
    unwrap(api.GET('/invoices', { params: { query: { ...filter, ...page } } })),

  /** Every invoice matching the filter, following the cursor page by page (for the CSV export). */
  async listAll(filter: InvoiceFilter, onProgress?: (count: number) => void): Promise<Invoice[]> {
    const all: Invoice[] = [];
    let after: string | undefined;
    // A hard stop keeps a misbehaving cursor from looping for ever.
    for (let guard = 0; guard < 10_000; guard++) {
      const page = await invoiceService.list(filter, { limit: 100, starting_after: after });
      all.push(...page.data);
      onProgress?.(all.length);
      if (!page.has_more || page.data.length === 0) break;
      after = page.data[page.data.length - 1].id;
    }
    return all;
  },

  get: (id: string) => unwrap(api.GET('/invoices/{id}', { params: { path: { id } } })),

  /** Counts by status over every invoice, and what was paid since paidSince (RFC 3339), net of refunds. */
  summary: (paidSince: string) => unwrap(api.GET('/invoices/summary', { params: { query: { paid_since: paidSince } } })),

  create: (body: CreateInvoiceRequest, key = idempotencyKey()) =>
    unwrap(api.POST('/invoices', { body, params: { header: { 'Idempotency-Key': key } } })),

  cancel: (id: string) => unwrap(api.POST('/invoices/{id}/cancel', { params: { path: { id } } })),

  send: (id: string) => unwrap(api.POST('/invoices/{id}/send', { params: { path: { id } } })),
  remind: (id: string) => unwrap(api.POST('/invoices/{id}/remind', { params: { path: { id } } })),

  newLink: (id: string, expiresAt?: string) =>
    unwrap(api.POST('/invoices/{id}/links', { params: { path: { id } }, body: expiresAt ? { expires_at: expiresAt } : {} })),

  /** Records money that arrived at the merchant's bank for the invoice. */
  recordTransfer: (id: string, body: RecordBankTransferRequest, key = idempotencyKey()) =>
    unwrap(api.POST('/invoices/{id}/bank-transfers', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body })),

  /** The invoice's PDF, fetched with the session cookie by a plain link. */
  pdfUrl: (id: string) => `/api/v1/invoices/${encodeURIComponent(id)}/pdf`,

  deactivateLink: (linkId: string) =>
    unwrap(api.POST('/links/{id}/deactivate', { params: { path: { id: linkId } } })),
};
