#!/usr/bin/env node
// A stand-in for the securelink binary, only for developing the checkout while the backend is
// unfinished: it speaks docs/api-contract.md's checkout routes, a tiny test gateway with a 3-D
// Secure page, and serves dist/. State lives in memory. The real e2e uses the real binary:
//   SECURELINK_BIN=e2e/mock/securelink-mock.mjs npm run e2e   (development only)
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const cmd = process.argv[2] ?? 'serve';
if (cmd === 'demo') {
  console.log(JSON.stringify({ api_key: 'sk_test_mock', merchant_id: 'mer_mock', email: 'demo@example.com' }));
  process.exit(0);
}

const base = process.env.SECURELINK_BASE_URL ?? 'http://127.0.0.1:8080';
const [host, port] = (process.env.SECURELINK_ADDR ?? '127.0.0.1:8080').split(':');
const id = (p) => p + randomBytes(10).toString('hex');
const invoices = new Map();
const byToken = new Map();
const tokens = new Map();
const gwPayments = new Map();
const idem = new Map();
const merchant = {
  name: 'Studio Primer d.o.o.',
  support_email: 'podrska@primer.rs',
  terms: 'Plaćanje se vrši karticom.\nReklamacije u roku od 14 dana na podrska@primer.rs.',
};

function luhn(d) {
  let s = 0;
  for (let i = 0; i < d.length; i++) {
    let n = +d[d.length - 1 - i];
    if (i % 2) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    s += n;
  }
  return s % 10 === 0;
}
const brandOf = (d) => (d.startsWith('4') ? 'visa' : /^5[1-5]/.test(d) ? 'mastercard' : /^3[47]/.test(d) ? 'amex' : d.startsWith('9891') ? 'dinacard' : 'unknown');
const DECLINES = { '4000000000000002': 'card_declined', '4000000000009995': 'insufficient_funds', '4000000000000069': 'expired_card', '4000000000000127': 'incorrect_cvc', '4000000000000119': 'processing_error' };
const THREEDS = { '4000000000003220': true, '4000002500003155': true, '4000008400001629': false };

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
const err = (res, status, type, code, message, param) => send(res, status, { error: { type, code, message, param, request_id: id('req_') } });

function invoiceStatus(inv) {
  if (inv.status === 'open' && Date.parse(inv.expires_at) < Date.now()) inv.status = 'expired';
  return inv.status;
}
function linkStatus(inv) {
  const s = invoiceStatus(inv);
  return s === 'expired' ? 'expired' : s === 'cancelled' ? 'deactivated' : s === 'open' ? 'active' : 'completed';
}
function checkoutView(inv) {
  const paid = inv.payments.find((p) => p.status === 'captured' || p.status === 'authorized');
  return {
    object: 'checkout',
    status: invoiceStatus(inv),
    link_status: linkStatus(inv),
    merchant,
    invoice: { number: inv.number, description: inv.description, customer_name: inv.customer.name, currency: inv.currency, amount_total: inv.amount_total, amount_vat: inv.amount_vat, lines: inv.lines },
    locale: inv.locale,
    capture_mode: inv.capture_mode,
    provider: { name: 'testgateway', tokenize_url: `${base}/gateway/v1/tokens` },
    receipt: paid ? { payment_id: paid.id, status: paid.status, amount: paid.amount, currency: paid.currency, card: paid.card, paid_at: paid.created_at, reference: inv.number } : null,
    expires_at: inv.expires_at,
  };
}
function settle(inv, p, outcome) {
  if (outcome === true) {
    p.status = inv.capture_mode === 'manual' ? 'authorized' : 'captured';
    inv.status = inv.capture_mode === 'manual' ? 'authorized' : 'paid';
  } else {
    p.status = 'failed';
    p.decline_code = outcome;
    p.decline_message = outcome;
    inv.status = 'open';
  }
  p.next_action = null;
}

