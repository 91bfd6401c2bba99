import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Observable } from 'rxjs';
import { Address, Profile, ProfileDetails, addressText, fieldErrors } from './account';
import { AccountApi } from './account.service';
import { AddressFormView } from './address-form';
import { Problem, toProblem } from './catalog';
import { Load, ProblemView } from './problem-view';
import { SessionStore } from './session';
import { retryWhenUnavailable } from './unavailable';

/** The languages a shopper may choose (ISO 639-1), as their speakers name them. */
const LANGUAGES: readonly { code: string; name: string }[] = [
  { code: 'en', name: 'English' }, { code: 'de', name: 'Deutsch' }, { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' }, { code: 'it', name: 'Italiano' }, { code: 'nl', name: 'Nederlands' },
  { code: 'pl', name: 'Polski' },
];

@Component({
  selector: 'app-profile-page',
  imports: [AddressFormView, ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Your profile</h1>
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">You</h2>
      @switch (profile().state) {
        @case ('loading') { <p>Loading your profile…</p> }
        @case ('error') {
          <app-problem [problem]="profileProblem()!" />
          <button type="button" (click)="loadProfile()">Try again</button>
        }
        @case ('ok') {
          @let p = me()!;
          <dl class="profile">
            <dt>Name</dt><dd class="profile-name">{{ p.name }}</dd>
            <dt>E-mail</dt><dd class="profile-email">{{ p.email }}</dd>
            <dt>Phone</dt><dd class="profile-phone">{{ p.phone || 'none given' }}</dd>
            <dt>Offers by e-mail</dt><dd class="profile-marketing">{{ p.preferences?.marketingEmails ? 'yes' : 'no' }}</dd>
            <dt>Language</dt><dd class="profile-language">{{ languageName(p.preferences?.language ?? 'en') }}</dd>
          </dl>
          <form class="details" (submit)="$event.preventDefault(); saveDetails($any($event.target))">
            <label for="profile-name">Name
              <input id="profile-name" name="name" required maxlength="100" autocomplete="name" [value]="p.name"
                     [attr.aria-invalid]="fieldError('name') ? true : null" [attr.aria-describedby]="fieldError('name') ? 'profile-name-error' : null">
            </label>
            @if (fieldError('name'); as message) { <p class="field-error" id="profile-name-error">{{ message }}</p> }
            <label for="profile-phone">Phone (optional)
              <input id="profile-phone" name="phone" type="tel" maxlength="21" autocomplete="tel" [value]="p.phone ?? ''"
                     [attr.aria-invalid]="fieldError('phone') ? true : null" [attr.aria-describedby]="fieldError('phone') ? 'profile-phone-error' : null">
            </label>
            @if (fieldError('phone'); as message) { <p class="field-error" id="profile-phone-error">{{ message }}</p> }
            <label for="profile-marketing">
              <input id="profile-marketing" name="marketingEmails" type="checkbox" [checked]="p.preferences?.marketingEmails ?? false">
              Send me offers by e-mail
            </label>
            <label for="profile-language">Language
              <select id="profile-language" name="language"
                      [attr.aria-invalid]="fieldError('preferences.language') ? true : null"
                      [attr.aria-describedby]="fieldError('preferences.language') ? 'profile-language-error' : null">
                @for (l of languages(); track l.code) {
                  <option [value]="l.code" [selected]="l.code === (p.preferences?.language ?? 'en')">{{ l.name }}</option>
                }
              </select>
            </label>
            @if (fieldError('preferences.language'); as message) { <p class="field-error" id="profile-language-error">{{ message }}</p> }
            <button type="submit" [disabled]="busy()">Save your details</button>
          </form>
          <p>Your e-mail address comes from your sign-in. <a routerLink="/orders">See your orders</a>.</p>
        }
      }
    </section>
    <section aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">Saved addresses</h2>
      <p role="status" class="status">{{ status() }}</p>
      @if (actionProblem(); as p) { <app-problem [problem]="p" /> }
      @switch (addresses().state) {
        @case ('loading') { <p>Loading your addresses…</p> }
        @case ('error') {
          <app-problem [problem]="addressProblem()!" />
          <button type="button" (click)="loadAddresses()">Try again</button>
        }
        @case ('ok') {
          <ul class="address-list">
            @for (a of saved(); track a.id) {
              <li>
                <span>@if (a.label) { <strong>{{ a.label }}:</strong> } {{ text(a) }} @if (a.default) { <em>(default)</em> }</span>
                @if (!a.default) {
                  <button type="button" [disabled]="busy()" (click)="makeDefault(a)">Make default<span class="visually-hidden"> {{ text(a) }}</span></button>
                }
                <button type="button" [attr.aria-expanded]="editing() === a.id" (click)="editing.set(editing() === a.id ? undefined : a.id)">Edit<span class="visually-hidden"> {{ text(a) }}</span></button>
                <button type="button" [disabled]="busy()" (click)="remove(a)">Delete<span class="visually-hidden"> {{ text(a) }}</span></button>
                @if (editing() === a.id) {
                  <app-address-form [idPrefix]="'edit-' + a.id" [address]="a" (saved)="changed($event)" />
                }
              </li>
            } @empty {
              <li>No saved addresses yet.</li>
            }
          </ul>
          <h3>Add an address</h3>
          <app-address-form idPrefix="profile-address" [recipientName]="me()?.name ?? ''" [offerDefault]="saved().length > 0"
                            (saved)="added($event)" />
        }
      }
    </section>
  `,
})
export default class ProfilePage {
  private readonly account = inject(AccountApi);
  private readonly session = inject(SessionStore);
  protected readonly profile = signal<Load<Profile>>({ state: 'loading' });
  protected readonly addresses = signal<Load<Address[]>>({ state: 'loading' });
  protected readonly busy = signal(false);
  protected readonly status = signal('');
  protected readonly actionProblem = signal<Problem | undefined>(undefined);
  /** Why cart-order refused a field of the details form, by the field's name in its answer. */
  protected readonly detailErrors = signal<Record<string, string>>({});
  /** The address whose form is open. */
  protected readonly editing = signal<string | undefined>(undefined);

  protected readonly me = computed(() => { const p = this.profile(); return p.state === 'ok' ? p.value : undefined; });
  /** The languages offered, with the profile's own first if it is another (set elsewhere, kept as it is). */
  protected readonly languages = computed(() => {
    const own = this.me()?.preferences?.language;
    return own && !LANGUAGES.some((l) => l.code === own) ? [{ code: own, name: own }, ...LANGUAGES] : LANGUAGES;
  });
  protected readonly profileProblem = computed(() => { const p = this.profile(); return p.state === 'error' ? p.problem : undefined; });
  protected readonly saved = computed(() => { const a = this.addresses(); return a.state === 'ok' ? a.value : []; });
  protected readonly addressProblem = computed(() => { const a = this.addresses(); return a.state === 'error' ? a.problem : undefined; });

  constructor() {
    this.loadProfile();
    this.loadAddresses();
  }

  protected loadProfile(): void {
    this.profile.set({ state: 'loading' });
    this.account.profile().pipe(retryWhenUnavailable((problem) => this.profile.set({ state: 'error', problem }))).subscribe({
      next: (value) => {
        this.profile.set({ state: 'ok', value });
        this.session.keepProfile(value);
      },
      error: (e) => this.profile.set({ state: 'error', problem: toProblem(e) }),
    });
  }

  protected loadAddresses(): void {
    this.account.addresses().pipe(retryWhenUnavailable((problem) => this.addresses.set({ state: 'error', problem }))).subscribe({
      next: (value) => this.addresses.set({ state: 'ok', value }),
      error: (e) => this.addresses.set({ state: 'error', problem: toProblem(e) }),
    });
  }

  /**
   * `PATCH /api/users/me` with every field of the form (an empty phone removes it); each field
   * cart-order refuses is said beside it, and nothing is changed.
   */
  protected saveDetails(form: HTMLFormElement): void {
    const data = new FormData(form);
    const details: ProfileDetails = {
      name: String(data.get('name') ?? '').trim(),
      phone: String(data.get('phone') ?? '').trim(),
      preferences: { marketingEmails: data.get('marketingEmails') !== null, language: String(data.get('language') ?? 'en') },
    };
    this.detailErrors.set({});
    this.act(this.account.updateProfile(details), 'Your details are saved.', (profile) => {
      this.profile.set({ state: 'ok', value: profile as Profile });
      this.session.keepProfile(profile as Profile);
    },
      (e) => {
        const fields = fieldErrors(e);
        this.detailErrors.set(Object.fromEntries(fields.map((f) => [f.field, f.message])));
        return fields.length > 0;
      });
  }

  protected fieldError(field: string): string | undefined { return this.detailErrors()[field]; }

  protected languageName(code: string): string { return LANGUAGES.find((l) => l.code === code)?.name ?? code; }

  protected makeDefault(address: Address): void {
    this.act(this.account.makeDefault(address.id), `${addressText(address)} is now your default address.`, () => this.loadAddresses());
  }

  /** `DELETE`; deleting the default passes the flag on (cart-order picks the newest left), so the list is read again. */
  protected remove(address: Address): void {
    this.act(this.account.deleteAddress(address.id), `Deleted ${addressText(address)}.`, () => this.loadAddresses());
  }

  protected changed(address: Address): void {
    this.editing.set(undefined);
    this.status.set(`Saved the changes: ${addressText(address)}.`);
    this.loadAddresses();
  }

  protected added(address: Address): void {
    this.status.set(`Saved ${addressText(address)}.`);
    this.loadAddresses();
  }

  private act(request: Observable<unknown>, done: string, then: (answer: unknown) => void, fieldError?: (e: unknown) => boolean): void {
    this.busy.set(true);
    this.actionProblem.set(undefined);
    this.status.set('');
    request.subscribe({
      next: (answer) => { this.busy.set(false); this.status.set(done); then(answer); },
      error: (e) => {
        this.busy.set(false);
        if (!fieldError?.(e)) this.actionProblem.set(toProblem(e));
        // an address already gone (deleted in another tab) is no longer listed either
        if ((e as { status?: number }).status === 404) this.loadAddresses();
      },
    });
  }

  protected text(address: Address): string { return addressText(address); }
}
