// Reusable payment links and their orders.
import { api, idempotencyKey, unwrap } from '../api';
import type { CreatePaymentLinkRequest, Invoice, PaymentLink, PaymentLinkStatus, UpdatePaymentLinkRequest } from '../models';
import type { Page } from './invoices';

// The routes are called through the one client (CSRF, session expiry, mode) with the contract's types.
type Call = (path: string, init?: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const loose = api as unknown as { GET: Call; POST: Call; PATCH: Call };

export const paymentLinkService = {
  list: (filter: { status?: PaymentLinkStatus }, page: { limit?: number; starting_after?: string } = {}) =>
    unwrap(loose.GET('/payment-links', { params: { query: { ...filter, ...page } } })) as Promise<Page<PaymentLink>>,

  get: (id: string) => unwrap(loose.GET('/payment-links/{id}', { params: { path: { id } } })) as Promise<PaymentLink>,

  create: (body: CreatePaymentLinkRequest, key = idempotencyKey()) =>
    unwrap(loose.POST('/payment-links', { body, params: { header: { 'Idempotency-Key': key } } })) as Promise<PaymentLink>,

  update: (id: string, body: UpdatePaymentLinkRequest) =>
    unwrap(loose.PATCH('/payment-links/{id}', { params: { path: { id } }, body })) as Promise<PaymentLink>,

  /** The link's orders, newest first. */
  orders: (id: string, page: { limit?: number; starting_after?: string } = {}) =>
    unwrap(loose.GET('/invoices', { params: { query: { payment_link: id, ...page } } })) as Promise<Page<Invoice>>,
};
