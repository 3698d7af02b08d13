// The words of the payment-provider screens: a provider's fields and a failed connection test are
// worded here by their stable keys (Go's provider and field names, its connection-failure codes),
// never with the provider's English.
import { t, type MessageKey } from './i18n/index.svelte';

type Field = { key: string; label: string };

/** A provider field's name in the portal's language; Go's English label for a field the portal lacks. */
export function fieldLabel(provider: string, field: Field): string {
  const key = `provider_field.${provider}.${field.key}` as MessageKey;
  const words = t(key);
  return words === key ? field.label : words;
}

/** Why a connection test failed, in the portal's language (a provider_error for an unknown code). */
export function testFailure(code: string | undefined): string {
  switch (code) {
    case 'credentials_refused':
    case 'provider_unreachable':
      return t(`providers.test_failure.${code}`);
    default:
      return t('providers.test_failure.provider_error');
  }
}
