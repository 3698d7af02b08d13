// The one HTTP client of the portal: openapi-fetch over the API's types, with the session rules as middleware.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types';
import { ApiError } from '@shared/apiError';
import { newIdempotencyKey } from '@shared/idempotency';
import type { Present } from './models';

/** The CSRF token from the last login or GET /me; every unsafe request made with the cookie carries it. */
let csrfToken = '';
let onUnauthorized: () => void = () => {};
let onMode: (livemode: boolean) => void = () => {};

export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Called when the session has expired so the app can go to login and come back. */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

/** Called with the mode every authenticated answer names (SecureLink-Mode), so the band follows a switch made in another tab. */
export function setModeHandler(fn: (livemode: boolean) => void) {
  onMode = fn;
}

/** The header in which the API names the mode of the data it answered with. */
export const MODE_HEADER = 'SecureLink-Mode';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
// Answers of 401 from these are expected (wrong password, bad invitation) and must not bounce to login.
const noRedirectPaths = ['/api/v1/auth/login', '/api/v1/auth/invitations', '/api/v1/auth/logout'];

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!safeMethods.has(request.method) && csrfToken) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !noRedirectPaths.some((p) => path.startsWith(p))) {
      onUnauthorized();
    }
    const mode = response.headers.get(MODE_HEADER);
    if (mode === 'live' || mode === 'test') onMode(mode === 'live');
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: '/api/v1',
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
});
api.use(sessionMiddleware);

export { ApiError };

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * Turns an openapi-fetch result into the data or a thrown ApiError, so services read like plain calls.
 * The data is typed with every field present (see Present in models.ts).
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<Present<T>> {
  let r: Result<T>;
  try {
    r = await call;
  } catch (cause) {
    throw new ApiError(0, { error: { type: 'network_error', code: 'network_error', message: String(cause) } });
  }
  if (!r.response.ok) throw new ApiError(r.response.status, r.error);
  return r.data as Present<T>;
}

/** A fresh idempotency key for one user action, so a retried click never charges or refunds twice. */
export const idempotencyKey = (): string => newIdempotencyKey();
