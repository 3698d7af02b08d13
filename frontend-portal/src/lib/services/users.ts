// The merchant's team.
import { api, unwrap } from '../api';
import type { Invitation, User } from '../models';
import type { Page } from './invoices';

export const userService = {
  list: () => unwrap(api.GET('/users')),
  invite: (email: string, name?: string) =>
    unwrap(api.POST('/users/invitations', { body: { email, role: 'staff', ...(name ? { name } : {}) } })),
};
