// Sessions: login, logout, the current user and invitations.
import { api, unwrap } from '../api';
import type { InvitationInfo, Session } from '../models';

export const authService = {
  login: (email: string, password: string) =>
    unwrap(api.POST('/auth/login', { body: { email, password } })),
  logout: () => unwrap(api.POST('/auth/logout')),
  logoutEverywhere: () => unwrap(api.POST('/auth/logout-everywhere')),
  me: () => unwrap(api.GET('/me')),
  /** The Test mode switch: the session then sees and changes only that mode's data. */
  setMode: (livemode: boolean) => unwrap(api.POST('/auth/mode', { body: { livemode } })),
  invitation: (token: string) =>
    unwrap(api.GET('/auth/invitations/{token}', { params: { path: { token } } })),
  acceptInvitation: (token: string, password: string, name?: string) =>
    unwrap(api.POST('/auth/invitations/accept', { body: { token, password, ...(name ? { name } : {}) } })),
};
