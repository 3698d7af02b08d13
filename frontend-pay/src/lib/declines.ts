// Turns a provider's decline code into the key of a plain-words explanation for the payer.
import type { MessageKey } from './i18n';

const DECLINE_KEYS: Record<string, MessageKey> = {
  card_declined: 'declined.card_declined',
  generic_decline: 'declined.card_declined',
  do_not_honor: 'declined.card_declined',
  fraudulent: 'declined.card_declined',
  transaction_not_allowed: 'declined.card_declined',
  insufficient_funds: 'declined.insufficient_funds',
  expired_card: 'declined.expired_card',
  incorrect_cvc: 'declined.incorrect_cvc',
  invalid_cvc: 'declined.incorrect_cvc',
  incorrect_number: 'declined.incorrect_number',
  invalid_number: 'declined.incorrect_number',
  processing_error: 'declined.processing_error',
  authentication_failed: 'declined.authentication_failed',
  authentication_required: 'declined.authentication_failed',
  lost_card: 'declined.lost_or_stolen',
  stolen_card: 'declined.lost_or_stolen',
  pickup_card: 'declined.lost_or_stolen',
  restricted_card: 'declined.lost_or_stolen',
};

export function declineMessageKey(code: string | null | undefined): MessageKey {
  return (code && DECLINE_KEYS[code]) || 'declined.generic';
}
