import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { OrderEvents } from './order-events';

/**
 * Says when the live status is not live: while the browser reconnects, or once a stream was refused
 * (the app tries again by itself a moment later; the button does it at once).
 */
@Component({
  selector: 'app-live-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p role="status" class="live-status">
      @switch (events.state()) {
        @case ('reconnecting') { Live updates interrupted: reconnecting… }
        @case ('stopped') {
          Live updates stopped; the status shown may be out of date.
          @if (events.retrying()) { Trying again in a moment. }
          <button type="button" (click)="events.connect()">Reconnect now</button>
        }
      }
    </p>
  `,
})
export class LiveStatusView {
  protected readonly events = inject(OrderEvents);
}
