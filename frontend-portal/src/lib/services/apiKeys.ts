// API keys for integrators; the secret is returned once, on creation.
import { api, unwrap } from '../api';
import type { ApiKey } from '../models';
import type { Page } from './invoices';

export const apiKeyService = {
  list: () => unwrap(api.GET('/api-keys')),
  create: (name: string) => unwrap(api.POST('/api-keys', { body: { name } })),
  revoke: (id: string) => unwrap(api.DELETE('/api-keys/{id}', { params: { path: { id } } })),
};
