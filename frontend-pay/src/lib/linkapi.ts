// The two public calls of a reusable link's page: read the link, create an order from it. A module
// of its own so that only the link page's chunk carries them.
import { newIdempotencyKey } from '@shared/idempotency';
import { send, type ApiResult } from './api';
import type { paths } from './api-types';
import type { OrderBody } from './paylink';

type JSONOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The link as GET /checkout-links/{token} answers it. */
export type LinkView = JSONOf<paths['/checkout-links/{token}']['get']['responses'][200]>;
/** The payer's order: the invoice and the checkout that takes its payment, /pay/{checkout_token}. */
export type LinkOrder = JSONOf<paths['/checkout-links/{token}/orders']['post']['responses'][201]>;
type OrderRequest = JSONOf<paths['/checkout-links/{token}/orders']['post']['requestBody']>;

const at = (token: string) => `/checkout-links/${encodeURIComponent(token)}`;

export function getLink(token: string): Promise<ApiResult<LinkView>> {
  return send(at(token));
}

/** Creates the payer's order; the same key goes with the same form sent again after no answer. */
export function createOrder(token: string, body: OrderBody, idempotencyKey: string): Promise<ApiResult<LinkOrder>> {
  const request: OrderRequest = body;
  return send(`${at(token)}/orders`, { body: request, key: idempotencyKey });
}

export const newOrderKey = (): string => newIdempotencyKey('lnk_');
