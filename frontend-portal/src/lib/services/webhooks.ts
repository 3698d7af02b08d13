// Webhook endpoints; the signing secret is returned once, on creation or rotation.
import { api, idempotencyKey, unwrap } from '../api';
import { webhookEventTypeValues } from '../api-types';
import type { WebhookEndpoint } from '../models';
import type { Page } from './invoices';

/** Every event type an endpoint may subscribe to, as openapi.yaml (from the Go list) names them. */
export const webhookEventTypes = webhookEventTypeValues;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The form's choices come from webhookEventTypes; the server checks them again (400 on events). */
const asEventTypes = (events: readonly string[]) => events as WebhookEventType[];

export const webhookService = {
  list: () => unwrap(api.GET('/webhook-endpoints', { params: { query: { limit: 100 } } })),
  create: (url: string, events: readonly string[], description?: string) =>
    unwrap(api.POST('/webhook-endpoints', { body: { url, events: asEventTypes(events), ...(description ? { description } : {}) } })),
  /** Changes the URL and the events; the signing secret stays the same. */
  update: (id: string, url: string, events: readonly string[]) =>
    unwrap(api.PATCH('/webhook-endpoints/{id}', { params: { path: { id } }, body: { url, events: asEventTypes(events) } })),
  /** Turns deliveries on (also after a 410 Gone disabled the endpoint) or off. */
  setEnabled: (id: string, enabled: boolean) =>
    unwrap(api.PATCH('/webhook-endpoints/{id}', { params: { path: { id } }, body: { status: enabled ? 'enabled' : 'disabled' } })),
  remove: (id: string) => unwrap(api.DELETE('/webhook-endpoints/{id}', { params: { path: { id } } })),
  /** A new signing secret, returned only in this answer. */
  rotateSecret: (id: string, key = idempotencyKey()) =>
    unwrap(api.POST('/webhook-endpoints/{id}/rotate-secret', { params: { path: { id }, header: { 'Idempotency-Key': key } } })),
};
