// Short messages announced through one aria-live region.
type Toast = { id: number; kind: 'info' | 'error'; text: string };

/** At most this many toasts are kept; a newer one pushes out the oldest. */
export const MAX_TOASTS = 3;

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(text: string, kind: Toast['kind'] = 'info') {
    const id = this.next++;
    // The same message again (a second Copy) replaces the first instead of stacking on it.
    const others = this.items.filter((x) => x.text !== text || x.kind !== kind);
    this.items = [...others, { id, kind, text }].slice(-MAX_TOASTS);
    setTimeout(() => this.dismiss(id), kind === 'error' ? 10000 : 5000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((x) => x.id !== id);
  }
}

export const toasts = new Toasts();
