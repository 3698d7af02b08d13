// The two public calls of a reusable link's page: read the link, create an order from it. A module
// of its own so that only the link page's chunk carries them.
import createClient from 'openapi-fetch';
import { readApiError } from '@shared/apiError';
import { newIdempotencyKey } from '@shared/idempotency';
import type { ApiResult } from './api';
import type { paths } from './api-types';
import type { OrderBody } from './paylink';

type JSONOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The link as GET /checkout-links/{token} answers it. */
export type LinkView = JSONOf<paths['/checkout-links/{token}']['get']['responses'][200]>;
/** The payer's order: the invoice and the checkout that takes its payment, /pay/{checkout_token}. */
export type LinkOrder = JSONOf<paths['/checkout-links/{token}/orders']['post']['responses'][201]>;

let cached: ReturnType<typeof createClient<paths>> | null = null;
function client() {
  cached ??= createClient<paths>({ baseUrl: `${location.origin}/api/v1` });
  return cached;
}

async function settle<T>(call: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<ApiResult<T>> {
  try {
    const { data, error, response } = await call();
    if (response.ok && data !== undefined) return { ok: true, data };
    return { ok: false, error: readApiError(response.status, error) };
  } catch {
    return { ok: false, error: readApiError(0, undefined) };
  }
}

export function getLink(token: string): Promise<ApiResult<LinkView>> {
  return settle(() => client().GET('/checkout-links/{token}', { params: { path: { token } }, cache: 'no-store' }));
}

/** Creates the payer's order; the same key goes with the same form sent again after no answer. */
export function createOrder(token: string, body: OrderBody, idempotencyKey: string): Promise<ApiResult<LinkOrder>> {
  return settle(() =>
    client().POST('/checkout-links/{token}/orders', {
      params: { path: { token }, header: { 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );
}

export const newOrderKey = (): string => newIdempotencyKey('lnk_');
