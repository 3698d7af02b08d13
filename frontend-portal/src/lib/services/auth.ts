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
  /** Asks for a reset link by e-mail; the answer is the same whether or not the address has an account. */
  requestPasswordReset: (email: string, locale: string) =>
    unwrap(api.POST('/auth/password-reset', { body: { email, locale: locale as 'en' } })),
  resetPassword: (token: string, password: string) => unwrap(api.POST('/auth/password-reset/confirm', { body: { token, password } })),
  acceptInvitation: (token: string, password: string, name?: string) =>
    unwrap(api.POST('/auth/invitations/accept', { body: { token, password, ...(name ? { name } : {}) } })),
};
