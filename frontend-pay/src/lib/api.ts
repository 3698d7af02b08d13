// The checkout's typed client for the SecureLink API (openapi-fetch over the generated types).
// Card data never passes through here: only the provider's single-use token does.
import createClient from 'openapi-fetch';
import { readApiError, type ApiErrorFields } from '@shared/apiError';
import { newIdempotencyKey as newKey } from '@shared/idempotency';
import type { paths } from './api-types';

type JSONOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

export type Checkout = JSONOf<paths['/checkout/{token}']['get']['responses'][200]>;
export type Payment = JSONOf<paths['/checkout/{token}/pay']['post']['responses'][200]>;
export type Receipt = NonNullable<Checkout['receipt']>;
export type InvoiceLine = NonNullable<NonNullable<Checkout['invoice']>['lines']>[number];
export type Card = NonNullable<Payment['card']>;

/** The error object every API error carries; status 0 means the request never got an answer. */
export type ApiError = ApiErrorFields;

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

let cached: ReturnType<typeof createClient<paths>> | null = null;

// Made on first use, so tests can stand in for fetch and location first.
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

export function getCheckout(token: string): Promise<ApiResult<Checkout>> {
  return settle(() => client().GET('/checkout/{token}', { params: { path: { token } }, cache: 'no-store' }));
}

/**
 * Pays with a provider token; the same idempotencyKey must be reused when retrying the same attempt.
 * `amount` is the part the payer chose (minor units) on an invoice paid in parts; left out, all that is due.
 */
export function pay(token: string, paymentToken: string, idempotencyKey: string, amount?: number): Promise<ApiResult<Payment>> {
  return settle(() =>
    client().POST('/checkout/{token}/pay', {
      params: { path: { token }, header: { 'Idempotency-Key': idempotencyKey } },
      body: amount === undefined ? { terms_accepted: true, payment_token: paymentToken } : { terms_accepted: true, payment_token: paymentToken, amount },
    }),
  );
}

/** Settles a payment after the payer comes back from 3-D Secure. */
export function complete(token: string, paymentId: string, idempotencyKey: string): Promise<ApiResult<Payment>> {
  return settle(() =>
    client().POST('/checkout/{token}/complete', {
      params: { path: { token }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { payment_id: paymentId },
    }),
  );
}

/** A fresh random key for one payment attempt. */
export const newIdempotencyKey = (): string => newKey('chk_');

/** Why a checkout could not be loaded, as the page that says so. */
export type LoadFailure = 'unknown' | 'rateLimited' | 'network' | 'unavailable' | 'generic';

/**
 * The page for an error loading the checkout. A 409 is a link that exists but cannot take a card now
 * (its merchant has no provider account for the invoice's mode: live_provider_missing): the payer
 * gets a calm page in their language, never the API's message meant for the merchant.
 */
export function loadFailure(error: Pick<ApiError, 'status' | 'code'>): LoadFailure {
  switch (error.status) {
    case 0:
      return 'network';
    case 400:
    case 404:
      return 'unknown';
    case 409:
      return 'unavailable';
    case 429:
      return 'rateLimited';
    default:
      return 'generic';
  }
}
