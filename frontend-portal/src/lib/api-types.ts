/**
 * Hand-written in openapi-typescript's shape from docs/api-contract.md while ../openapi.yaml does not exist.
 * `npm run gen` overwrites this file with the types generated from openapi.yaml.
 */

type Json<T> = { content: { 'application/json': T } };
type ErrorResponse = Json<components['schemas']['Error']>;
type Errors = {
  400: ErrorResponse;
  401: ErrorResponse;
  402: ErrorResponse;
  403: ErrorResponse;
  404: ErrorResponse;
  409: ErrorResponse;
  422: ErrorResponse;
  429: ErrorResponse;
  500: ErrorResponse;
};
type ListQuery = { limit?: number; starting_after?: string };
type IdPath = { path: { id: string } };

export interface paths {
  '/auth/login': {
    post: {
      requestBody: Json<components['schemas']['LoginRequest']>;
      responses: { 200: Json<components['schemas']['Session']> } & Errors;
    };
  };
  '/auth/logout': {
    post: { responses: { 204: { content: never } } & Errors };
  };
  '/me': {
    get: { responses: { 200: Json<components['schemas']['Session']> } & Errors };
  };
  '/auth/invitations/{token}': {
    get: {
      parameters: { path: { token: string } };
      responses: { 200: Json<components['schemas']['InvitationInfo']> } & Errors;
    };
  };
  '/auth/invitations/accept': {
    post: {
      requestBody: Json<components['schemas']['AcceptInvitationRequest']>;
      responses: { 200: Json<components['schemas']['Session']> } & Errors;
    };
  };
  '/merchant': {
    get: { responses: { 200: Json<components['schemas']['Merchant']> } & Errors };
    patch: {
      requestBody: Json<components['schemas']['MerchantUpdate']>;
      responses: { 200: Json<components['schemas']['Merchant']> } & Errors;
    };
  };
  '/users': {
    get: {
      parameters: { query?: ListQuery };
      responses: { 200: Json<components['schemas']['UserList']> } & Errors;
    };
  };
  '/users/invitations': {
    post: {
      requestBody: Json<components['schemas']['InviteUserRequest']>;
      responses: { 201: Json<components['schemas']['Invitation']> } & Errors;
    };
  };
  '/api-keys': {
    get: {
      parameters: { query?: ListQuery };
      responses: { 200: Json<components['schemas']['APIKeyList']> } & Errors;
    };
    post: {
      requestBody: Json<components['schemas']['CreateAPIKeyRequest']>;
      responses: { 201: Json<components['schemas']['APIKey']> } & Errors;
    };
  };
  '/api-keys/{id}': {
    delete: { parameters: IdPath; responses: { 200: Json<components['schemas']['APIKey']> } & Errors };
  };
  '/invoices': {
    get: {
      parameters: {
        query?: ListQuery & {
          status?: components['schemas']['InvoiceStatus'];
          q?: string;
          created_gte?: string;
          created_lte?: string;
        };
      };
      responses: { 200: Json<components['schemas']['InvoiceList']> } & Errors;
    };
    post: {
      parameters: { header?: { 'Idempotency-Key'?: string } };
      requestBody: Json<components['schemas']['CreateInvoiceRequest']>;
      responses: { 201: Json<components['schemas']['Invoice']> } & Errors;
    };
  };
  '/invoices/{id}': {
    get: { parameters: IdPath; responses: { 200: Json<components['schemas']['Invoice']> } & Errors };
  };
  '/invoices/{id}/cancel': {
    post: { parameters: IdPath; responses: { 200: Json<components['schemas']['Invoice']> } & Errors };
  };
  '/invoices/{id}/send': {
    post: { parameters: IdPath; responses: { 202: Json<components['schemas']['SendResult']> } & Errors };
  };
  '/invoices/{id}/links': {
    post: {
      parameters: IdPath;
      requestBody?: Json<{ expires_at?: string }>;
      responses: { 201: Json<components['schemas']['Link']> } & Errors;
    };
  };
  '/links/{id}/deactivate': {
    post: { parameters: IdPath; responses: { 200: Json<components['schemas']['Link']> } & Errors };
  };
  '/payments': {
    get: {
      parameters: { query?: ListQuery & { status?: components['schemas']['PaymentStatus']; invoice_id?: string } };
      responses: { 200: Json<components['schemas']['PaymentList']> } & Errors;
    };
  };
  '/payments/{id}': {
    get: { parameters: IdPath; responses: { 200: Json<components['schemas']['Payment']> } & Errors };
  };
  '/payments/{id}/capture': {
    post: {
      parameters: IdPath & { header?: { 'Idempotency-Key'?: string } };
      requestBody?: Json<{ amount?: number }>;
      responses: { 200: Json<components['schemas']['Payment']> } & Errors;
    };
  };
  '/payments/{id}/void': {
    post: {
      parameters: IdPath & { header?: { 'Idempotency-Key'?: string } };
      responses: { 200: Json<components['schemas']['Payment']> } & Errors;
    };
  };
  '/payments/{id}/refunds': {
    post: {
      parameters: IdPath & { header?: { 'Idempotency-Key'?: string } };
      requestBody?: Json<{ amount?: number; reason?: string }>;
      responses: { 201: Json<components['schemas']['Refund']> } & Errors;
    };
  };
  '/emails': {
    get: {
      parameters: { query?: ListQuery };
      responses: { 200: Json<components['schemas']['EmailList']> } & Errors;
    };
  };
  '/webhook-endpoints': {
    get: {
      parameters: { query?: ListQuery };
      responses: { 200: Json<components['schemas']['WebhookEndpointList']> } & Errors;
    };
    post: {
      requestBody: Json<components['schemas']['CreateWebhookEndpointRequest']>;
      responses: { 201: Json<components['schemas']['WebhookEndpoint']> } & Errors;
    };
  };
  '/webhook-endpoints/{id}': {
    delete: { parameters: IdPath; responses: { 200: Json<components['schemas']['WebhookEndpoint']> } & Errors };
  };
}

