import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Problem } from './catalog';

@Component({
  selector: 'app-problem',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="problem" role="alert">
      <strong>{{ problem().title }}</strong>
      @if (problem().detail) { <p>{{ problem().detail }}</p> }
    </div>
  `,
})
export class ProblemView {
  readonly problem = input.required<Problem>();
}
