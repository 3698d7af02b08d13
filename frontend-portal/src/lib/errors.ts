// API errors in plain words for the merchant.
import { ApiError } from './api';
import { t } from './i18n/index.svelte';

export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return t('err.api_error', { request_id: '-' });
  const message = err.message;
  if (err.status === 0) return t('err.network');
  if (err.code === 'csrf_token_invalid') return t('err.csrf');
  // Codes with a message of their own, clearer than the broad type's.
  if (err.code === 'no_endpoints') return t('err.no_endpoints');
  switch (err.type) {
    case 'invalid_request_error':
      return err.param ? t('err.field', { param: err.param, message }) : t('err.invalid_request_error', { message });
    case 'authentication_error':
      return t('err.authentication_error');
    case 'permission_error':
      return t('err.permission_error');
    case 'not_found':
      return t('err.not_found');
    case 'conflict':
      return t('err.conflict', { message });
    case 'idempotency_error':
      return t('err.idempotency_error');
    case 'card_error':
      return t('err.card_error', { message });
    case 'rate_limit_error':
      return t('err.rate_limit_error');
    default:
      return t('err.api_error', { request_id: err.requestId || '-' });
  }
}
