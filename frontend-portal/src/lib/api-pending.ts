/**
 * Routes of docs/api-contract.md that ../openapi.yaml does not describe yet, hand-written in
 * openapi-typescript's shape. The client is typed with `paths & pendingPaths`; when a route appears in
 * the generated api-types.ts, delete it here.
 */
import type { components } from './api-types';

type S = components['schemas'];
type Json<T> = { content: { 'application/json': T } };
type ErrorResponse = Json<S['ErrorResponse']>;
type Errors = { 400: ErrorResponse; 404: ErrorResponse; 409: ErrorResponse; 422: ErrorResponse };
type ListQuery = { limit?: number; starting_after?: string };
type IdPath = { path: { id: string } };
type Idempotent = { header?: { 'Idempotency-Key'?: string } };
type List<T> = { object?: string; data?: T[]; has_more?: boolean };

export interface pendingPaths {
  '/payments': {
    get: {
      parameters: { query?: ListQuery & { status?: S['Payment']['status']; invoice_id?: string } };
      responses: { 200: Json<List<S['Payment']>> } & Errors;
    };
  };
  '/payments/{id}': {
    get: { parameters: IdPath; responses: { 200: Json<S['Payment']> } & Errors };
  };
  '/payments/{id}/capture': {
    post: {
      parameters: IdPath & Idempotent;
      requestBody?: Json<{ amount?: number }>;
      responses: { 200: Json<S['Payment']> } & Errors;
    };
  };
  '/payments/{id}/void': {
    post: { parameters: IdPath & Idempotent; responses: { 200: Json<S['Payment']> } & Errors };
  };
  '/payments/{id}/refunds': {
    post: {
      parameters: IdPath & Idempotent;
      requestBody?: Json<{ amount?: number; reason?: string }>;
      responses: { 201: Json<S['Refund']> } & Errors;
    };
  };
}
