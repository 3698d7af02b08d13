// The portal's client-side router: the History API plus one reactive object that pages read.
import { resolve, safeNext, type Match } from './routes';

class Router {
  match = $state<Match>(resolve(location.pathname));
  search = $state<URLSearchParams>(new URLSearchParams(location.search));
  path = $state(location.pathname + location.search);
  // Set by navigations after the first page load; the next page heading takes focus once.
  private focusPending = false;

  constructor() {
    addEventListener('popstate', () => this.sync());
    // Same-origin links inside the portal are followed without a page load.
    document.addEventListener('click', (e) => this.onClick(e));
  }

  /** True once after a navigation, for the page heading to take focus. */
  consumeFocus(): boolean {
    const pending = this.focusPending;
    this.focusPending = false;
    return pending;
  }

  private sync() {
    this.focusPending = true;
    this.match = resolve(location.pathname);
    this.search = new URLSearchParams(location.search);
    this.path = location.pathname + location.search;
  }

  navigate(to: string, opts: { replace?: boolean } = {}) {
    if (to === location.pathname + location.search) {
      this.sync();
      return;
    }
    if (opts.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
    if (!opts.replace) scrollTo(0, 0);
  }

  /** Sends the merchant to login and remembers where they were. */
  toLogin() {
    const here = location.pathname + location.search;
    if (this.match.name === 'login') return;
    this.navigate(`/portal/login?next=${encodeURIComponent(safeNext(here))}`, { replace: true });
  }

  private onClick(e: MouseEvent) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/portal')) return;
    // In-page anchors (the skip link) are left to the browser.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    e.preventDefault();
    // A section anchor on another page ("/settings#s-providers") travels along for that page to scroll to.
    this.navigate(url.pathname + url.search + url.hash);
  }
}

export const router = new Router();
