import { HttpErrorResponse, HttpInterceptorFn, HttpXsrfTokenExtractor } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, switchMap, throwError } from 'rxjs';
import { SessionStore } from './session';

const CSRF_PROBLEM = 'https://surge.dev/problems/csrf';
const CSRF_HEADER = 'X-XSRF-TOKEN';

/**
 * Keeps the app's idea of the session in step with the gateway's. A `403 …/problems/csrf` (the
 * XSRF-TOKEN cookie was gone) asks `GET /api/session`, which sets a new cookie, and sends the
 * request once more with it (HttpClient's own XSRF step runs before this one, so the retry sets the
 * header itself). A `401` on an API call means the session ended on the gateway: the session is asked
 * again, so the header and the cart turn back to a guest's, and the caller still gets the 401.
 */
export const sessionInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.url === '/api/session') return next(request);
  const session = inject(SessionStore);
  const xsrf = inject(HttpXsrfTokenExtractor);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      if (error.status === 403 && (error.error as { type?: unknown } | null)?.type === CSRF_PROBLEM) {
        return session.load().pipe(switchMap(() => {
          const token = xsrf.getToken();
          return token ? next(request.clone({ setHeaders: { [CSRF_HEADER]: token } })) : throwError(() => error);
        }));
      }
      if (error.status === 401 && session.signedIn()) {
        return session.load().pipe(switchMap(() => throwError(() => error)));
      }
      return throwError(() => error);
    }),
  );
};
