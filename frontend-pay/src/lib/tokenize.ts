// Sends the card straight to the test gateway's tokenisation endpoint (never to /api) and gets
// back a single-use token; only that token is handed to SecureLink.

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string;
}

export interface TokenCard {
  brand?: string;
  last4?: string;
  exp_month?: number;
  exp_year?: number;
}

export type TokenResult =
  | { ok: true; token: string; card: TokenCard }
  | { ok: false; status: number; code: string; message: string; param?: string };

export async function tokenizeCard(tokenizeURL: string, card: CardInput): Promise<TokenResult> {
  let response: Response;
  try {
    response = await fetch(tokenizeURL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        number: card.number,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        cvc: card.cvc,
        name: card.name,
      }),
      // The card must not ride along with cookies or leak the checkout URL.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, code: 'network_error', message: '' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const ok = body as { id?: string; card?: TokenCard } | null;
  if (response.ok && ok && typeof ok.id === 'string') {
    return { ok: true, token: ok.id, card: ok.card ?? {} };
  }
  const err = (body as { error?: { code?: string; message?: string; param?: string } } | null)?.error;
  return {
    ok: false,
    status: response.status,
    code: err?.code ?? 'tokenization_failed',
    message: err?.message ?? '',
    param: err?.param,
  };
}
