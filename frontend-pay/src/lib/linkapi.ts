// The two public calls of a reusable link's page: read the link, create an order from it. A module
// of its own so that only the link page's chunk carries them.
import { readApiError } from '@shared/apiError';
import { newIdempotencyKey } from '@shared/idempotency';
import type { ApiResult, Checkout } from './api';
import type { LinkCheckout, OrderBody } from './paylink';

export type LinkView = LinkCheckout<Checkout['merchant']> & { object?: string };

/** What POST /checkout/links/{token}/orders answers: the order and the checkout that takes its payment. */
export interface LinkOrder {
  object?: string;
  invoice_id: string;
  checkout_token: string;
  url: string;
}

async function call<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  try {
    const r = await fetch(`${location.origin}/api/v1${path}`, { cache: 'no-store', ...init });
    let body: unknown = undefined;
    try {
      body = await r.json();
    } catch {
      body = undefined;
    }
    if (r.ok && body !== undefined) return { ok: true, data: body as T };
    return { ok: false, error: readApiError(r.status, body) };
  } catch {
    return { ok: false, error: readApiError(0, undefined) };
  }
}

export function getLink(token: string): Promise<ApiResult<LinkView>> {
  return call(`/checkout/links/${encodeURIComponent(token)}`, { headers: { Accept: 'application/json' } });
}

/** Creates the payer's order; the same key is sent again when the same form is sent again after no answer. */
export function createOrder(token: string, body: OrderBody, idempotencyKey: string): Promise<ApiResult<LinkOrder>> {
  return call(`/checkout/links/${encodeURIComponent(token)}/orders`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(body),
  });
}

export const newOrderKey = (): string => newIdempotencyKey('lnk_');
