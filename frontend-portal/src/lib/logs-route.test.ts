import { describe, expect, it } from 'vitest';
import { resolve } from './routes';

describe('the Logs page', () => {
  it('has its own address', () => {
    expect(resolve('/portal/logs').name).toBe('logs');
    expect(resolve('/portal/logs/x').name).toBe('not-found');
  });
});
