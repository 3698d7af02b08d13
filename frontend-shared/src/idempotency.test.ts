import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './idempotency';

describe('newIdempotencyKey', () => {
  it('is 128 random bits in hex after the prefix, fresh every time', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey('chk_')));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(/^chk_[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{32}$/);
  });
});
