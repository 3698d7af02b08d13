// The merchant's own settings.
import { api, unwrap } from '../api';
import type { Merchant, MerchantUpdate } from '../models';

export const merchantService = {
  get: () => unwrap(api.GET('/merchant')),
  update: (body: MerchantUpdate) => unwrap(api.PATCH('/merchant', { body })),
  /** Sends the image itself as the body, labelled with its type. */
  uploadLogo: (file: File) =>
    unwrap(
      api.PUT('/merchant/logo', {
        body: file as unknown as string,
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { 'Content-Type': file.type },
      }),
    ),
  removeLogo: () => unwrap(api.DELETE('/merchant/logo')),
  /** A new secret for verifying return URLs, in the session's mode; shown only in this answer. */
  rotateReturnSecret: () => unwrap(api.POST('/merchant/return-secret')),
};
