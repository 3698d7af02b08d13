import { describe, expect, it } from 'vitest';
import cases from './locale-cases.json';
import { browserLocale, matchLocale } from './locale';

describe('matchLocale (the same cases as Go domain.MatchLocale)', () => {
  it.each(cases as [string, string][])('%s → %s', (tag, want) => {
    expect(matchLocale(tag) ?? '').toBe(want);
  });
  it('takes the first language it speaks', () => {
    expect(browserLocale(['de-DE', 'sr', 'en'], 'en')).toBe('sr-Cyrl');
    expect(browserLocale(['de-DE'], 'sr-Latn')).toBe('sr-Latn');
  });
});
