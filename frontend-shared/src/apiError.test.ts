import { describe, expect, it } from 'vitest';
import { ApiError, readApiError } from './apiError';

describe('readApiError', () => {
  it('reads every field of the error object', () => {
    const body = { error: { type: 'card_error', code: 'insufficient_funds', message: 'Declined', param: 'card', request_id: 'req_1' } };
    expect(readApiError(402, body)).toEqual({
      status: 402,
      type: 'card_error',
      code: 'insufficient_funds',
      message: 'Declined',
      param: 'card',
      requestId: 'req_1',
    });
  });
  it.each([
    [0, 'network_error'],
    [404, 'invalid_request_error'],
    [502, 'api_error'],
  ])('an answer %i without an error object is a %s', (status, type) => {
    expect(readApiError(status, 'Bad Gateway')).toMatchObject({ status, type, code: '', message: '' });
  });
});

describe('ApiError', () => {
  it('is throwable with the same fields and the message as its text', () => {
    const err = new ApiError(409, { error: { type: 'conflict', code: 'invalid_state', message: 'Already paid.', request_id: 'req_2' } });
    expect(err).toBeInstanceOf(Error);
    expect([err.status, err.type, err.code, err.message, err.param, err.requestId]).toEqual([409, 'conflict', 'invalid_state', 'Already paid.', '', 'req_2']);
    expect(new ApiError(500, null).message).toBe('HTTP 500');
  });
});
