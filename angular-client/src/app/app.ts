import { HttpXsrfTokenExtractor } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { OPS_ROLE } from './ops.guard';
import { SessionStore } from './session';
import { ShopCart } from './shop-cart';

@Component({
  selector: 'app-root',
  imports: [RouterLink, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="site-header">
      <a routerLink="/" class="brand">Surge shop</a>
      <nav aria-label="Account and cart" class="account">
        @if (session.signedIn()) {
          <a routerLink="/orders">My orders</a>
          <a routerLink="/profile">Profile</a>
          @if (isOps()) { <a routerLink="/ops">Ops dashboard</a> }
          <details class="user-menu">
            <summary>{{ userName() }}</summary>
            <!-- a real form: the gateway answers the sign-out with a redirect to the provider, which only a navigation can follow -->
            <form method="post" [action]="session.logoutUrl()" (submit)="signOut($event)">
              <input type="hidden" name="_csrf">
              <button type="submit">Sign out</button>
            </form>
          </details>
        } @else if (session.known()) {
          <a [href]="session.loginUrl()" (click)="rememberPage()">Sign in</a>
          @if (session.signUpUrl(); as signUp) {
            <a [href]="signUp" (click)="rememberPage()">Register</a>
          }
        }
        <a routerLink="/cart" class="cart-link" [attr.aria-label]="cartLabel()">
          <svg aria-hidden="true" focusable="false" width="24" height="24" viewBox="0 0 24 24">
            <path fill="currentColor" d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM5.2 4l.6 3H21l-2 8H7.2L4.4 2H1v2h3.2l.1.5z"/>
          </svg>
          <span aria-hidden="true" class="cart-count">{{ count() }}</span>
        </a>
      </nav>
    </header>
    <div role="status" aria-live="polite" class="notice-region">
      @if (cart.notice().length > 0) {
        <div class="notice">
          <ul>@for (line of cart.notice(); track $index) { <li>{{ line }}</li> }</ul>
          <button type="button" (click)="cart.notice.set([])">Dismiss</button>
        </div>
      }
      @if (signInFailed) { <p class="notice">Signing in did not complete. Please try again.</p> }
    </div>
    <main><router-outlet /></main>
  `,
})
export class App {
  protected readonly session = inject(SessionStore);
  protected readonly cart = inject(ShopCart);
  private readonly router = inject(Router);
  private readonly xsrf = inject(HttpXsrfTokenExtractor);

  protected readonly count = this.cart.count;
  protected readonly cartLabel = computed(() => `Cart, ${this.count()} ${this.count() === 1 ? 'item' : 'items'}`);
  protected readonly isOps = computed(() => this.session.session()?.roles?.includes(OPS_ROLE) === true);
  protected readonly userName = computed(() => this.session.session()?.name || this.session.session()?.email || 'Your account');
  /** The gateway's failure URL is `/?login=failed`. */
  protected readonly signInFailed = new URLSearchParams(location.search).get('login') === 'failed';

  constructor() {
    this.session.load().subscribe((session) => {
      if (!session.authenticated) return;
      this.session.ensureProfile().subscribe();
      this.cart.start();
      // the address, not router.url, which reads '/' until the first navigation has ended
      const back = this.session.takeReturn();
      if (back && location.pathname === '/' && !location.search) this.router.navigateByUrl(back);
    });
  }

  protected rememberPage(): void {
    // the address, not router.url: a click before the first navigation has ended (a deep link whose
    // page is still loading) would remember '/' and land the shopper on the home page
    this.session.rememberReturn(location.pathname + location.search + location.hash);
  }

  /** The form carries the CSRF cookie's value; without the cookie yet, ask the session (which sets it) first. */
  protected signOut(event: SubmitEvent): void {
    const form = event.target as HTMLFormElement;
    const field = form.elements.namedItem('_csrf') as HTMLInputElement;
    field.value = this.xsrf.getToken() ?? '';
    if (field.value) return;
    event.preventDefault();
    this.session.load().subscribe(() => {
      field.value = this.xsrf.getToken() ?? '';
      form.submit();
    });
  }
}
