// Drives a running SecureLink through the TypeScript SDK generated from openapi.yaml: create an
// invoice, pay it through the built-in test gateway, refund part of it, and page through the
// invoices. Exits non-zero at the first step that does not answer as documented.
//   SECURELINK_URL=http://127.0.0.1:8080 SECURELINK_KEY=sk_test_… node build/js/scenario/scenario.js
import { client } from '../build/ts-client/client.gen.js';
import { createInvoice, getPayment, listInvoices, payCheckout, refundPayment } from '../build/ts-client/index.js';

const base = process.env.SECURELINK_URL ?? '';
const key = process.env.SECURELINK_KEY ?? '';

function check(ok: boolean, step: string, detail: unknown): void {
  if (!ok) throw new Error(`${step}: ${JSON.stringify(detail)}`);
}

async function tokenise(): Promise<string> {
  const r = await fetch(`${base}/gateway/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123' }),
  });
  const tok = (await r.json()) as { id?: string };
  check(typeof tok.id === 'string', 'tokenise', tok);
  return tok.id as string;
}

async function main(): Promise<void> {
  check(base !== '' && key !== '', 'setup', 'set SECURELINK_URL and SECURELINK_KEY');
  client.setConfig({ baseUrl: `${base}/api/v1`, auth: () => key });

  // 1. Create an invoice (a base-36 key: a long run of digits would be refused as a possible card number).
  const created = await createInvoice({
    body: {
      customer: { name: 'Ana Anić', email: 'ana@example.com' },
      lines: [{ description: 'Torta, 2 kg', quantity: 1, unit_amount: 450000, vat_rate: 20 }],
    },
    headers: { 'Idempotency-Key': `ts-scenario-${Date.now().toString(36)}` },
  });
  const inv = created.data;
  check(created.response?.status === 201 && inv?.link?.token !== undefined && inv.amount_total === 450000, 'createInvoice', created.error);
  console.log(`createInvoice        ${inv!.id} ${inv!.number} ${inv!.amount_total} ${inv!.currency}`);

  // 2. Pay it: tokenise a test card at the gateway (what the checkout page does), then pay.
  const paid = await payCheckout({
    path: { token: inv!.link!.token },
    body: { terms_accepted: true, payment_token: await tokenise() },
  });
  check(paid.data?.status === 'captured', 'payCheckout', paid.error ?? paid.data);
  const pay = paid.data!;
  console.log(`payCheckout          ${pay.id} ${pay.status} ${pay.amount_captured}`);

  // 3. Refund part of it.
  const refunded = await refundPayment({ path: { id: pay.id }, body: { amount: 100000 } });
  check(refunded.response?.status === 201 && refunded.data?.status === 'succeeded', 'refundPayment', refunded.error ?? refunded.data);
  console.log(`refundPayment        ${refunded.data!.id} ${refunded.data!.status} ${refunded.data!.amount}`);

  const got = await getPayment({ path: { id: pay.id }, query: { 'expand[]': ['invoice'] } });
  check(got.data?.amount_refunded === 100000 && got.data.invoice?.id === inv!.id, 'getPayment expand[]=invoice', got.error ?? got.data);
  console.log(`getPayment           ${got.data!.id} refunded ${got.data!.amount_refunded}, invoice ${got.data!.invoice!.status}`);

  // 4. List with pagination: a second invoice, then one invoice per page.
  const second = await createInvoice({
    body: {
      customer: { name: 'Marko Marković', email: 'marko@example.com' },
      lines: [{ description: 'Dostava', quantity: 1, unit_amount: 30000, vat_rate: 20 }],
    },
  });
  check(second.response?.status === 201, 'createInvoice (second)', second.error);
  const page1 = await listInvoices({ query: { limit: 1 } });
  check(page1.data?.data.length === 1 && page1.data.has_more, 'listInvoices', page1.error ?? page1.data);
  const after = page1.data!.data[0].id;
  const page2 = await listInvoices({ query: { limit: 1, starting_after: after } });
  check(page2.data?.data.length === 1 && page2.data.data[0].id !== after, 'listInvoices starting_after', page2.error ?? page2.data);
  const before = page2.data!.data[0].id;
  const back = await listInvoices({ query: { limit: 1, ending_before: before } });
  check(back.data?.data[0]?.id === after, 'listInvoices ending_before', back.error ?? back.data);
  console.log(`listInvoices         page 1 ${after} (has_more), page 2 ${before}, back to ${back.data!.data[0].id}`);
}

main().then(
  () => console.log('typescript client scenario: ok'),
  (err: unknown) => {
    console.error('typescript client scenario:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
