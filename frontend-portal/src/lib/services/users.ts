// The merchant's team.
import { api, unwrap } from '../api';
import type { Invitation, User } from '../models';
import type { Page } from './invoices';

export const userService = {
  list: () => unwrap<Page<User>>(api.GET('/users', { params: { query: { limit: 100 } } })),
  invite: (email: string, name?: string) =>
    unwrap<Invitation>(api.POST('/users/invitations', { body: { email, role: 'staff', ...(name ? { name } : {}) } })),
};
