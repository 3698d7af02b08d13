// Why a card payment or a refund was declined, in the portal's language: the provider's unified code
// picks a sentence; the provider's own (English) message is never shown to a Serbian merchant.
import type { MessageKey } from './i18n/index.svelte';

/** Every decline code the providers report (psp.DeclineCode); a Go test checks the list. */
export const declineCodes = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'processing_error',
  'authentication_failed',
  'refund_failed',
] as const;

/** The dictionary key explaining a decline code; unknown codes get the general sentence. */
export function declineKey(code: string | null | undefined): MessageKey {
  return (declineCodes as readonly string[]).includes(code ?? '') ? (`decline.${code}` as MessageKey) : 'decline.unknown';
}
