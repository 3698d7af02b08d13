// The e-mail outbox: every message SecureLink sent or holds for this merchant.
import { api, unwrap } from '../api';
import type { Email } from '../models';
import type { Page } from './invoices';

export const emailService = {
  list: (starting_after?: string) =>
    unwrap(api.GET('/emails', { params: { query: { limit: 50, starting_after } } })),
  get: (id: string) => unwrap(api.GET('/emails/{id}', { params: { path: { id } } })),
};
