/**
 * Shapes of cart-order's profile and saved-address API (cart-order-reactive/README.md, "HTTP API",
 * "Saved addresses") and the pure logic around them.
 */

/** `GET /api/users/me`. */
export interface Profile {
  userId: string; email: string; name: string; phone?: string;
  preferences?: { marketingEmails: boolean; language: string };
}

/** `PATCH /api/users/me` as the profile page sends it: every field; an empty phone removes it. */
export interface ProfileDetails {
  name: string; phone: string; preferences: { marketingEmails: boolean; language: string };
}

/** The fields a shopper fills in; absent optional ones are left out. */
export interface AddressForm {
  label?: string; recipientName: string; line1: string; line2?: string; city: string; region?: string;
  postalCode: string; countryCode: string; phone?: string; default?: boolean;
}

/** A saved address, as `GET /api/users/me/addresses` lists them (the default first). */
export interface Address extends AddressForm { id: string; default: boolean; createdAt: string; updatedAt: string; }

/** One field a `400 …/problems/invalid-request` names. */
export interface FieldError { field: string; message: string; }

const OPTIONAL: readonly (keyof AddressForm)[] = ['label', 'line2', 'region', 'phone'];

/** The form's values as the API takes them: text trimmed, the country upper case, empty optional fields left out. */
export function addressFromForm(values: Record<string, string>, makeDefault: boolean): AddressForm {
  const text = (name: string) => (values[name] ?? '').trim();
  const form: AddressForm = {
    recipientName: text('recipientName'), line1: text('line1'), city: text('city'), postalCode: text('postalCode'),
    countryCode: text('countryCode').toUpperCase(),
  };
  for (const name of OPTIONAL) if (text(name)) (form as unknown as Record<string, string>)[name] = text(name);
  if (makeDefault) form.default = true;
  return form;
}

/** The errors a problem lists per field (`errors[].field`, `errors[].message`), none when it lists none. */
export function fieldErrors(error: unknown): FieldError[] {
  const errors = (error as { error?: { errors?: unknown } } | null)?.error?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string');
}

/** An address on one line: "Alice Smith, 1 Main St, Flat 2, 10115 Berlin, DE". */
export function addressText(a: { recipientName: string; line1: string; line2?: string; city: string; region?: string; postalCode: string; countryCode: string }): string {
  return [a.recipientName, a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.countryCode].filter(Boolean).join(', ');
}
