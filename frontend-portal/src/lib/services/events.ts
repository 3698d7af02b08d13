// Webhook events with their deliveries and attempt log, and manual re-delivery.
import { api, idempotencyKey, unwrap } from '../api';
import type { WebhookEvent } from '../models';
import type { Page } from './invoices';

export const eventService = {
  list: (page: { limit?: number; starting_after?: string } = {}) => unwrap(api.GET('/events', { params: { query: page } })),

  get: (id: string) => unwrap(api.GET('/events/{id}', { params: { path: { id } } })),

  /** Queues the event again for every subscribed endpoint, or only endpointId; the webhook-id stays the event id. */
  redeliver: (id: string, endpointId?: string, key = idempotencyKey()) =>
    unwrap(
      api.POST('/events/{id}/redeliver', {
        params: { path: { id }, header: { 'Idempotency-Key': key } },
        body: endpointId ? { endpoint_id: endpointId } : {},
      }),
    ),
};
