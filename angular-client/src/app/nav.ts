import { Injectable, signal } from '@angular/core';

/**
 * A two-page client needs no router: the path is a signal, links push history entries and the
 * back button (popstate) sets the path again. Keeps the initial bundle within its budget.
 */
@Injectable({ providedIn: 'root' })
export class Nav {
  readonly path = signal(location.pathname);

  constructor() {
    addEventListener('popstate', () => this.path.set(location.pathname));
  }

  go(event: MouseEvent, path: string): void {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.pushState(null, '', path);
    this.path.set(path);
    scrollTo(0, 0);
  }
}

/** The sku of a `/products/{sku}` path, or undefined for any other path. */
export function skuOf(path: string): string | undefined {
  const match = /^\/products\/([^/]+)\/?$/.exec(path);
  return match ? decodeURIComponent(match[1]) : undefined;
}
