// The shop's budget: what a first visit downloads (the initial JS and CSS), gzip-compressed, under
// 150 kB. angular.json's budgets measure raw bytes; this measures what travels. The initial files
// are the ones index.html names (scripts, module preloads, stylesheets) and every file they import
// statically; lazy chunks (import("./chunk-….js")) are left out, as the browser fetches them later.
//
//   node scripts/check-budget.mjs [browser output dir] (default dist/angular-client/browser)
//   BUDGET_KB=150 to change the limit
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist/angular-client/browser';
const limitKb = Number(process.env.BUDGET_KB ?? 150);
const index = join(dir, 'index.html');
if (!existsSync(index)) {
  console.error(`check-budget: ${index} not found; run ng build first`);
  process.exit(2);
}

const html = readFileSync(index, 'utf8');
const referenced = [
  ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
  ...html.matchAll(/<link\b[^>]*\bhref="([^"]+\.(?:js|mjs|css))"/g),
].map((m) => m[1]).filter((url) => !/^[a-z]+:|^\/\//i.test(url));

// static `import … from "./x.js"`, `import "./x.js"` and `export … from "./x.js"`, as esbuild writes them
const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.m?js)["']/g;

const files = new Map();
const queue = referenced.map((url) => posix.normalize(url.replace(/^\//, '').split(/[?#]/)[0]));
while (queue.length > 0) {
  const file = queue.shift();
  if (files.has(file)) continue;
  const path = join(dir, file);
  if (!existsSync(path)) {
    console.error(`check-budget: index.html names ${file}, which is not in ${dir}`);
    process.exit(2);
  }
  const bytes = readFileSync(path);
  files.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  if (file.endsWith('js')) {
    for (const m of bytes.toString('utf8').matchAll(STATIC_IMPORT)) {
      queue.push(posix.normalize(posix.join(posix.dirname(file), m[1])));
    }
  }
}

const kb = (n) => (n / 1000).toFixed(2) + ' kB';
let raw = 0;
let gzip = 0;
for (const [file, size] of [...files].sort()) {
  raw += size.raw;
  gzip += size.gzip;
  console.log(`  ${file.padEnd(32)} ${kb(size.raw).padStart(10)} raw ${kb(size.gzip).padStart(10)} gzip`);
}
const within = gzip <= limitKb * 1000;
console.log(`Initial JS + CSS: ${kb(raw)} raw, ${kb(gzip)} gzip (budget ${limitKb} kB gzip): ${within ? 'within' : 'OVER'}`);
if (!within) process.exit(1);
