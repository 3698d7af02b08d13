import { describe, expect, it } from 'vitest';
import { longDate, longDateTime } from './dates';

describe('longDate', () => {
  it('writes the Serbian month in the genitive with one full stop', () => {
    expect(longDate('2027-01-01T10:00:00Z', 'sr-Latn', 'UTC')).toBe('1. januara 2027.');
    expect(longDate('2027-01-01T10:00:00Z', 'sr-Cyrl', 'UTC')).toBe('1. јануара 2027.');
    expect(longDate('2026-12-31T10:00:00Z', 'sr-Latn', 'UTC')).toBe('31. decembra 2026.');
    expect(longDate('2027-01-01T10:00:00Z', 'en', 'UTC')).toBe('1 January 2027');
  });
  it('adds the time', () => {
    expect(longDateTime('2027-03-05T14:05:00Z', 'sr-Latn', 'UTC')).toBe('5. marta 2027. u 14:05');
    expect(longDateTime('2027-03-05T14:05:00Z', 'sr-Cyrl', 'UTC')).toBe('5. марта 2027. у 14:05');
    expect(longDateTime('2027-03-05T14:05:00Z', 'en', 'UTC')).toBe('5 March 2027 at 14:05');
  });
  it('is empty for nothing or nonsense', () => {
    expect(longDate(null, 'en')).toBe('');
    expect(longDate('not a date', 'sr-Latn')).toBe('');
  });
});
