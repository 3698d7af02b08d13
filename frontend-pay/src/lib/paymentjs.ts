// AllSecure Exchange's payment.js, loaded only when the checkout's provider is Exchange: this module
// is imported dynamically, so other checkouts never contain it. The card number and security code
// live in the gateway's frames; the checkout only ever holds the token payment.js gives back.

/** What payment.js tells about a field as the payer types (no digits, only their count and validity). */
export interface FieldState {
  numberLength?: number;
  validNumber?: boolean;
  cvvLength?: number;
  validCvv?: boolean;
}

/** A field payment.js could not accept. */
export interface TokenizeError {
  attribute?: string;
  key?: string;
  message?: string;
}

interface PaymentJsInstance {
  init(publicIntegrationKey: string, numberDivId: string, cvvDivId: string, onReady: (p: PaymentJsInstance) => void): void;
  tokenize(
    data: { card_holder: string; month: string; year: string },
    onSuccess: (token: string, cardData: unknown) => void,
    onError: (errors: TokenizeError[]) => void,
  ): void;
  setNumberStyle(css: Record<string, string>): void;
  setCvvStyle(css: Record<string, string>): void;
  numberOn(event: 'input' | 'focus' | 'blur', cb: (s: FieldState) => void): void;
  cvvOn(event: 'input' | 'focus' | 'blur', cb: (s: FieldState) => void): void;
  reset(): void;
}

type PaymentJsConstructor = new (version: string) => PaymentJsInstance;

const loading = new Map<string, Promise<PaymentJsConstructor>>();

/** Loads payment.js once from the account's gateway. */
function loadPaymentJs(scriptUrl: string): Promise<PaymentJsConstructor> {
  const w = window as unknown as { PaymentJs?: PaymentJsConstructor };
  if (w.PaymentJs) return Promise.resolve(w.PaymentJs);
  let p = loading.get(scriptUrl);
  if (!p) {
    p = new Promise<PaymentJsConstructor>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = scriptUrl;
      script.async = true;
      script.onload = () => (w.PaymentJs ? resolve(w.PaymentJs) : reject(new Error('payment.js did not load')));
      script.onerror = () => {
        loading.delete(scriptUrl);
        reject(new Error('payment.js did not load'));
      };
      document.head.appendChild(script);
    });
    loading.set(scriptUrl, p);
  }
  return p;
}

export type TokenizeResult = { ok: true; token: string } | { ok: false; errors: TokenizeError[] };

export interface ExchangeCard {
  tokenize(holder: string, month: number, year: number): Promise<TokenizeResult>;
  reset(): void;
}

/** Loads payment.js and mounts its number and security-code frames into the two elements. */
export async function mountExchangeCard(
  scriptUrl: string,
  publicKey: string,
  numberId: string,
  cvvId: string,
  onInput: (field: 'number' | 'cvv', s: FieldState) => void,
): Promise<ExchangeCard> {
  const PaymentJs = await loadPaymentJs(scriptUrl);
  const payment = new PaymentJs('1.2');
  await new Promise<void>((resolve) => payment.init(publicKey, numberId, cvvId, () => resolve()));
  const style = { 'font-size': '16px', color: '#1a1a1a', 'font-family': 'system-ui, sans-serif' };
  payment.setNumberStyle(style);
  payment.setCvvStyle(style);
  payment.numberOn('input', (s) => onInput('number', s));
  payment.cvvOn('input', (s) => onInput('cvv', s));
  return {
    tokenize: (holder, month, year) =>
      new Promise<TokenizeResult>((resolve) =>
        payment.tokenize(
          { card_holder: holder, month: String(month).padStart(2, '0'), year: String(year) },
          (token) => resolve({ ok: true, token }),
          (errors) => resolve({ ok: false, errors: errors ?? [] }),
        ),
      ),
    reset: () => payment.reset(),
  };
}
