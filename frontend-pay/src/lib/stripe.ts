// Stripe Elements, loaded only when the checkout's provider is Stripe: this module is imported
// dynamically, so the test-gateway bundle never contains it.

const STRIPE_JS = 'https://js.stripe.com/v3';

interface StripeElement {
  mount(el: HTMLElement): void;
  destroy(): void;
  on(event: 'change', handler: (e: { complete: boolean; error?: { message: string } }) => void): void;
}

interface StripeInstance {
  elements(options?: { locale?: string }): { create(type: 'card', options?: object): StripeElement };
  createPaymentMethod(options: {
    type: 'card';
    card: StripeElement;
    billing_details?: { name?: string };
  }): Promise<{ paymentMethod?: { id: string }; error?: { code?: string; decline_code?: string; message?: string } }>;
}

type StripeFactory = (publishableKey: string, options?: { locale?: string }) => StripeInstance;

let loading: Promise<StripeFactory> | null = null;

function loadStripeJs(): Promise<StripeFactory> {
  const w = window as unknown as { Stripe?: StripeFactory };
  if (w.Stripe) return Promise.resolve(w.Stripe);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (w.Stripe ? resolve(w.Stripe) : reject(new Error('Stripe.js did not load')));
    script.onerror = () => {
      loading = null;
      reject(new Error('Stripe.js did not load'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export interface StripeCard {
  /** Creates a PaymentMethod from the mounted Element; its id is the checkout's payment_token. */
  createPaymentMethod(name: string): Promise<{ ok: true; id: string } | { ok: false; code: string; message: string }>;
  destroy(): void;
}

/** Loads Stripe.js and mounts its card Element into target. */
export async function mountStripeCard(
  target: HTMLElement,
  publishableKey: string,
  lang: string,
  onChange: (complete: boolean, error: string) => void,
): Promise<StripeCard> {
  const Stripe = await loadStripeJs();
  // Stripe.js knows "sr" only in Latin script; English elsewhere.
  const stripeLocale = lang.startsWith('sr') ? 'sr' : 'en';
  const stripe = Stripe(publishableKey, { locale: stripeLocale });
  const card = stripe.elements({ locale: stripeLocale }).create('card', { hidePostalCode: true });
  card.mount(target);
  card.on('change', (e) => onChange(e.complete, e.error?.message ?? ''));
  return {
    async createPaymentMethod(name) {
      const result = await stripe.createPaymentMethod({ type: 'card', card, billing_details: { name } });
      if (result.paymentMethod) return { ok: true, id: result.paymentMethod.id };
      return {
        ok: false,
        code: result.error?.decline_code ?? result.error?.code ?? 'card_declined',
        message: result.error?.message ?? '',
      };
    },
    destroy: () => card.destroy(),
  };
}
