import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { retryAfterSeconds } from './unavailable';

const answer = (status: number, retryAfter?: string) =>
  new HttpErrorResponse({ status, headers: retryAfter === undefined ? new HttpHeaders() : new HttpHeaders({ 'Retry-After': retryAfter }) });

describe('retryAfterSeconds', () => {
  it('reads the wait of a 503', () => {
    expect(retryAfterSeconds(answer(503, '10'))).toBe(10);
    expect(retryAfterSeconds(answer(503, '0'))).toBe(1);
  });
  it('is undefined for anything else, or a wait too long to sit through', () => {
    expect(retryAfterSeconds(answer(503))).toBeUndefined();
    expect(retryAfterSeconds(answer(429, '5'))).toBeUndefined();
    expect(retryAfterSeconds(answer(503, '61'))).toBeUndefined();
    expect(retryAfterSeconds(answer(503, 'Wed, 02 Dec 2026 18:00:00 GMT'))).toBeUndefined();
    expect(retryAfterSeconds(new Error('x'))).toBeUndefined();
  });
});
