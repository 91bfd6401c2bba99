import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router } from '@angular/router';
import { SessionStore } from './session';

/** A page the signed-in user (or the guest) may not see, with the way to sign in as someone who may. */
@Component({
  selector: 'app-not-allowed',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Not allowed</h1>
    <p>This page is for the shop's operations staff only.</p>
    @if (session.signedIn()) {
      <p>You are signed in as {{ session.session()?.name || session.session()?.email }}, who may not see it.</p>
    } @else {
      <p><a [href]="session.loginUrl()" (click)="rememberPage()">Sign in</a> with an operations account to see it.</p>
    }
  `,
})
export default class NotAllowedPage {
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  protected rememberPage(): void {
    this.session.rememberReturn(this.router.url);
  }
}
