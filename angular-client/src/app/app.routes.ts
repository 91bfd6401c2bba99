import { Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', loadComponent: () => import('./product-grid').then((m) => m.ProductGrid), title: 'Products' },
  { path: 'products/:sku', loadComponent: () => import('./product-details').then((m) => m.ProductDetailsPage), title: 'Product' },
  { path: '**', redirectTo: '' },
];
