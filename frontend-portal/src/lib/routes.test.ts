import { describe, expect, it } from 'vitest';
import { href, matchPattern, resolve, safeNext } from './routes';

describe('resolve', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['/portal/', 'dashboard', {}],
    ['/portal', 'dashboard', {}],
    ['/portal/login', 'login', {}],
    ['/portal/invite/abc_DEF-123', 'invite', { token: 'abc_DEF-123' }],
    ['/portal/invoices', 'invoices', {}],
    ['/portal/invoices/', 'invoices', {}],
    ['/portal/invoices/new', 'invoice-new', {}],
    ['/portal/invoices/import', 'statement-import', {}],
    ['/portal/invoices/inv_01H8', 'invoice', { id: 'inv_01H8' }],
    ['/portal/invoices/inv%20x', 'invoice', { id: 'inv x' }],
    ['/portal/payment-links', 'payment-links', {}],
    ['/portal/payment-links/new', 'payment-link-new', {}],
    ['/portal/payment-links/plink_01J', 'payment-link', { id: 'plink_01J' }],
    ['/portal/settings', 'settings', {}],
    ['/portal/settings/webhooks', 'webhook-log', {}],
    ['/portal/settings/emails/em_01J', 'email', { id: 'em_01J' }],
    ['/portal/settings/emails', 'not-found', {}],
    ['/portal/invoices/inv_1/extra', 'not-found', {}],
    ['/portal/nope', 'not-found', {}],
    ['/portalx/login', 'not-found', {}],
    ['/pay/tok', 'not-found', {}],
    ['/portal/invoices/%E0%A4%A', 'not-found', {}],
  ];
  for (const [path, name, params] of cases) {
    it(path, () => {
      const m = resolve(path);
      expect(m.name).toBe(name);
      expect(m.params).toEqual(params);
    });
  }

  it('marks only login and invitations as public', () => {
    expect(resolve('/portal/login').public).toBe(true);
    expect(resolve('/portal/invite/x').public).toBe(true);
    expect(resolve('/portal/invoices').public).toBe(false);
  });
});

describe('matchPattern', () => {
  it('needs the same number of segments', () => {
    expect(matchPattern('/invoices/:id', '/invoices')).toBeNull();
    expect(matchPattern('/a/:x/b/:y', '/a/1/b/2')).toEqual({ x: '1', y: '2' });
  });
});

describe('href', () => {
  it('prefixes the base and drops empty query values', () => {
    expect(href('/invoices', { status: 'paid', q: '', from: undefined })).toBe('/portal/invoices?status=paid');
    expect(href('settings')).toBe('/portal/settings');
    expect(href('/invoices', { q: 'Ana & Co' })).toBe('/portal/invoices?q=Ana+%26+Co');
  });
});

describe('safeNext', () => {
  const cases: [string | null, string][] = [
    ['/portal/invoices/inv_1', '/portal/invoices/inv_1'],
    ['/portal/invoices?status=paid', '/portal/invoices?status=paid'],
    [null, '/portal/'],
    ['https://evil.example/portal/', '/portal/'],
    ['//evil.example/portal/', '/portal/'],
    ['/portal/\\evil', '/portal/'],
    ['/api/v1/me', '/portal/'],
    ['/portal/login?next=/portal/', '/portal/'],
  ];
  for (const [input, want] of cases) {
    it(String(input), () => expect(safeNext(input)).toBe(want));
  }
});
