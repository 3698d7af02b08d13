// The checkout's typed client for the SecureLink API: the generated types of openapi.yaml over a
// plain fetch (a general client library would cost the first load more than these three calls).
// Card data never passes through here: only the provider's single-use token does.
import { readApiError, type ApiErrorFields } from '@shared/apiError';
import { newIdempotencyKey as newKey } from '@shared/idempotency';
import type { paths } from './api-types';

type JSONOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type BodyOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

export type Checkout = JSONOf<paths['/checkout/{token}']['get']['responses'][200]>;
export type Payment = JSONOf<paths['/checkout/{token}/pay']['post']['responses'][200]>;
export type Receipt = NonNullable<Checkout['receipt']>;
export type InvoiceLine = NonNullable<NonNullable<Checkout['invoice']>['lines']>[number];
export type Card = NonNullable<Payment['card']>;
export type PayBody = BodyOf<paths['/checkout/{token}/pay']['post']['requestBody']>;
export type CompleteBody = BodyOf<paths['/checkout/{token}/complete']['post']['requestBody']>;

/** The error object every API error carries; status 0 means the request never got an answer. */
export type ApiError = ApiErrorFields;

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/**
 * Calls /api/v1{path} (path parameters already encoded with encodeURIComponent): a GET is never
 * answered from the cache; a POST sends body as JSON with its Idempotency-Key. Every answer, even a
 * lost one, comes back as an ApiResult.
 */
export async function send<T>(path: string, post?: { body: unknown; key: string }): Promise<ApiResult<T>> {
  try {
    const r = await fetch(
      `${location.origin}/api/v1${path}`,
      post
        ? { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': post.key }, body: JSON.stringify(post.body) }
        : { cache: 'no-store' },
    );
    const data: unknown = await r.json().catch(() => undefined);
    return r.ok && data !== undefined ? { ok: true, data: data as T } : { ok: false, error: readApiError(r.status, data) };
  } catch {
    return { ok: false, error: readApiError(0, undefined) };
  }
}

const at = (token: string) => `/checkout/${encodeURIComponent(token)}`;

export function getCheckout(token: string): Promise<ApiResult<Checkout>> {
  return send(at(token));
}

/**
 * Pays with a provider token; the same idempotencyKey must be reused when retrying the same attempt.
 * `amount` is the part the payer chose (minor units) on an invoice paid in parts; left out, all that is due.
 */
export function pay(token: string, paymentToken: string, idempotencyKey: string, amount?: number): Promise<ApiResult<Payment>> {
  const body: PayBody = amount === undefined ? { terms_accepted: true, payment_token: paymentToken } : { terms_accepted: true, payment_token: paymentToken, amount };
  return send(`${at(token)}/pay`, { body, key: idempotencyKey });
}

/** Settles a payment after the payer comes back from 3-D Secure. */
export function complete(token: string, paymentId: string, idempotencyKey: string): Promise<ApiResult<Payment>> {
  const body: CompleteBody = { payment_id: paymentId };
  return send(`${at(token)}/complete`, { body, key: idempotencyKey });
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
