import { describe, expect, it } from 'vitest';
import { serbianDate, serbianDateTime } from './dates';
import { interpolate } from './i18n/index.svelte';

describe('Serbian dates', () => {
  const d = new Date(2027, 0, 1, 9, 5);
  it('write the month in the genitive, in both scripts', () => {
    expect(serbianDate(d, false)).toBe('1. januara 2027.');
    expect(serbianDate(d, true)).toBe('1. јануара 2027.');
    expect(serbianDate(new Date(2026, 7, 15), false)).toBe('15. avgusta 2026.');
    expect(serbianDateTime(d, false)).toBe('1. januara 2027. 09:05');
  });
  it('never end a sentence with two full stops', () => {
    expect(interpolate('Link važi do {date}.', { date: serbianDate(d, false) })).toBe('Link važi do 1. januara 2027.');
    expect(interpolate('Линк важи до {date}.', { date: serbianDate(d, true) })).toBe('Линк важи до 1. јануара 2027.');
    expect(interpolate('Do {date}, zatim', { date: serbianDate(d, false) })).toBe('Do 1. januara 2027., zatim');
  });
});
