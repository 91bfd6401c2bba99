/**
 * Opens a stream again after the browser gave up on it. `EventSource` retries a dropped connection
 * by itself, but not a refusal: a `503` while a service restarts, a `429`, a `401` closes it for
 * good. Without this the page would sit at "stopped" until someone clicked. The delays double from
 * `first` to `longest`, each cut at random to between half and all of it, so the thousands of tabs
 * a restart refused do not all come back in the same second; an open stream starts the count again.
 * After `attempts` reopens in a row that did not open, it gives up (a session that ended answers
 * `401` for good), and only a click opens the stream again.
 * The browser telling that it is back online reopens a pending one at once. Nothing is held while
 * no reopen is pending, so an instance needs no disposal beyond {@link cancel}.
 */
/** EventSource's readyState while the browser reopens it (the constant is not on the tests' stand-in). */
const CONNECTING = 0;

export class StreamRetry {
  private attempts = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly whenOnline = () => this.now();

  constructor(
    private readonly reopen: () => void,
    private readonly first = 1_000,
    private readonly longest = 30_000,
    private readonly limit = 12,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The stream was given up on: reopen it after the next delay (one pending reopen at a time).
   * Answers false, and schedules nothing, once `limit` reopens in a row have not opened.
   */
  schedule(): boolean {
    this.cancel();
    if (this.attempts >= this.limit) return false;
    const delay = Math.min(this.longest, this.first * 2 ** this.attempts);
    this.attempts++;
    globalThis.addEventListener?.('online', this.whenOnline);
    this.timer = setTimeout(() => this.now(), Math.round(delay * (0.5 + this.random() / 2)));
    return true;
  }

  /**
   * An `error` event of the stream: `reconnecting` while the browser opens it again by itself;
   * `stopped` once it gave up, with the reopen scheduled ({@link pending} says whether it was).
   */
  afterError(source: EventSource): 'reconnecting' | 'stopped' {
    if (source.readyState === CONNECTING) return 'reconnecting';
    this.schedule();
    return 'stopped';
  }

  /** The stream opened, or someone asked for it: the next give-up waits the shortest delay again. */
  opened(): void {
    this.attempts = 0;
  }

  /** Whether a reopen is waiting for its time. */
  pending(): boolean {
    return this.timer !== undefined;
  }

  /** Reopens now (a click, the browser back online) rather than at the scheduled time. */
  now(): void {
    this.cancel();
    this.reopen();
  }

  /** Drops a pending reopen. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    globalThis.removeEventListener?.('online', this.whenOnline);
  }
}
