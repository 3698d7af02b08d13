// Short messages announced through one aria-live region.
type Toast = { id: number; kind: 'info' | 'error'; text: string };

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(text: string, kind: Toast['kind'] = 'info') {
    const id = this.next++;
    this.items = [...this.items, { id, kind, text }];
    setTimeout(() => this.dismiss(id), kind === 'error' ? 10000 : 5000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((x) => x.id !== id);
  }
}

export const toasts = new Toasts();
