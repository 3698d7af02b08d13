// Sections whose endpoint the server does not have (yet) are shown as unavailable, not as errors.
import { ApiError } from '../../lib/api';

export const missing = (err: unknown): boolean =>
  err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501);
