// The merchant's request log: the API requests made with its keys in the last 30 days.
import { api, unwrap } from '../api';
import type { components } from '../api-types';
import type { Present } from '../models';

export type RequestLog = Present<components['schemas']['RequestLog']>;

export type RequestLogQuery = { limit?: number; starting_after?: string; ending_before?: string; failed?: boolean };

export const requestLogService = {
  list: (query: RequestLogQuery = {}) => unwrap(api.GET('/request-logs', { params: { query } })),
};
