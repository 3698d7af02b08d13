// The merchant's own settings.
import { api, unwrap } from '../api';
import type { Merchant, MerchantUpdate } from '../models';

export const merchantService = {
  get: () => unwrap<Merchant>(api.GET('/merchant')),
  update: (body: MerchantUpdate) => unwrap<Merchant>(api.PATCH('/merchant', { body })),
};
