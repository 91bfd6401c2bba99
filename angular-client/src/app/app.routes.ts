import { Routes } from '@angular/router';
import { opsRole } from './ops.guard';
import { ProductGrid } from './product-grid';
import { signedIn } from './signed-in.guard';

/**
 * The grid is the landing page and stays in the initial bundle; every other page is its own lazy
 * chunk, so what a first visit downloads does not grow with checkout or the ops dashboard.
 */
export const routes: Routes = [
  { path: '', component: ProductGrid, title: 'Products · Surge shop' },
  { path: 'products/:sku', loadComponent: () => import('./product-details') },
  { path: 'cart', loadComponent: () => import('./cart-page'), title: 'Cart · Surge shop' },
  { path: 'checkout', canActivate: [signedIn], loadComponent: () => import('./checkout-page'), title: 'Checkout · Surge shop' },
  { path: 'orders', canActivate: [signedIn], loadComponent: () => import('./orders-page'), title: 'My orders · Surge shop' },
  { path: 'orders/:id', canActivate: [signedIn], loadComponent: () => import('./order-page'), title: 'Order · Surge shop' },
  { path: 'profile', canActivate: [signedIn], loadComponent: () => import('./profile-page'), title: 'Profile · Surge shop' },
  { path: 'flash-sales/:sku', canActivate: [signedIn], loadComponent: () => import('./waiting-room-page'), title: 'Waiting room · Surge shop' },
  // the dashboard only for the ops role (its chunk is not even fetched otherwise); anyone else gets the next route
  { path: 'ops', canMatch: [opsRole], loadComponent: () => import('./ops-dashboard'), title: 'Ops dashboard · Surge shop' },
  { path: 'ops', loadComponent: () => import('./not-allowed'), title: 'Not allowed · Surge shop' },
  { path: '**', loadComponent: () => import('./not-found'), title: 'Page not found · Surge shop' },
];
