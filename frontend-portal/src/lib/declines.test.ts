import { describe, expect, it } from 'vitest';
import { declineKey } from './declines';
import { en } from './i18n/en';
import { srLatn } from './i18n/sr-latn';

describe('declineKey', () => {
  it('explains every known code in both dictionaries, in the dictionary’s own words', () => {
    for (const code of ['card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'processing_error', 'authentication_failed', 'refund_failed']) {
      const key = declineKey(code);
      expect(key).toBe(`decline.${code}`);
      expect(srLatn[key]).toBeTruthy();
      expect(srLatn[key]).not.toBe(en[key]);
    }
  });
  it('falls back to a general sentence for a code it does not know', () => {
    expect(declineKey('do_not_honor')).toBe('decline.unknown');
    expect(declineKey(undefined)).toBe('decline.unknown');
  });
});
