import { describe, expect, it } from 'vitest';
import { i18n } from './i18n/index.svelte';
import { fieldLabel, testFailure } from './providers';

describe('provider screens', () => {
  it('word a provider field by its key in each language, the provider\'s label only for an unknown one', async () => {
    const secret = { key: 'secret_key', label: 'Secret key (sk_live_… or sk_test_…)' };
    await i18n.set('sr-Cyrl', false);
    expect(fieldLabel('stripe', secret)).toBe('Тајни кључ (sk_live_… или sk_test_…)');
    expect(fieldLabel('exchange', { key: 'shared_secret', label: 'Shared secret' })).toBe('Заједничка тајна');
    expect(fieldLabel('newpsp', { key: 'token', label: 'Token' })).toBe('Token');
    await i18n.set('sr-Latn', false);
    expect(fieldLabel('exchange', { key: 'username', label: 'API username' })).toBe('API korisničko ime');
    await i18n.set('en', false);
    expect(fieldLabel('stripe', secret)).toBe('Secret key (sk_live_… or sk_test_…)');
  });

  it('word a failed connection test by its code, an unknown code as a provider error', async () => {
    await i18n.set('sr-Cyrl', false);
    expect(testFailure('credentials_refused')).toMatch(/^Процесор је одбио/);
    expect(testFailure('provider_unreachable')).toMatch(/није доступан/);
    expect(testFailure('something_new')).toBe(testFailure('provider_error'));
    await i18n.set('en', false);
    expect(testFailure('credentials_refused')).toMatch(/^The provider refused/);
  });
});
