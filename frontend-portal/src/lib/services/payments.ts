// Payments: capture, void and refunds. Each action carries an idempotency key.
import { api, idempotencyKey, unwrap } from '../api';
import type { Payment, PaymentStatus, Refund } from '../models';
import type { Page } from './invoices';

export const paymentService = {
  list: (query: { status?: PaymentStatus; limit?: number; starting_after?: string } = {}) =>
    unwrap(api.GET('/payments', { params: { query } })),

  get: (id: string) => unwrap(api.GET('/payments/{id}', { params: { path: { id } } })),

  capture: (id: string, amount?: number, key = idempotencyKey()) =>
    unwrap(
      api.POST('/payments/{id}/capture', {
        params: { path: { id }, header: { 'Idempotency-Key': key } },
        body: amount === undefined ? {} : { amount },
      }),
    ),

  void: (id: string, key = idempotencyKey()) =>
    unwrap(api.POST('/payments/{id}/void', { params: { path: { id }, header: { 'Idempotency-Key': key } } })),

  refund: (id: string, amount?: number, reason?: string, key = idempotencyKey()) =>
    unwrap(
      api.POST('/payments/{id}/refunds', {
        params: { path: { id }, header: { 'Idempotency-Key': key } },
        body: { ...(amount === undefined ? {} : { amount }), ...(reason ? { reason } : {}) },
      }),
    ),
};
