// What PayPanel gives the card form of a provider with a browser SDK (StripeForm, ExchangeCardForm):
// one set of props, so the checkout loads whichever the provider needs as a chunk of its own.
import type { MessageKey } from './i18n';

export interface SdkFormProps {
  /** The provider's key for its browser SDK (Stripe's publishable key, payment.js's public integration key). */
  publishableKey: string;
  /** Where the SDK is loaded from, when the provider says (payment.js from the account's gateway). */
  scriptUrl: string;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  /** The provider's single-use token: the checkout's payment_token. */
  onpay: (token: string) => void;
  onerror: (key: MessageKey | '') => void;
  ondecline: (code: string) => void;
  /** A field changed: the attempt in hand is no longer the one on screen. */
  onedit: () => void;
}
