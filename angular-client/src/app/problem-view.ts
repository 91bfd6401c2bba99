import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Problem } from './catalog';

/** What a page shows of a read: loading, its answer, or the problem to show instead. */
export type Load<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-problem',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="problem" role="alert">
      <strong>{{ problem().title }}</strong>
      @if (problem().detail) { <p>{{ problem().detail }}</p> }
      @if (problem().retryIn; as seconds) { <p>Trying again in {{ seconds }} {{ seconds === 1 ? 'second' : 'seconds' }}…</p> }
    </div>
  `,
})
export class ProblemView {
  readonly problem = input.required<Problem>();
}
