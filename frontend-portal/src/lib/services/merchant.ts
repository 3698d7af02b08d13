// The merchant's own settings.
import { api, unwrap } from '../api';
import type { Merchant, MerchantUpdate } from '../models';

export const merchantService = {
  get: () => unwrap(api.GET('/merchant')),
  update: (body: MerchantUpdate) => unwrap(api.PATCH('/merchant', { body })),
};
