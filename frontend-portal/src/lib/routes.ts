// Route matching for the portal's History API router; pure functions so they are unit-tested.

export const basePath = '/portal';

export type RouteName =
  | 'dashboard'
  | 'login'
  | 'invite'
  | 'forgot-password'
  | 'reset-password'
  | 'invoices'
  | 'invoice-new'
  | 'statement-import'
  | 'invoice'
  | 'payment-links'
  | 'payment-link-new'
  | 'payment-link'
  | 'settings'
  | 'webhook-log'
  | 'email'
  | 'logs'
  | 'go-live'
  | 'not-found';

type RouteDef = { name: RouteName; pattern: string; public?: boolean };

/** Order matters: the first pattern that matches wins, so literal segments come before parameters. */
export const routes: RouteDef[] = [
  { name: 'dashboard', pattern: '/' },
  { name: 'login', pattern: '/login', public: true },
  { name: 'invite', pattern: '/invite/:token', public: true },
  { name: 'forgot-password', pattern: '/forgot-password', public: true },
  { name: 'reset-password', pattern: '/reset-password/:token', public: true },
  { name: 'invoices', pattern: '/invoices' },
  { name: 'invoice-new', pattern: '/invoices/new' },
  { name: 'statement-import', pattern: '/invoices/import' },
  { name: 'invoice', pattern: '/invoices/:id' },
  { name: 'payment-links', pattern: '/payment-links' },
  { name: 'payment-link-new', pattern: '/payment-links/new' },
  { name: 'payment-link', pattern: '/payment-links/:id' },
  { name: 'settings', pattern: '/settings' },
  { name: 'webhook-log', pattern: '/settings/webhooks' },
  { name: 'email', pattern: '/settings/emails/:id' },
  { name: 'logs', pattern: '/logs' },
  { name: 'go-live', pattern: '/go-live' },
];

export type Match = { name: RouteName; params: Record<string, string>; public: boolean };

/** Matches one pattern ("/invoices/:id") against a path below the base ("/invoices/inv_1"). */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
      if (value === '') return null;
      params[want[i].slice(1)] = value;
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

/** Strips the /portal base; null when the path lies outside the portal. */
export function stripBase(pathname: string): string | null {
  if (pathname === basePath) return '/';
  if (!pathname.startsWith(basePath + '/')) return null;
  return pathname.slice(basePath.length) || '/';
}

/** Finds the route for a full pathname such as "/portal/invoices/inv_1". */
export function resolve(pathname: string): Match {
  const inner = stripBase(pathname);
  if (inner !== null) {
    for (const r of routes) {
      const params = matchPattern(r.pattern, inner);
      if (params) return { name: r.name, params, public: r.public ?? false };
    }
  }
  return { name: 'not-found', params: {}, public: false };
}

/** Builds a portal URL from a path below the base and optional query values (empty values are left out). */
export function href(path: string, query?: Record<string, string | undefined | null>): string {
  const p = basePath + (path.startsWith('/') ? path : '/' + path);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${p}?${s}` : p;
}

/**
 * Accepts a `next` value after login only when it points inside the portal, so a crafted
 * link cannot send a merchant to another site.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith(basePath + '/') || next.startsWith('//') || next.includes('\\')) return href('/');
  if (stripBase(next.split(/[?#]/)[0]) === '/login') return href('/');
  return next;
}
