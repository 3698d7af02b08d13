// The error object every SecureLink API error carries, read the same way by both SPAs.

/** The body of an API error: {"error":{type,code,message,param,request_id}}. */
export interface ApiErrorBody {
  error?: { type?: string; code?: string; message?: string; param?: string; request_id?: string };
}

/** What an error says, plus the HTTP status; status 0 means the request never got an answer. */
export interface ApiErrorFields {
  status: number;
  type: string;
  code: string;
  message: string;
  param?: string;
  requestId?: string;
}

/** The broad type of an answer without an error object: the network, the server, or the request. */
function fallbackType(status: number): string {
  if (status === 0) return 'network_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** Reads an error answer's body (anything, even nothing) into its fields. */
export function readApiError(status: number, body: unknown): ApiErrorFields {
  const e = (body as ApiErrorBody | null | undefined)?.error;
  return {
    status,
    type: e?.type ?? fallbackType(status),
    code: e?.code ?? '',
    message: e?.message ?? '',
    param: e?.param,
    requestId: e?.request_id,
  };
}

/** An API error as a throwable value, for code that reads calls as plain awaits. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string;
  readonly requestId: string;

  constructor(status: number, body: unknown) {
    const f = readApiError(status, body);
    super(f.message || `HTTP ${status}`);
    this.status = status;
    this.type = f.type;
    this.code = f.code;
    this.param = f.param ?? '';
    this.requestId = f.requestId ?? '';
  }
}
