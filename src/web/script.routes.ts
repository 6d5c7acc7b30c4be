import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../http/context.ts';
import { CSS_PATH, JS_PATH, cssBytes, jsBytes } from './layout.ts';
import { MAP_CSS, MAP_JS } from './map.ts';

/**
 * The island's script and the report form's map (Leaflet with the map code, and its stylesheet;
 * fetched only when the map is opened), each at its hashed address, cached for a year; and the service worker at
 * /sw.js: served from the site root so that its scope is the whole portal, never cached by HTTP
 * (the browser checks it for a new version), with the addresses of the assets it keeps filled in.
 */
const SW_SOURCE = fs.readFileSync(path.join(import.meta.dirname, 'assets/sw.js'), 'utf8');
const ASSETS = [CSS_PATH, JS_PATH];
const VERSION = createHash('sha256').update(SW_SOURCE).update(cssBytes()).update(jsBytes()).digest('hex').slice(0, 10);

/** The worker as served: its version (new assets, new version, old caches dropped) and the assets to keep. */
export const serviceWorkerSource = (): string =>
  SW_SOURCE.replace("const VERSION = 'dev';", `const VERSION = '${VERSION}';`).replace(
    'const ASSETS = [];',
    `const ASSETS = ${JSON.stringify(ASSETS)};`,
  );

export function registerScriptRoutes(app: App): void {
  app.get(JS_PATH, (c) =>
    c.body(new Uint8Array(jsBytes()), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    }),
  );
  for (const [asset, type] of [
    [MAP_JS, 'text/javascript; charset=utf-8'],
    [MAP_CSS, 'text/css; charset=utf-8'],
  ] as const) {
    app.get(asset.path, (c) =>
      c.body(new Uint8Array(asset.bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' }),
    );
  }
  const worker = serviceWorkerSource();
  app.get('/sw.js', (c) =>
    c.body(worker, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  );
}
