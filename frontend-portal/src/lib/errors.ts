// API errors in plain words for the merchant.
import { ApiError } from './api';
import { t, type MessageKey } from './i18n/index.svelte';

// A reusable payment link that takes no orders now says why with one of these codes.
const linkRefusals = ['link_paused', 'link_ended', 'link_expired', 'link_sold_out'];

export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return t('err.api_error', { request_id: '-' });
  const message = err.message;
  if (err.status === 0) return t('err.network');
  if (err.code === 'csrf_token_invalid') return t('err.csrf');
  if (err.code === 'no_endpoints') return t('err.no_endpoints');
  // Webhook endpoints: the URL and the events.
  if (err.code === 'invalid_url') return t('err.invalid_url');
  if (err.code === 'missing_url') return t('err.missing_url');
  if (err.code === 'url_not_allowed') return t('err.url_not_allowed');
  if (err.code === 'url_unresolvable') return t('err.url_unresolvable');
  if (err.code === 'missing_events') return t('err.missing_events');
  // E-mail, team and password reset.
  if (err.code === 'smtp_not_configured') return t('err.smtp_not_configured');
  if (err.code === 'email_taken') return t('err.email_taken');
  if (err.code === 'last_owner') return t('err.last_owner');
  if (err.code === 'owner_required') return t('err.owner_required');
  if (err.code === 'cannot_remove_self') return t('err.cannot_remove_self');
  if (err.code === 'reset_token_invalid') return t('err.reset_token_invalid');
  if (linkRefusals.includes(err.code)) return t(`err.${err.code}` as MessageKey);
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
