// The merchant's own payment provider accounts (one test, one live) and the go-live checklist.
import { api, unwrap } from '../api';

export type AccountMode = 'test' | 'live';

export const providerService = {
  providers: () => unwrap(api.GET('/providers')),
  get: (mode: AccountMode) => unwrap(api.GET('/provider-accounts/{mode}', { params: { path: { mode } } })),
  /** Secret values left out keep the saved ones when the provider stays the same. */
  put: (mode: AccountMode, provider: string, values: Record<string, string>) =>
    unwrap(api.PUT('/provider-accounts/{mode}', { params: { path: { mode } }, body: { provider, values } })),
  remove: (mode: AccountMode) => unwrap(api.DELETE('/provider-accounts/{mode}', { params: { path: { mode } } })),
  test: (mode: AccountMode) => unwrap(api.POST('/provider-accounts/{mode}/test', { params: { path: { mode } } })),
  goLive: () => unwrap(api.GET('/go-live')),
};
