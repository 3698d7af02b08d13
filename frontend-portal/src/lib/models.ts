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

// Reusable payment links: one link, many payers, each order an invoice with payment_link_id.
export type PaymentLink = Present<S['PaymentLink']>;
export type PaymentLinkStatus = PaymentLink['status'];
export type PaymentLinkAvailability = PaymentLink['availability'];
export type CreatePaymentLinkRequest = S['CreatePaymentLinkRequest'];
export type UpdatePaymentLinkRequest = S['UpdatePaymentLinkRequest'];
