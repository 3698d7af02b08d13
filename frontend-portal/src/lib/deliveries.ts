// Reading the webhook delivery log: pure functions, so they are unit-tested without a browser.
import type { DeliveryStatus, WebhookAttempt, WebhookDelivery } from './models';
import { href } from './routes';

/** How an attempt's HTTP answer reads at a glance: any 2xx is success, no status at all means no answer. */
export type HttpTone = 'good' | 'warn' | 'bad' | 'none';

export function httpTone(statusCode: number | null | undefined): HttpTone {
  if (!statusCode) return 'none';
  if (statusCode >= 200 && statusCode < 300) return 'good';
  if (statusCode >= 300 && statusCode < 400) return 'warn';
  return 'bad';
}

/** Counts of an event's deliveries per status, for the one-line summary beside the event. */
export function deliveryCounts(deliveries: readonly Pick<WebhookDelivery, 'status'>[] | null | undefined): Record<DeliveryStatus, number> {
  const counts: Record<DeliveryStatus, number> = { pending: 0, succeeded: 0, failed: 0 };
  for (const d of deliveries ?? []) if (d.status in counts) counts[d.status]++;
  return counts;
}

/** The attempt log newest first, whatever order the server sent it in; ties keep the higher attempt number first. */
export function attemptsNewestFirst<T extends Pick<WebhookAttempt, 'created_at' | 'attempt'>>(log: readonly T[] | null | undefined): T[] {
  return [...(log ?? [])].sort((a, b) => {
    const byTime = Date.parse(b.created_at) - Date.parse(a.created_at);
    return byTime || (b.attempt ?? 0) - (a.attempt ?? 0);
  });
}

/** The distinct endpoints an event went to, for choosing one to re-deliver to. */
export function deliveryEndpoints(deliveries: readonly Pick<WebhookDelivery, 'endpoint_id' | 'url'>[] | null | undefined): { id: string; url: string }[] {
  const seen = new Map<string, string>();
  for (const d of deliveries ?? []) if (d.endpoint_id && !seen.has(d.endpoint_id)) seen.set(d.endpoint_id, d.url);
  return [...seen].map(([id, url]) => ({ id, url }));
}

/** The portal page of the object an event is about, when the portal has one (invoices only). */
export function objectHref(objectId: string | null | undefined): string | null {
  if (!objectId || !objectId.startsWith('inv_')) return null;
  return href(`/invoices/${encodeURIComponent(objectId)}`);
}

/** Latency as people read it: milliseconds below a second, else seconds with one decimal. */
export function latency(ms: number | null | undefined, decimalSeparator: '.' | ',' = '.'): string {
  if (ms === null || ms === undefined || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1).replace('.', decimalSeparator)} s`;
}
