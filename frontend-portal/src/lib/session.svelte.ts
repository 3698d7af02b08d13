// Who is logged in: the user, their merchant and the CSRF token, kept in memory only.
import { setCsrfToken, setModeHandler, setUnauthorizedHandler } from './api';
import type { Merchant, Session, User } from './models';
import { router } from './router.svelte';
import { authService } from './services/auth';

class SessionState {
  user = $state<User | null>(null);
  merchant = $state<Merchant | null>(null);
  /** True once the first GET /me has answered, either way. */
  checked = $state(false);
  /** Set when a request came back 401, so the login page can say why it is shown. */
  expired = $state(false);
  /** The Test mode switch of the session: false shows test data, true live data. */
  livemode = $state(false);

  constructor() {
    setModeHandler((live) => {
      if (this.user) this.livemode = live;
    });
    setUnauthorizedHandler(() => {
      if (this.user) this.expired = true;
      this.clear();
      // Public pages (login, invitations) stay where they are; a logged-out visitor is expected there.
      if (!router.match.public) router.toLogin();
    });
  }

  set(s: Session) {
    this.user = s.user;
    this.merchant = s.merchant;
    this.livemode = s.livemode;
    this.expired = false;
    setCsrfToken(s.csrf_token);
  }

  clear() {
    this.user = null;
    this.merchant = null;
    this.livemode = false;
    setCsrfToken('');
  }

  /** Restores the session from the cookie; a 401 leaves the merchant logged out. */
  async restore() {
    try {
      this.set(await authService.me());
    } catch {
      this.clear();
    } finally {
      this.checked = true;
    }
  }

  /** Switches between test and live data; the caller shows the pages again with the other mode's data. */
  async setMode(livemode: boolean) {
    this.set(await authService.setMode(livemode));
  }

  async logout() {
    try {
      await authService.logout();
    } finally {
      this.clear();
    }
  }
}

export const session = new SessionState();
