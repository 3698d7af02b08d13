// Short messages announced through one aria-live region.
type Toast = { id: number; kind: 'info' | 'error'; readonly text: string };

/**
 * A toast's words: a string, or a function that words it in the current language. A function is
 * worded again whenever the language changes while the toast is shown, so "Saved." does not stay
 * English on a page switched to Serbian.
 */
export type ToastText = string | (() => string);

/** At most this many toasts are kept; a newer one pushes out the oldest. */
export const MAX_TOASTS = 3;

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(words: ToastText, kind: Toast['kind'] = 'info') {
    const id = this.next++;
    const word = typeof words === 'function' ? words : () => words;
    const text = word();
    // The same message again (a second Copy) replaces the first instead of stacking on it.
    const others = this.items.filter((x) => x.text !== text || x.kind !== kind);
    const toast: Toast = {
      id,
      kind,
      get text() {
        return word();
      },
    };
    this.items = [...others, toast].slice(-MAX_TOASTS);
    setTimeout(() => this.dismiss(id), kind === 'error' ? 10000 : 5000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((x) => x.id !== id);
  }
}

export const toasts = new Toasts();
