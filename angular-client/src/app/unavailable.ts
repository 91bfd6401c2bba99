import { HttpErrorResponse } from '@angular/common/http';
import { MonoTypeOperatorFunction, retry, throwError, timer } from 'rxjs';
import { Problem, toProblem } from './catalog';

/** Past this a shopper is better told to come back than kept waiting on a page that retries. */
const MAX_WAIT_SECONDS = 60;
const MAX_RETRIES = 5;

/**
 * The seconds a `503` asks to wait (`Retry-After`, which the gateway sets to its breaker's open
 * time), or undefined when the answer is no such `503`, or asks for longer than is worth waiting.
 */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof HttpErrorResponse) || error.status !== 503) return undefined;
  const header = error.headers.get('Retry-After')?.trim();
  if (!header || !/^\d+$/.test(header)) return undefined;
  const seconds = Number(header);
  return seconds <= MAX_WAIT_SECONDS ? Math.max(1, seconds) : undefined;
}

/**
 * Sends a read again after the wait a `503` names, a few times; `onWait` gets the problem to
 * show meanwhile. Only for requests that change nothing: a retried write could happen twice.
 */
export function retryWhenUnavailable<T>(onWait: (problem: Problem) => void): MonoTypeOperatorFunction<T> {
  return retry({
    count: MAX_RETRIES,
    delay: (error: unknown) => {
      const seconds = retryAfterSeconds(error);
      if (seconds === undefined) return throwError(() => error);
      onWait({ ...toProblem(error), retryIn: seconds });
      return timer(seconds * 1000);
    },
  });
}
