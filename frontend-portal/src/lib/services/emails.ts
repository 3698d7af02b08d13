// The e-mail outbox: every message SecureLink sent or holds for this merchant.
import { api, idempotencyKey, unwrap } from '../api';
import type { Email } from '../models';
import type { Page } from './invoices';

export const emailService = {
  list: (starting_after?: string) =>
    unwrap(api.GET('/emails', { params: { query: { limit: 50, starting_after } } })),
  get: (id: string) => unwrap(api.GET('/emails/{id}', { params: { path: { id } } })),
  /** The HTML part as a page of its own (its own sandboxing policy), for the preview frame. */
  previewUrl: (id: string) => `/api/v1/emails/${encodeURIComponent(id)}/preview`,
  /** Puts a held or failed e-mail back in the queue (409 when no SMTP server is configured). */
  send: (id: string, key = idempotencyKey()) =>
    unwrap(api.POST('/emails/{id}/send', { params: { path: { id }, header: { 'Idempotency-Key': key } } })),
};