export interface components {
  schemas: {
    Error: {
      error: {
        type: string;
        code?: string;
        message?: string;
        param?: string;
        request_id?: string;
      };
    };
    LoginRequest: { email: string; password: string };
    AcceptInvitationRequest: { token: string; password: string; name?: string };
    InvitationInfo: { email: string; merchant_name: string; expires_at: string };
    User: { id: string; email: string; name: string; role: 'owner' | 'staff'; created_at: string };
    UserList: { object?: string; data: components['schemas']['User'][]; has_more: boolean };
    InviteUserRequest: { email: string; name?: string; role: 'staff' };
    Invitation: { user: components['schemas']['User']; invitation_url: string; expires_at: string };
    Session: {
      user: components['schemas']['User'];
      merchant: components['schemas']['Merchant'];
      csrf_token: string;
    };
    Merchant: {
      id: string;
      name: string;
      legal_name?: string;
      address?: string;
      tax_id?: string;
      support_email?: string;
      notification_email?: string;
      default_currency: string;
      default_locale: components['schemas']['Locale'];
      default_capture_mode: components['schemas']['CaptureMode'];
      terms?: string;
      created_at: string;
    };
    MerchantUpdate: {
      name?: string;
      legal_name?: string;
      address?: string;
      tax_id?: string;
      support_email?: string;
      notification_email?: string;
      default_currency?: string;
      default_locale?: components['schemas']['Locale'];
      default_capture_mode?: components['schemas']['CaptureMode'];
      terms?: string;
    };
    Locale: 'sr-Latn' | 'sr-Cyrl' | 'en';
    CaptureMode: 'automatic' | 'manual';
    APIKey: {
      id: string;
      name: string;
      secret?: string;
      prefix: string;
      created_at: string;
      last_used_at: string | null;
      expires_at: string | null;
      revoked_at: string | null;
    };
    APIKeyList: { object?: string; data: components['schemas']['APIKey'][]; has_more: boolean };
    CreateAPIKeyRequest: { name: string; expires_at?: string };
    InvoiceStatus:
      | 'open'
      | 'processing'
      | 'authorized'
      | 'paid'
      | 'partially_refunded'
      | 'refunded'
      | 'cancelled'
      | 'expired';
    Customer: { name: string; email: string; phone?: string; address?: string };
    InvoiceLine: {
      description: string;
      quantity: number;
      unit_amount: number;
      vat_rate: number;
      amount_total?: number;
      amount_vat?: number;
    };
    Link: {
      id: string;
      token: string;
      url: string;
      status: 'active' | 'deactivated' | 'expired' | 'completed';
      expires_at: string | null;
    };
    Invoice: {
      id: string;
      object?: string;
      number: string;
      reference?: string;
      status: components['schemas']['InvoiceStatus'];
      customer: components['schemas']['Customer'];
      currency: string;
      amount_total: number;
      amount_vat?: number;
      amount_paid?: number;
      amount_refunded?: number;
      lines: components['schemas']['InvoiceLine'][];
      description?: string;
      capture_mode: components['schemas']['CaptureMode'];
      locale: components['schemas']['Locale'];
      expires_at?: string | null;
      created_at: string;
      paid_at?: string | null;
      cancelled_at?: string | null;
      link?: components['schemas']['Link'] | null;
      payments?: components['schemas']['Payment'][];
      transactions?: components['schemas']['Transaction'][];
      refunds?: components['schemas']['Refund'][];
    };
    InvoiceList: { object?: string; data: components['schemas']['Invoice'][]; has_more: boolean };
    CreateInvoiceRequest: {
      customer: components['schemas']['Customer'];
      currency?: string;
      lines: { description: string; quantity: number; unit_amount: number; vat_rate: number }[];
      description?: string;
      reference?: string;
      capture_mode?: components['schemas']['CaptureMode'];
      expires_at?: string;
      locale?: components['schemas']['Locale'];
      send_email?: boolean;
    };
    SendResult: { email_id: string; status: string };
    PaymentStatus:
      | 'requires_action'
      | 'processing'
      | 'authorized'
      | 'captured'
      | 'partially_refunded'
      | 'refunded'
      | 'voided'
      | 'failed';
    Card: { brand: string; last4: string; exp_month: number; exp_year: number };
    Payment: {
      id: string;
      object?: string;
      invoice_id: string;
      status: components['schemas']['PaymentStatus'];
      amount: number;
      currency: string;
      amount_authorized: number;
      amount_captured: number;
      amount_refunded: number;
      capture_mode: components['schemas']['CaptureMode'];
      card?: components['schemas']['Card'] | null;
      decline_code?: string | null;
      decline_message?: string | null;
      psp?: string;
      psp_reference?: string | null;
      authorization_expires_at?: string | null;
      created_at: string;
      transactions?: components['schemas']['Transaction'][];
      refunds?: components['schemas']['Refund'][];
    };
    PaymentList: { object?: string; data: components['schemas']['Payment'][]; has_more: boolean };
    Transaction: {
      id: string;
      payment_id: string;
      type: 'authorize' | 'sale' | 'capture' | 'void' | 'refund';
      amount: number;
      currency: string;
      result: 'succeeded' | 'failed' | 'pending';
      psp_reference?: string | null;
      error_code?: string | null;
      error_message?: string | null;
      actor?: string;
      created_at: string;
    };
    Refund: {
      id: string;
      payment_id: string;
      amount: number;
      currency: string;
      reason?: string | null;
      status: 'pending' | 'succeeded' | 'failed';
      failure_code?: string | null;
      created_at: string;
    };
    Email: {
      id: string;
      to: string;
      subject: string;
      kind: string;
      status: 'queued' | 'sent' | 'failed' | 'held';
      attempts: number;
      last_error?: string | null;
      created_at: string;
      sent_at?: string | null;
      text?: string;
      html?: string;
    };
    EmailList: { object?: string; data: components['schemas']['Email'][]; has_more: boolean };
    WebhookEndpoint: {
      id: string;
      url: string;
      description?: string;
      enabled_events: string[];
      secret?: string;
      status?: string;
      created_at: string;
    };
    WebhookEndpointList: { object?: string; data: components['schemas']['WebhookEndpoint'][]; has_more: boolean };
    CreateWebhookEndpointRequest: { url: string; description?: string; enabled_events: string[] };
  };
}
