import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOASTS, toasts } from './toasts.svelte';

describe('toasts', () => {
  afterEach(() => {
    for (const t of toasts.items) toasts.dismiss(t.id);
    vi.useRealTimers();
  });

  it('keeps at most a few, dropping the oldest', () => {
    for (let i = 1; i <= MAX_TOASTS + 2; i++) toasts.show(`message ${i}`);
    expect(toasts.items.map((t) => t.text)).toEqual(['message 3', 'message 4', 'message 5']);
  });

  it('replaces the same message instead of stacking it', () => {
    toasts.show('Copied to the clipboard.');
    toasts.show('The e-mail is held.');
    toasts.show('Copied to the clipboard.');
    expect(toasts.items.map((t) => t.text)).toEqual(['The e-mail is held.', 'Copied to the clipboard.']);
  });

  it('keeps an error apart from an information with the same words', () => {
    toasts.show('Same words');
    toasts.show('Same words', 'error');
    expect(toasts.items.map((t) => t.kind)).toEqual(['info', 'error']);
  });

  it('goes away by itself, an error later than an information', () => {
    vi.useFakeTimers();
    toasts.show('done');
    toasts.show('failed', 'error');
    vi.advanceTimersByTime(5000);
    expect(toasts.items.map((t) => t.text)).toEqual(['failed']);
    vi.advanceTimersByTime(5000);
    expect(toasts.items).toEqual([]);
  });

  it('words a toast again when the language changes while it is shown', () => {
    let language = 'en';
    toasts.show(() => (language === 'en' ? 'Saved.' : 'Сачувано.'));
    expect(toasts.items.map((t) => t.text)).toEqual(['Saved.']);
    language = 'sr-Cyrl';
    expect(toasts.items.map((t) => t.text)).toEqual(['Сачувано.']);
  });
});
