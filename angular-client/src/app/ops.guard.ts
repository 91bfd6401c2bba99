import { inject } from '@angular/core';
import { CanMatchFn } from '@angular/router';
import { map } from 'rxjs';
import { SessionStore } from './session';

/** The role the gateway names in `GET /api/session`'s `roles` for the shop's operations staff. */
export const OPS_ROLE = 'ops';

/**
 * The ops pages match only for the ops role, once the gateway said who is signed in: for anyone
 * else the route does not match, so the dashboard's chunk is never even downloaded, and the next
 * route for the same path (the "not allowed" page) answers instead. notify refuses the streams to
 * anyone else anyway (`403`); this only keeps the page from being shown.
 */
export const opsRole: CanMatchFn = () =>
  inject(SessionStore).whenKnown().pipe(map((view) => view.authenticated && (view.roles ?? []).includes(OPS_ROLE)));
