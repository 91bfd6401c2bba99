import { InjectionToken, inject } from '@angular/core';
import { CanActivateFn } from '@angular/router';
import { map } from 'rxjs';
import { SessionStore } from './session';

/** Leaves the app for another address (the gateway's sign-in); a token, so tests can see where it went. */
export const LEAVE_APP = new InjectionToken<(url: string) => void>('leave the app', {
  providedIn: 'root',
  factory: () => (url: string) => location.assign(url),
});

/**
 * Pages of a signed-in shopper (checkout, orders, profile). A guest is sent to the gateway's
 * sign-in, with the page asked for remembered as every sign-in is (`SessionStore.rememberReturn`),
 * so the gateway's landing on `/` opens it again.
 */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(SessionStore);
  const leave = inject(LEAVE_APP);
  return session.whenKnown().pipe(map((view) => {
    if (view.authenticated) return true;
    session.rememberReturn(state.url);
    leave(view.loginUrl);
    return false;
  }));
};
