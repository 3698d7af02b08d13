// API keys for integrators; the secret is returned once, on creation.
import { api, unwrap } from '../api';
import type { ApiKey } from '../models';
import type { Page } from './invoices';

export const apiKeyService = {
  list: () => unwrap<Page<ApiKey>>(api.GET('/api-keys', { params: { query: { limit: 100 } } })),
  create: (name: string) => unwrap<ApiKey>(api.POST('/api-keys', { body: { name } })),
  revoke: (id: string) => unwrap<ApiKey>(api.DELETE('/api-keys/{id}', { params: { path: { id } } })),
};
