import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, shopTestBed } from '../testing';
import { Address } from './account';
import { SessionStore } from './session';

const HOME: Address = {
  id: '11111111-1111-4111-8111-111111111111', label: 'Home', recipientName: 'Alice Smith', line1: '1 Main St', city: 'Berlin',
  postalCode: '10115', countryCode: 'DE', default: true, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z',
};
const WORK: Address = { ...HOME, id: '22222222-2222-4222-8222-222222222222', label: 'Work', line1: '9 Rue de Rivoli', city: 'Paris', postalCode: '75001', countryCode: 'FR', default: false };
const PROFILE = { userId: 'alice', email: 'alice@surge.test', name: 'Alice', preferences: { marketingEmails: false, language: 'en' } };

const text = (harness: RouterTestingHarness, selector: string) =>
  [...harness.routeNativeElement!.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
const button = (harness: RouterTestingHarness, label: string) =>
  [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').trim() === label)!;

describe('the profile page', () => {
  const bed = shopTestBed();

  async function open(addresses: Address[] = [HOME, WORK]): Promise<RouterTestingHarness> {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/profile');
    bed.http().expectOne({ method: 'GET', url: '/api/users/me' }).flush(PROFILE);
    bed.http().expectOne({ method: 'GET', url: '/api/users/me/addresses' }).flush({ items: addresses, page: 0, size: 20, total: addresses.length });
    await harness.fixture.whenStable();
    return harness;
  }

  it('shows the name, the e-mail address and the saved addresses', async () => {
    const harness = await open();
    expect(text(harness, '.profile-name')).toEqual(['Alice']);
    expect(text(harness, '.profile-email')).toEqual(['alice@surge.test']);
    expect(text(harness, '.address-list li > span')).toEqual([
      'Home: Alice Smith, 1 Main St, 10115 Berlin, DE (default)', 'Work: Alice Smith, 9 Rue de Rivoli, 75001 Paris, FR']);
  });

  it('creates the profile when there is none yet', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/profile');
    bed.http().expectOne({ method: 'GET', url: '/api/users/me' }).flush({ title: 'Profile not found', status: 404 }, { status: 404, statusText: 'Not Found' });
    bed.http().expectOne({ method: 'PUT', url: '/api/users/me' }).flush(PROFILE, { status: 201, statusText: 'Created' });
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [], page: 0, size: 20, total: 0 });
    await harness.fixture.whenStable();
    expect(text(harness, '.profile-name')).toEqual(['Alice']);
    expect(text(harness, '.address-list li')).toEqual(['No saved addresses yet.']);
    expect(harness.routeNativeElement!.querySelector('#profile-address-default')).toBeNull();
  });

  it('makes an address the default and deletes one, reading the list again after each', async () => {
    const harness = await open();
    button(harness, `Make default ${'Alice Smith, 9 Rue de Rivoli, 75001 Paris, FR'}`).click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'POST', url: `/api/users/me/addresses/${WORK.id}/default` }).flush({ ...WORK, default: true });
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [{ ...WORK, default: true }, { ...HOME, default: false }], page: 0, size: 20, total: 2 });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=status]')).toContain('Alice Smith, 9 Rue de Rivoli, 75001 Paris, FR is now your default address.');
    expect(text(harness, '.address-list li > span')[0]).toContain('Work:');

    button(harness, 'Delete Alice Smith, 9 Rue de Rivoli, 75001 Paris, FR').click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'DELETE', url: `/api/users/me/addresses/${WORK.id}` }).flush(null, { status: 204, statusText: 'No Content' });
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [{ ...HOME, default: true }], page: 0, size: 20, total: 1 });
    await harness.fixture.whenStable();
    expect(text(harness, '.address-list li > span')).toEqual(['Home: Alice Smith, 1 Main St, 10115 Berlin, DE (default)']);
  });

  it('changes a saved address: every field sent again, the country kept', async () => {
    const harness = await open([HOME, { ...WORK, countryCode: 'MT', region: 'Valletta' }]);
    button(harness, 'Edit Alice Smith, 9 Rue de Rivoli, 75001 Paris, Valletta, MT').click();
    await harness.fixture.whenStable();
    const page = harness.routeNativeElement!;
    const prefix = `#edit-${WORK.id}-`;
    expect(page.querySelector<HTMLInputElement>(prefix + 'line1')!.value).toBe('9 Rue de Rivoli');
    expect(page.querySelector<HTMLSelectElement>(prefix + 'countryCode')!.value).toBe('MT');
    page.querySelector<HTMLInputElement>(prefix + 'line1')!.value = '10 Rue de Rivoli';
    page.querySelector<HTMLInputElement>(prefix + 'region')!.value = '';
    page.querySelector<HTMLInputElement>(prefix + 'line1')!.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    const put = bed.http().expectOne({ method: 'PUT', url: `/api/users/me/addresses/${WORK.id}` });
    expect(put.request.body).toEqual({ label: 'Work', recipientName: 'Alice Smith', line1: '10 Rue de Rivoli', city: 'Paris', postalCode: '75001', countryCode: 'MT' });
    put.flush({ ...WORK, line1: '10 Rue de Rivoli', countryCode: 'MT' });
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [HOME, { ...WORK, line1: '10 Rue de Rivoli', countryCode: 'MT' }], page: 0, size: 20, total: 2 });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=status]')).toContain('Saved the changes: Alice Smith, 10 Rue de Rivoli, 75001 Paris, MT.');
    expect(page.querySelector(prefix + 'line1')).toBeNull();
  });

  it('shows a refused delete as its problem and lists what is left', async () => {
    const harness = await open();
    button(harness, 'Delete Alice Smith, 1 Main St, 10115 Berlin, DE').click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'DELETE', url: `/api/users/me/addresses/${HOME.id}` }).flush(
      { type: 'https://surge.dev/problems/address-not-found', title: 'Address not found', status: 404, detail: 'No such address' },
      { status: 404, statusText: 'Not Found' });
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [WORK], page: 0, size: 20, total: 1 });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')[0]).toContain('No such address');
    expect(text(harness, '.address-list li > span').length).toBe(1);
  });

  it('changes the details: every field sent, each refused one said beside it, nothing changed until all are good', async () => {
    const harness = await open();
    expect(text(harness, '.profile-phone')).toEqual(['none given']);
    expect(text(harness, '.profile-marketing')).toEqual(['no']);
    expect(text(harness, '.profile-language')).toEqual(['English']);
    const field = <T extends HTMLElement>(id: string) => harness.routeNativeElement!.querySelector<T>(id)!;
    field<HTMLInputElement>('#profile-name').value = ' ';
    field<HTMLInputElement>('#profile-phone').value = '12';
    field<HTMLInputElement>('#profile-marketing').checked = true;
    field<HTMLSelectElement>('#profile-language').value = 'de';
    field<HTMLInputElement>('#profile-name').form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    const refused = bed.http().expectOne({ method: 'PATCH', url: '/api/users/me' });
    expect(refused.request.body).toEqual({ name: '', phone: '12', preferences: { marketingEmails: true, language: 'de' } });
    refused.flush({ type: 'https://surge.dev/problems/invalid-request', title: 'Invalid request', status: 400,
      errors: [{ field: 'name', message: 'must be 1 to 100 characters' },
        { field: 'phone', message: 'must be 6 to 20 digits, spaces, dashes or brackets, optionally after +' }] },
    { status: 400, statusText: 'Bad Request' });
    await harness.fixture.whenStable();
    expect(text(harness, '#profile-name-error')).toEqual(['must be 1 to 100 characters']);
    expect(text(harness, '#profile-phone-error')).toEqual(['must be 6 to 20 digits, spaces, dashes or brackets, optionally after +']);
    expect(field<HTMLInputElement>('#profile-phone').getAttribute('aria-invalid')).toBe('true');
    expect(text(harness, '[role=alert]')).toEqual([]);
    expect(text(harness, '.profile-name')).toEqual(['Alice']);

    field<HTMLInputElement>('#profile-name').value = 'Alice Smith';
    field<HTMLInputElement>('#profile-phone').value = '+49 30 1234567';
    field<HTMLInputElement>('#profile-name').form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    const saved = bed.http().expectOne({ method: 'PATCH', url: '/api/users/me' });
    expect(saved.request.body).toEqual({ name: 'Alice Smith', phone: '+49 30 1234567', preferences: { marketingEmails: true, language: 'de' } });
    saved.flush({ ...PROFILE, name: 'Alice Smith', phone: '+49 30 1234567', preferences: { marketingEmails: true, language: 'de' } });
    await harness.fixture.whenStable();
    expect(text(harness, '.profile-name')).toEqual(['Alice Smith']);
    expect(text(harness, '.profile-phone')).toEqual(['+49 30 1234567']);
    expect(text(harness, '.profile-marketing')).toEqual(['yes']);
    expect(text(harness, '.profile-language')).toEqual(['Deutsch']);
    expect(text(harness, '#profile-name-error')).toEqual([]);
    // what checkout shows as the shopper's details follows
    expect(TestBed.inject(SessionStore).profile()).toMatchObject({ name: 'Alice Smith', phone: '+49 30 1234567' });
    expect(text(harness, '[role=status]')).toContain('Your details are saved.');
  });

  it('keeps a language set elsewhere that it does not offer, and an empty phone removes the number', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/profile');
    bed.http().expectOne({ method: 'GET', url: '/api/users/me' })
      .flush({ ...PROFILE, phone: '+33 1 23 45 67 89', preferences: { marketingEmails: true, language: 'pt' } });
    bed.http().expectOne({ method: 'GET', url: '/api/users/me/addresses' }).flush({ items: [], page: 0, size: 20, total: 0 });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector<HTMLSelectElement>('#profile-language')!.value).toBe('pt');
    const phone = harness.routeNativeElement!.querySelector<HTMLInputElement>('#profile-phone')!;
    phone.value = '';
    phone.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    const saved = bed.http().expectOne({ method: 'PATCH', url: '/api/users/me' });
    expect(saved.request.body).toEqual({ name: 'Alice', phone: '', preferences: { marketingEmails: true, language: 'pt' } });
    saved.flush({ ...PROFILE, preferences: { marketingEmails: true, language: 'pt' } });
    await harness.fixture.whenStable();
    expect(text(harness, '.profile-phone')).toEqual(['none given']);
  });
});
