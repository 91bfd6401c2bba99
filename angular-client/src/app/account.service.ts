import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, map, throwError } from 'rxjs';
import { Address, AddressForm, Profile, ProfileDetails } from './account';

/** cart-order's profile and saved addresses through the gateway; always the signed-in shopper's own. */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);

  /** The profile; one that does not exist yet is created from the sign-in's claims (`PUT`, as at the first sign-in). */
  profile(): Observable<Profile> {
    return this.http.get<Profile>('/api/users/me').pipe(
      catchError((e: unknown) => (e instanceof HttpErrorResponse && e.status === 404
        ? this.http.put<Profile>('/api/users/me', null)
        : throwError(() => e))),
    );
  }

  /** `PATCH /api/users/me`: name (1–100 characters), phone (`""` removes it) and preferences, all at once. */
  updateProfile(details: ProfileDetails): Observable<Profile> {
    return this.http.patch<Profile>('/api/users/me', details);
  }

  /** The saved addresses, the default first (one page holds them all: the cap is 20). */
  addresses(): Observable<Address[]> {
    return this.http.get<{ items: Address[] }>('/api/users/me/addresses').pipe(map((page) => page.items));
  }

  addAddress(form: AddressForm): Observable<Address> {
    return this.http.post<Address>('/api/users/me/addresses', form);
  }

  /** Replaces every field (an optional one left out is removed); `default: false` never takes the flag away. */
  replaceAddress(id: string, form: AddressForm): Observable<Address> {
    return this.http.put<Address>(`/api/users/me/addresses/${encodeURIComponent(id)}`, form);
  }

  makeDefault(id: string): Observable<Address> {
    return this.http.post<Address>(`/api/users/me/addresses/${encodeURIComponent(id)}/default`, null);
  }

  deleteAddress(id: string): Observable<unknown> {
    return this.http.delete(`/api/users/me/addresses/${encodeURIComponent(id)}`);
  }
}
