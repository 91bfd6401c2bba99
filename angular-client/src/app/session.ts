import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Observable, catchError, finalize, of, share, tap } from 'rxjs';
import { Profile } from './account';

/** `GET /api/session` (edge-gateway's SessionController): who is signed in; never a token. */
export interface SessionView {
  authenticated: boolean;
  subject?: string;
  name?: string;
  email?: string;
  roles: string[];
  loginUrl: string;
  /** Where to register: the sign-in start asking for the provider's sign-up; absent when the provider has none. */
  signUpUrl?: string | null;
  logoutUrl: string;
}

const ANONYMOUS: SessionView = { authenticated: false, roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout' };
const RETURN_KEY = 'surge.return-to';

/**
 * The browser's sign-in as the gateway sees it. The gateway lands every sign-in on `/`, so the
 * page the shopper left is remembered in sessionStorage and opened again afterwards.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly http = inject(HttpClient);
  private readonly state = signal<SessionView | undefined>(undefined);
  private readonly profileSignal = signal<Profile | undefined>(undefined);
  private loading?: Observable<SessionView>;

  /** Undefined until the gateway answered (or could not). */
  readonly session = this.state.asReadonly();
  readonly known = computed(() => this.state() !== undefined);
  readonly signedIn = computed(() => this.state()?.authenticated === true);
  readonly loginUrl = computed(() => this.state()?.loginUrl ?? ANONYMOUS.loginUrl);
  readonly signUpUrl = computed(() => this.state()?.signUpUrl || undefined);
  readonly logoutUrl = computed(() => this.state()?.logoutUrl ?? ANONYMOUS.logoutUrl);
  /**
   * The signed-in shopper's profile as read (or created) after sign-in, kept as the profile page
   * reads and changes it; only while it is that of the shopper the session names.
   */
  readonly profile = computed(() => {
    const profile = this.profileSignal();
    return profile && profile.userId === this.state()?.subject ? profile : undefined;
  });

  /**
   * Asks the gateway, which also sets the XSRF-TOKEN cookie. A gateway that cannot answer leaves
   * a guest: browsing and the guest cart still work, and signing in is one click away.
   */
  load(): Observable<SessionView> {
    const request = this.http.get<SessionView>('/api/session').pipe(
      catchError(() => of(ANONYMOUS)),
      tap((session) => this.state.set(session)),
      finalize(() => { if (this.loading === request) this.loading = undefined; }),
      share(),
    );
    this.loading = request;
    return request;
  }

  /** The session once the gateway answered: at once when known, else the answer of the ask on its way (or a new one). */
  whenKnown(): Observable<SessionView> {
    const known = this.state();
    if (known) return of(known);
    return this.loading ?? this.load();
  }

  /**
   * The profile exists from the first sign-in on: `PUT /api/users/me` creates it from the token's
   * claims (`201`; `200` and no change after), sent only when `GET` says there is none yet.
   */
  ensureProfile(): Observable<Profile | null> {
    return this.http.get<Profile>('/api/users/me').pipe(
      catchError((e: HttpErrorResponse) => (e.status === 404 ? this.http.put<Profile>('/api/users/me', null) : of(null))),
      catchError(() => of(null)),
      tap((profile) => { if (profile) this.profileSignal.set(profile); }),
    );
  }

  /** The profile as the profile page last saved it. */
  keepProfile(profile: Profile): void {
    this.profileSignal.set(profile);
  }

  rememberReturn(url: string): void {
    try {
      sessionStorage.setItem(RETURN_KEY, url);
    } catch {
      // no storage: the shopper lands on the home page
    }
  }

  /** The page to go back to after signing in, once; only a path of this app. */
  takeReturn(): string | undefined {
    let url: string | null = null;
    try {
      url = sessionStorage.getItem(RETURN_KEY);
      sessionStorage.removeItem(RETURN_KEY);
    } catch {
      return undefined;
    }
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : undefined;
  }
}
