// The one place that names the API's schemas for the rest of the portal, so a rename in openapi.yaml touches only this file.
import type { components } from './api-types';

type S = components['schemas'];

export type ApiErrorBody = S['Error'];
export type User = S['User'];
export type Merchant = S['Merchant'];
export type MerchantUpdate = S['MerchantUpdate'];
export type Session = S['Session'];
export type InvitationInfo = S['InvitationInfo'];
export type Invitation = S['Invitation'];
export type ApiKey = S['APIKey'];
export type Invoice = S['Invoice'];
export type InvoiceStatus = S['InvoiceStatus'];
export type InvoiceLine = S['InvoiceLine'];
export type CreateInvoiceRequest = S['CreateInvoiceRequest'];
export type Customer = S['Customer'];
export type Link = S['Link'];
export type Payment = S['Payment'];
export type PaymentStatus = S['PaymentStatus'];
export type Transaction = S['Transaction'];
export type Refund = S['Refund'];
export type Email = S['Email'];
export type WebhookEndpoint = S['WebhookEndpoint'];
export type Locale = S['Locale'];
export type CaptureMode = S['CaptureMode'];

export const invoiceStatuses: InvoiceStatus[] = [
  'open',
  'processing',
  'authorized',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
];
