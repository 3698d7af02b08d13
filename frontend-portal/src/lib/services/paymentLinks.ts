// Reusable payment links and their orders.
import { api, idempotencyKey, unwrap } from '../api';
import type { CreatePaymentLinkRequest, PaymentLinkStatus, UpdatePaymentLinkRequest } from '../models';

export const paymentLinkService = {
  list: (filter: { status?: PaymentLinkStatus }, page: { limit?: number; starting_after?: string } = {}) =>
    unwrap(api.GET('/payment-links', { params: { query: { ...filter, ...page } } })),

  get: (id: string) => unwrap(api.GET('/payment-links/{id}', { params: { path: { id } } })),

  create: (body: CreatePaymentLinkRequest, key = idempotencyKey()) =>
    unwrap(api.POST('/payment-links', { body, params: { header: { 'Idempotency-Key': key } } })),

  update: (id: string, body: UpdatePaymentLinkRequest) => unwrap(api.PATCH('/payment-links/{id}', { params: { path: { id } }, body })),

  /** The link's orders, newest first. */
  orders: (id: string, page: { limit?: number; starting_after?: string } = {}) =>
    unwrap(api.GET('/invoices', { params: { query: { payment_link: id, ...page } } })),
};