async function readBody(req) {
  let s = '';
  for await (const c of req) s += c;
  try {
    return s ? JSON.parse(s) : {};
  } catch {
    return null;
  }
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8' };

createServer(async (req, res) => {
  const url = new URL(req.url, base);
  const path = url.pathname;
  const m = (re) => re.exec(path);
  let r;
  if (path === '/healthz') return send(res, 200, { status: 'ok' });
  if ((r = m(/^\/pay\/assets\/([\w.-]+)$/))) {
    const f = join(dist, 'assets', r[1]);
    if (!existsSync(f)) return send(res, 404, {});
    res.writeHead(200, { 'Content-Type': TYPES[extname(f)] ?? 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable' });
    return res.end(readFileSync(f));
  }
  if (path.startsWith('/pay/')) {
    res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    return res.end(readFileSync(join(dist, 'index.html')));
  }
  if (path === '/gateway/v1/tokens' && req.method === 'POST') {
    const b = await readBody(req);
    const d = String(b?.number ?? '').replace(/\s/g, '');
    if (!/^\d{12,19}$/.test(d) || !luhn(d)) return err(res, 400, 'invalid_request_error', 'incorrect_number', 'The card number is incorrect.', 'number');
    const tok = id('tok_');
    tokens.set(tok, { number: d, card: { brand: brandOf(d), last4: d.slice(-4), exp_month: +b.exp_month, exp_year: +b.exp_year } });
    return send(res, 201, { id: tok, object: 'token', card: tokens.get(tok).card });
  }
  if ((r = m(/^\/gateway\/v1\/3ds\/(\w+)$/))) {
    const gp = gwPayments.get(r[1]);
    if (!gp) return send(res, 404, {});
    if (req.method === 'POST') {
      let s = '';
      for await (const c of req) s += c;
      const ok = new URLSearchParams(s).get('result') === 'complete';
      gp.result = ok && gp.succeeds ? true : 'authentication_failed';
      const back = new URL(gp.returnURL);
      back.searchParams.set('payment_id', r[1]);
      res.writeHead(303, { Location: back.toString() });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': TYPES['.html'] });
    return res.end(`<!doctype html><html lang="en"><title>3-D Secure</title><h1>3-D Secure test</h1>
<form method="post"><input type="hidden" name="result" value="complete"><button type="submit">Complete authentication</button></form>
<form method="post"><input type="hidden" name="result" value="fail"><button type="submit">Fail authentication</button></form>`);
  }
  if (path === '/api/v1/invoices' && req.method === 'POST') {
    const b = await readBody(req);
    if (b.expires_at && Date.parse(b.expires_at) < Date.now()) return err(res, 422, 'invalid_request_error', 'parameter_invalid', 'expires_at must be in the future', 'expires_at');
    const lines = b.lines.map((l) => ({ ...l, amount_total: l.quantity * l.unit_amount, amount_vat: Math.round((l.quantity * l.unit_amount * l.vat_rate) / (100 + l.vat_rate)) }));
    const token = randomBytes(16).toString('base64url');
    const inv = {
      id: id('inv_'), object: 'invoice', number: `INV-${String(invoices.size + 1).padStart(6, '0')}`, reference: b.reference ?? '', status: 'open',
      customer: b.customer, currency: b.currency ?? 'RSD', lines, description: b.description ?? '', capture_mode: b.capture_mode ?? 'automatic', locale: b.locale ?? 'sr-Latn',
      amount_total: lines.reduce((s, l) => s + l.amount_total, 0), amount_vat: lines.reduce((s, l) => s + l.amount_vat, 0),
      expires_at: b.expires_at ?? new Date(Date.now() + 7 * 864e5).toISOString(), created_at: new Date().toISOString(), payments: [],
    };
    inv.link = { id: id('lnk_'), token, url: `${base}/pay/${token}`, status: 'active', expires_at: inv.expires_at };
    invoices.set(inv.id, inv);
    byToken.set(token, inv);
    return send(res, 201, inv);
  }
  if ((r = m(/^\/api\/v1\/invoices\/(\w+)(\/cancel)?$/))) {
    const inv = invoices.get(r[1]);
    if (!inv) return err(res, 404, 'not_found', 'resource_missing', 'No such invoice');
    if (r[2]) inv.status = 'cancelled';
    invoiceStatus(inv);
    return send(res, 200, inv);
  }
  if ((r = m(/^\/api\/v1\/checkout\/([\w-]+)(\/pay|\/complete)?$/))) {
    const inv = byToken.get(r[1]);
    if (!inv) return err(res, 404, 'not_found', 'resource_missing', 'No such payment link');
    if (!r[2]) return send(res, 200, checkoutView(inv));
    const key = req.headers['idempotency-key'];
    if (key && idem.has(key)) return send(res, 200, idem.get(key), { 'Idempotent-Replayed': 'true' });
    const b = await readBody(req);
    if (r[2] === '/complete') {
      const p = inv.payments.find((x) => x.id === b.payment_id);
      if (!p) return err(res, 404, 'not_found', 'resource_missing', 'No such payment');
      const gp = gwPayments.get(p.psp_reference);
      if (p.status === 'requires_action' && gp?.result !== undefined) settle(inv, p, gp.result);
      return send(res, 200, p);
    }
    if (invoiceStatus(inv) !== 'open') return err(res, 409, 'conflict', 'invalid_state', 'The invoice cannot be paid');
    const tok = tokens.get(b.payment_token);
    if (!tok) return err(res, 400, 'invalid_request_error', 'token_invalid', 'Unknown token', 'payment_token');
    tokens.delete(b.payment_token);
    await new Promise((ok) => setTimeout(ok, 300));
    const p = { id: id('pay_'), object: 'payment', invoice_id: inv.id, status: 'processing', amount: inv.amount_total, currency: inv.currency, capture_mode: inv.capture_mode, card: tok.card, decline_code: null, decline_message: null, psp: 'testgateway', psp_reference: id('gp'), next_action: null, created_at: new Date().toISOString() };
    inv.payments.push(p);
    if (tok.number in THREEDS) {
      p.status = 'requires_action';
      inv.status = 'processing';
      gwPayments.set(p.psp_reference, { succeeds: THREEDS[tok.number], returnURL: `${base}/pay/${r[1]}?payment=${p.id}` });
      p.next_action = { type: 'redirect', redirect_url: `${base}/gateway/v1/3ds/${p.psp_reference}` };
    } else settle(inv, p, DECLINES[tok.number] ?? true);
    if (key) idem.set(key, p);
    return send(res, 200, p);
  }
  return err(res, 404, 'not_found', 'not_found', 'Not found');
}).listen(+port, host);
