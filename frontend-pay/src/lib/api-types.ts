/**
 * Hand-written stand-in for the file openapi-typescript generates from ../openapi.yaml
 * (`npm run gen`), in the same shape, following docs/api-contract.md. `npm run build`
 * overwrites it as soon as the generated spec exists.
 */

export type paths = {
  '/checkout/{token}': {
    parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
    get: operations['getCheckout'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/checkout/{token}/pay': {
    parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
    get?: never;
    put?: never;
    post: operations['payCheckout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/checkout/{token}/complete': {
    parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
    get?: never;
    put?: never;
    post: operations['completeCheckout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
};

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    'api.ErrorBody': {
      type: string;
      code?: string;
      message?: string;
      param?: string;
      request_id?: string;
    };
    'api.ErrorResponse': { error: components['schemas']['api.ErrorBody'] };
    'api.Card': { brand?: string; last4?: string; exp_month?: number; exp_year?: number };
    'api.InvoiceLine': {
      description: string;
      quantity: number;
      unit_amount: number;
      vat_rate: number;
      amount_total: number;
      amount_vat?: number;
    };
    'api.CheckoutMerchant': { name: string; support_email?: string; terms?: string };
    'api.CheckoutInvoice': {
      number?: string;
      description?: string;
      customer_name?: string;
      currency: string;
      amount_total: number;
      amount_vat?: number;
      lines?: components['schemas']['api.InvoiceLine'][];
    };
    'api.CheckoutProvider': {
      name: string;
      tokenize_url?: string;
      publishable_key?: string;
    };
    'api.Receipt': {
      payment_id: string;
      status: string;
      amount: number;
      currency: string;
      card?: components['schemas']['api.Card'] | null;
      paid_at?: string | null;
      reference?: string;
    };
    'api.Checkout': {
      object?: string;
      status: string;
      link_status: string;
      merchant: components['schemas']['api.CheckoutMerchant'];
      invoice?: components['schemas']['api.CheckoutInvoice'] | null;
      locale?: string;
      capture_mode?: string;
      provider?: components['schemas']['api.CheckoutProvider'] | null;
      receipt?: components['schemas']['api.Receipt'] | null;
      expires_at?: string;
    };
    'api.NextAction': { type: string; redirect_url: string };
    'api.Payment': {
      id: string;
      object?: string;
      invoice_id?: string;
      status: string;
      amount: number;
      currency: string;
      amount_authorized?: number;
      amount_captured?: number;
      amount_refunded?: number;
      capture_mode?: string;
      card?: components['schemas']['api.Card'] | null;
      decline_code?: string | null;
      decline_message?: string | null;
      psp?: string;
      psp_reference?: string;
      next_action?: components['schemas']['api.NextAction'] | null;
      created_at?: string;
    };
    'api.PayRequest': { terms_accepted: boolean; payment_token: string };
    'api.CompleteRequest': { payment_id: string };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

type ErrorContent = { 'application/json': components['schemas']['api.ErrorResponse'] };
type ErrorResponses = {
  400: { headers: { [name: string]: unknown }; content: ErrorContent };
  402: { headers: { [name: string]: unknown }; content: ErrorContent };
  404: { headers: { [name: string]: unknown }; content: ErrorContent };
  409: { headers: { [name: string]: unknown }; content: ErrorContent };
  422: { headers: { [name: string]: unknown }; content: ErrorContent };
  429: { headers: { [name: string]: unknown }; content: ErrorContent };
  500: { headers: { [name: string]: unknown }; content: ErrorContent };
};

export interface operations {
  getCheckout: {
    parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
    requestBody?: never;
    responses: {
      200: {
        headers: { [name: string]: unknown };
        content: { 'application/json': components['schemas']['api.Checkout'] };
      };
    } & Pick<ErrorResponses, 404 | 429 | 500>;
  };
  payCheckout: {
    parameters: {
      query?: never;
      header?: { 'Idempotency-Key'?: string };
      path: { token: string };
      cookie?: never;
    };
    requestBody: { content: { 'application/json': components['schemas']['api.PayRequest'] } };
    responses: {
      200: {
        headers: { [name: string]: unknown };
        content: { 'application/json': components['schemas']['api.Payment'] };
      };
    } & ErrorResponses;
  };
  completeCheckout: {
    parameters: {
      query?: never;
      header?: { 'Idempotency-Key'?: string };
      path: { token: string };
      cookie?: never;
    };
    requestBody: { content: { 'application/json': components['schemas']['api.CompleteRequest'] } };
    responses: {
      200: {
        headers: { [name: string]: unknown };
        content: { 'application/json': components['schemas']['api.Payment'] };
      };
    } & ErrorResponses;
  };
}
