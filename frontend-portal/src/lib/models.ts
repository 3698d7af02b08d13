// The one place that names the API's schemas for the rest of the portal, so a rename in openapi.yaml touches only this file.
import type { components } from './api-types';

type S = components['schemas'];

/**
 * The generated schemas mark every property optional, because the swag annotations declare none required.
 * Responses always carry their fields, so the portal reads them as present;
 * fields the server omits when empty are still read defensively (`?? []`, `|| '—'`).
 */
export type Present<T> = T extends (infer U)[]
  ? Present<U>[]
  : T extends object
    ? { [K in keyof T]-?: Present<Exclude<T[K], undefined>> }
    : T;

export type ApiErrorBody = S['ErrorResponse'];
export type User = Present<S['User']>;
export type Merchant = Present<S['Merchant']>;
export type MerchantUpdate = S['MerchantPatch'];
export type Session = Present<S['Session']>;
export type InvitationInfo = Present<S['Invitation']>;
export type Invitation = Present<S['InviteUserResponse']>;
export type ApiKey = Present<S['APIKey']>;
export type Invoice = Present<S['Invoice']>;
export type InvoiceSummary = Present<S['InvoiceSummary']>;
export type InvoiceStatus = Invoice['status'];
export type InvoiceLine = Present<S['InvoiceLine']>;
export type CreateInvoiceRequest = S['CreateInvoiceRequest'];
export type Customer = Present<S['Customer']>;
export type Link = Present<S['Link']>;
export type Payment = Present<S['Payment']>;
export type PaymentStatus = Payment['status'];
export type Transaction = Present<S['Transaction']>;
export type Refund = Present<S['Refund']>;
export type Email = Present<S['Email']>;
export type WebhookEndpoint = Present<S['WebhookEndpoint']>;
export type WebhookEvent = Present<S['Event']>;
export type WebhookDelivery = Present<S['WebhookDelivery']>;
export type WebhookAttempt = Present<S['WebhookAttempt']>;
export type DeliveryStatus = WebhookDelivery['status'];
export type Locale = Invoice['locale'];
export type CaptureMode = Invoice['capture_mode'];
export type RecordBankTransferRequest = S['RecordBankTransferRequest'];
export type StatementColumns = S['StatementColumns'];
export type StatementImport = Present<S['BankStatementImport']>;
export type StatementLine = Present<S['StatementLine']>;

export const invoiceStatuses: InvoiceStatus[] = [
  'open',
  'processing',
  'authorized',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
];
export type PaymentProvider = Present<S['PaymentProvider']>;
export type ProviderField = Present<S['ProviderField']>;
export type ProviderAccount = Present<S['ProviderAccount']>;
export type ProviderAccountTest = Present<S['ProviderAccountTest']>;
export type GoLive = Present<S['GoLive']>;

// Reusable payment links. Written from the API contract until openapi.yaml describes them.
export type PaymentLinkLine = { description: string; quantity: number; unit_amount: number; vat_rate: number; amount_total?: number; amount_vat?: number };
export type PaymentLinkStatus = 'active' | 'paused' | 'ended';
export type PaymentLinkAvailability = 'open' | 'paused' | 'ended' | 'expired' | 'sold_out';
export type PaymentLinkCustomField = { key: string; label: string; required: boolean };
export type PaymentLinkCollect = { name: boolean; email: boolean; phone: boolean; address: boolean };
export type PaymentLink = {
  id: string;
  object: 'payment_link';
  livemode: boolean;
  title: string;
  description: string;
  currency: string;
  pricing: 'fixed' | 'custom';
  lines: PaymentLinkLine[];
  adjustable_quantity: { enabled: boolean; min: number; max: number } | null;
  amount_min: number;
  amount_max: number;
  amount_suggested: number;
  max_payments: number | null;
  expires_at: string | null;
  collect: PaymentLinkCollect;
  custom_fields: PaymentLinkCustomField[];
  locale: Locale;
  capture_mode: CaptureMode;
  success_url: string;
  cancel_url: string;
  status: PaymentLinkStatus;
  availability: PaymentLinkAvailability;
  token: string;
  url: string;
  payments_count: number;
  amount_collected: number;
  created_at: string;
  updated_at: string;
};
export type CreatePaymentLinkRequest = {
  title: string;
  description?: string;
  currency?: string;
  pricing: 'fixed' | 'custom';
  lines?: { description: string; quantity: number; unit_amount: number; vat_rate: number }[];
  adjustable_quantity?: { enabled: boolean; min: number; max: number };
  amount_min?: number;
  amount_max?: number;
  amount_suggested?: number;
  max_payments?: number;
  expires_at?: string;
  collect?: PaymentLinkCollect;
  custom_fields?: PaymentLinkCustomField[];
  locale?: Locale;
  capture_mode?: CaptureMode;
  success_url?: string;
  cancel_url?: string;
};
export type UpdatePaymentLinkRequest = { title?: string; description?: string; max_payments?: number | null; expires_at?: string | null; status?: PaymentLinkStatus };
