import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { complete, getCheckout, loadFailure, newIdempotencyKey, pay } from './api';
import { createOrder, getLink } from './linkapi';
import { en } from './messages-en';
import { srLatn } from './messages-sr-latn';
import { srCyrl } from './messages-sr-cyrl';
import { tokenizeCard } from './tokenize';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  vi.stubGlobal('location', { origin: 'http://127.0.0.1:9999' });
  vi.stubGlobal('fetch', fetchMock);
  fetchMock.mockReset();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** The Request (or URL and init) of the nth fetch call. */
async function call(n: number): Promise<{ url: string; method: string; headers: Headers; body: unknown }> {
  const [input, init] = fetchMock.mock.calls[n];
  const req = input instanceof Request ? input : new Request(input, init);
  const text = await req.text();
  return { url: req.url, method: req.method, headers: req.headers, body: text ? JSON.parse(text) : null };
}

describe('checkout API client', () => {
  it('pays with the token, terms accepted and the Idempotency-Key', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { id: 'pay_1', status: 'captured', amount: 100, currency: 'RSD' }));
    const result = await pay('tok/en', 'tok_abc', 'key-1');
    expect(result).toEqual({ ok: true, data: expect.objectContaining({ id: 'pay_1', status: 'captured' }) });
    const sent = await call(0);
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('http://127.0.0.1:9999/api/v1/checkout/tok%2Fen/pay');
    expect(sent.headers.get('Idempotency-Key')).toBe('key-1');
    expect(sent.body).toEqual({ terms_accepted: true, payment_token: 'tok_abc' });
  });

  it('completes after 3-D Secure with the payment id', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { id: 'pay_1', status: 'failed', decline_code: 'authentication_failed' }));
    const result = await complete('tok', 'pay_1', 'key-2');
    expect(result.ok).toBe(true);
    const sent = await call(0);
    expect(sent.url).toBe('http://127.0.0.1:9999/api/v1/checkout/tok/complete');
    expect(sent.body).toEqual({ payment_id: 'pay_1' });
  });

  it('turns an error body into status, type and code', async () => {
    fetchMock.mockResolvedValueOnce(
      json(402, { error: { type: 'card_error', code: 'insufficient_funds', message: 'Declined', request_id: 'req_1' } }),
    );
    const result = await pay('tok', 'tok_abc', 'key-3');
    expect(result).toEqual({
      ok: false,
      error: { status: 402, type: 'card_error', code: 'insufficient_funds', message: 'Declined', param: undefined, requestId: 'req_1' },
    });
  });

  it('reports no answer as status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const result = await getCheckout('tok');
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ status: 0, type: 'network_error' }) });
  });

  it('reads the checkout afresh, never from the cache', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { object: 'checkout' }));
    expect(await getCheckout('tok/en')).toEqual({ ok: true, data: { object: 'checkout' } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://127.0.0.1:9999/api/v1/checkout/tok%2Fen');
    expect(init?.cache).toBe('no-store');
  });

  it('reads a reusable link and orders through it with the Idempotency-Key', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { object: 'payment_link_checkout', availability: 'open' }));
    expect((await getLink('l/1')).ok).toBe(true);
    expect(fetchMock.mock.calls[0][0]).toBe('http://127.0.0.1:9999/api/v1/checkout-links/l%2F1');
    fetchMock.mockResolvedValueOnce(json(201, { object: 'payment_link_order', invoice_id: 'inv_1', checkout_token: 'ct', url: 'u' }));
    const body = { quantity: 2, customer: { email: 'ana@example.com' }, locale: 'en' as const };
    const result = await createOrder('l1', body, 'lnk_key');
    expect(result).toEqual({ ok: true, data: expect.objectContaining({ checkout_token: 'ct' }) });
    const sent = await call(1);
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('http://127.0.0.1:9999/api/v1/checkout-links/l1/orders');
    expect(sent.headers.get('Idempotency-Key')).toBe('lnk_key');
    expect(sent.headers.get('Content-Type')).toBe('application/json');
    expect(sent.body).toEqual(body);
  });

  it('reads a refusal of a link as its code', async () => {
    fetchMock.mockResolvedValueOnce(json(409, { error: { type: 'invalid_request_error', code: 'link_sold_out', message: 'Sold out' } }));
    const result = await createOrder('l1', { customer: { email: 'a@b.co' }, locale: 'en' }, 'k');
    expect(result).toMatchObject({ ok: false, error: { status: 409, code: 'link_sold_out' } });
  });

  it('reads an answer without a JSON body as an error of its status', async () => {
    fetchMock.mockResolvedValueOnce(new Response('bad gateway', { status: 502 }));
    expect(await getCheckout('tok')).toMatchObject({ ok: false, error: { status: 502, type: 'api_error' } });
  });

  it('makes a fresh, long random key for every attempt', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^chk_[0-9a-f]{32}$/);
  });
});

describe('tokenizeCard', () => {
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123', name: 'ANA ANIC' };

  it('posts the card to the provider, never to the API, without cookies', async () => {
    fetchMock.mockResolvedValueOnce(json(201, { id: 'tok_1', card: { brand: 'visa', last4: '4242' } }));
    const result = await tokenizeCard('http://127.0.0.1:9999/gateway/v1/tokens', card);
    expect(result).toEqual({ ok: true, token: 'tok_1', card: { brand: 'visa', last4: '4242' } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://127.0.0.1:9999/gateway/v1/tokens');
    expect(init?.credentials).toBe('omit');
    expect(JSON.parse(String(init?.body))).toEqual({
      number: '4242424242424242',
      exp_month: 12,
      exp_year: 2030,
      cvc: '123',
      name: 'ANA ANIC',
    });
  });

  it('passes on the field the provider refused', async () => {
    fetchMock.mockResolvedValueOnce(
      json(400, { error: { type: 'invalid_request_error', code: 'invalid_cvc', message: 'Bad CVC', param: 'cvc' } }),
    );
    const result = await tokenizeCard('http://gw/tokens', card);
    expect(result).toEqual({ ok: false, status: 400, code: 'invalid_cvc', message: 'Bad CVC', param: 'cvc' });
  });

  it('reports no answer as status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const result = await tokenizeCard('http://gw/tokens', card);
    expect(result).toMatchObject({ ok: false, status: 0 });
  });
});

describe('loadFailure', () => {
  it('shows a link whose merchant cannot take cards now as a calm page, never the API message', () => {
    expect(loadFailure({ status: 409, code: 'live_provider_missing' })).toBe('unavailable');
    expect(loadFailure({ status: 404, code: 'not_found' })).toBe('unknown');
    expect(loadFailure({ status: 429, code: 'rate_limited' })).toBe('rateLimited');
    expect(loadFailure({ status: 0, code: '' })).toBe('network');
    expect(loadFailure({ status: 500, code: 'internal' })).toBe('generic');
    expect(en['status.unavailable.title']).toBe('Card payment is not available right now');
    expect(srLatn['status.unavailable.title']).toBe('Plaćanje karticom trenutno nije dostupno');
    expect(srCyrl['status.unavailable.title']).toBe('Плаћање картицом тренутно није доступно');
    for (const dict of [en, srLatn, srCyrl]) expect(dict['status.unavailable.text']).not.toMatch(/provider|Settings|PUT/);
  });
});
