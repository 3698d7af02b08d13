// The merchant's team.
import { api, unwrap } from '../api';

export type Role = 'staff' | 'owner';

export const userService = {
  list: () => unwrap(api.GET('/users')),
  invite: (email: string, role: Role, name?: string) =>
    unwrap(api.POST('/users/invitations', { body: { email, role, ...(name ? { name } : {}) } })),
  /** Takes the member off the merchant and ends their sessions (owners only; not yourself, not the last owner). */
  remove: (id: string) => unwrap(api.DELETE('/users/{id}', { params: { path: { id } } })),
};
