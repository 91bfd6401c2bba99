import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { Address, FieldError, addressFromForm, fieldErrors } from './account';
import { AccountApi } from './account.service';
import { Problem, toProblem } from './catalog';
import { ProblemView } from './problem-view';

/** Countries offered first; cart-order takes any ISO 3166-1 alpha-2 code. */
const COUNTRIES = ['DE', 'AT', 'BE', 'CH', 'CZ', 'DK', 'ES', 'FI', 'FR', 'GB', 'IE', 'IT', 'LU', 'NL', 'NO', 'PL',
  'PT', 'SE', 'US', 'CA', 'AU', 'JP'];

const FIELDS: readonly { name: string; label: string; required: boolean; max: number; autocomplete: string }[] = [
  { name: 'label', label: 'Label (e.g. Home, Work)', required: false, max: 50, autocomplete: 'off' },
  { name: 'recipientName', label: 'Recipient', required: true, max: 100, autocomplete: 'name' },
  { name: 'line1', label: 'Street and number', required: true, max: 100, autocomplete: 'address-line1' },
  { name: 'line2', label: 'Flat, floor, c/o (optional)', required: false, max: 100, autocomplete: 'address-line2' },
  { name: 'postalCode', label: 'Postal code', required: true, max: 10, autocomplete: 'postal-code' },
  { name: 'city', label: 'City', required: true, max: 100, autocomplete: 'address-level2' },
  { name: 'region', label: 'State, county or province (optional)', required: false, max: 100, autocomplete: 'address-level1' },
  { name: 'phone', label: 'Phone for the carrier (optional)', required: false, max: 25, autocomplete: 'tel' },
];

/**
 * A new saved address (`POST /api/users/me/addresses`), or the changes of one (`PUT …/{id}`, which
 * replaces every field): every field labelled, each bad field the API names shown beside it
 * (`errors[].field`), any other refusal as its problem.
 */
@Component({
  selector: 'app-address-form',
  imports: [ProblemView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="address-form" (submit)="$event.preventDefault(); save($any($event.target))" [attr.aria-busy]="saving()">
      @for (f of fields; track f.name) {
        <label [for]="id(f.name)">{{ f.label }}
          <input [id]="id(f.name)" [name]="f.name" [required]="f.required" [attr.maxlength]="f.max"
                 [attr.autocomplete]="f.autocomplete" [value]="initial(f.name)"
                 [attr.aria-invalid]="errorOf(f.name) ? true : null"
                 [attr.aria-describedby]="errorOf(f.name) ? id(f.name) + '-error' : null">
        </label>
        @if (errorOf(f.name); as message) { <p class="field-error" [id]="id(f.name) + '-error'">{{ message }}</p> }
      }
      <label [for]="id('countryCode')">Country
        <select [id]="id('countryCode')" name="countryCode" required
                [attr.aria-describedby]="errorOf('countryCode') ? id('countryCode') + '-error' : null">
          @for (c of countries(); track c.code) { <option [value]="c.code" [selected]="c.code === initial('countryCode')">{{ c.name }}</option> }
        </select>
      </label>
      @if (errorOf('countryCode'); as message) { <p class="field-error" [id]="id('countryCode') + '-error'">{{ message }}</p> }
      @if (offerDefault() && !address()?.default) {
        <label class="checkbox" [for]="id('default')"><input type="checkbox" [id]="id('default')" name="default"> Make this my default address</label>
      }
      <button type="submit" [disabled]="saving()">{{ address() ? 'Save changes' : 'Save address' }}</button>
      @if (saving()) { <span role="status">Saving…</span> }
    </form>
    @if (problem(); as p) { <app-problem [problem]="p" /> }
  `,
})
export class AddressFormView {
  private readonly account = inject(AccountApi);
  /** Prefix of the fields' ids, so two forms on a page never share one. */
  readonly idPrefix = input('address');
  readonly recipientName = input('');
  readonly offerDefault = input(true);
  /** The saved address to change; none: a new one. */
  readonly address = input<Address | undefined>(undefined);
  readonly saved = output<Address>();

  protected readonly fields = FIELDS;
  /** The address's own country is offered too, so changing another field never changes it. */
  protected readonly countries = computed(() => countryOptions(this.address()?.countryCode));
  protected readonly saving = signal(false);
  private readonly errors = signal<FieldError[]>([]);
  protected readonly problem = signal<Problem | undefined>(undefined);
  private readonly errorsByField = computed(() => new Map(this.errors().map((e) => [e.field, e.message])));

  protected id(name: string): string { return `${this.idPrefix()}-${name}`; }
  protected initial(name: string): string {
    const address = this.address() as unknown as Record<string, unknown> | undefined;
    if (address) return typeof address[name] === 'string' ? address[name] as string : '';
    if (name === 'recipientName') return this.recipientName();
    return name === 'countryCode' ? COUNTRIES[0] : '';
  }
  protected errorOf(name: string): string | undefined { return this.errorsByField().get(name); }

  protected save(form: HTMLFormElement): void {
    if (this.saving()) return;
    const data = new FormData(form);
    const values = Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
    this.saving.set(true);
    this.errors.set([]);
    this.problem.set(undefined);
    const changing = this.address();
    const body = addressFromForm(values, data.has('default'));
    const request = changing ? this.account.replaceAddress(changing.id, body) : this.account.addAddress(body);
    request.subscribe({
      next: (address) => { this.saving.set(false); if (!changing) form.reset(); this.saved.emit(address); },
      error: (e) => {
        this.saving.set(false);
        const errors = fieldErrors(e);
        this.errors.set(errors);
        const problem = toProblem(e);
        // the fields say it already when every error is one of them
        const shown = new Set([...FIELDS.map((f) => f.name), 'countryCode']);
        this.problem.set(errors.length > 0 && errors.every((x) => shown.has(x.field))
          ? { title: 'Please check the highlighted fields.' } : problem);
      },
    });
  }
}

function countryOptions(own?: string): { code: string; name: string }[] {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  const codes = own && !COUNTRIES.includes(own) ? [own, ...COUNTRIES] : COUNTRIES;
  return codes.map((code) => {
    let name: string | undefined;
    try {
      name = names?.of(code);
    } catch {
      name = undefined;
    }
    return { code, name: name ?? code };
  });
}
