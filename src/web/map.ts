import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { html } from 'hono/html';
import type { MapConfig } from '../config.ts';
import { type Lang, bi } from './i18n.ts';
import type { Html } from './layout.ts';

/**
 * The report form's optional map (issue 10 §1). Nothing of it is in the first load: the page has
 * a hidden button and an empty panel; the island (assets/portal.js) shows the button, and only
 * when it is pressed fetches one script (Leaflet, then assets/map.js) and one stylesheet (Leaflet's,
 * then assets/map.css), both from this origin at hashed, immutable addresses. The tiles come from
 * MAP_TILE_URL, the one origin the form's Content-Security-Policy adds to img-src; without it
 * there is no map and the latitude and longitude fields stand alone, as they do without JavaScript.
 */
const leaflet = path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json'));
const own = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'assets', name), 'utf8');

// The source map it names is not served: the line would only earn a 404 in the developer tools.
const LEAFLET_JS = fs.readFileSync(path.join(leaflet, 'dist/leaflet.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
const LEAFLET_CSS = fs.readFileSync(path.join(leaflet, 'dist/leaflet.css'), 'utf8');

const hashed = (base: string, ext: string, text: string) => {
  const bytes = Buffer.from(text);
  return { bytes, path: `/assets/${base}.${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}.${ext}` };
};

/** Leaflet 1.9 (BSD-2-Clause, its licence comment kept) and the form's map code, in one file. */
export const MAP_JS = hashed('map', 'js', `${LEAFLET_JS}\n${own('map.js')}`);
/** Leaflet's stylesheet and the form's own map rules, in one file. */
export const MAP_CSS = hashed('map', 'css', `${LEAFLET_CSS}\n${own('map.css')}`);

/** The button that opens the map (hidden until the island runs); nothing without a configured map. */
export function mapButton(lang: Lang, map: MapConfig | null): Html {
  if (!map) return html``;
  return html`<button type="button" class="secondary" data-map data-js="${MAP_JS.path}" data-css="${MAP_CSS.path}" aria-expanded="false" aria-controls="f-map-panel" aria-describedby="f-map-note" hidden>${bi(lang, 'Tampilkan peta', 'Show map')}</button>`;
}

/**
 * Under the button: a note on where the map's pictures come from, and the panel the map opens
 * in, with its label and the instructions (the fields can be typed instead).
 */
export function mapPanel(lang: Lang, map: MapConfig | null): Html {
  if (!map) return html``;
  const host = new URL(map.tileOrigin).host;
  return html`<p class="hint" id="f-map-note" hidden>${bi(lang, `Gambar peta diambil dari ${host}, hanya bila peta dibuka.`, `The map’s pictures come from ${host}, only once the map is opened.`)}</p>
      <div class="map-panel" id="f-map-panel" data-tiles="${map.tileUrl}" data-attribution="${map.attribution}" data-attribution-url="${map.attributionUrl ?? ''}" hidden>
        <p class="hint" id="f-map-help">${bi(
          lang,
          'Ketuk peta untuk menandai lokasi kejadian: kolom lintang dan bujur di atas terisi sendiri, dan tetap dapat diketik langsung. Dengan papan ketik: geser peta dengan tombol panah, perbesar dengan + dan −, tekan Enter untuk menandai titik tengah peta.',
          'Tap the map to mark where it happened: the latitude and longitude fields above fill in, and can still be typed instead. With a keyboard: move the map with the arrow keys, zoom with + and −, press Enter to mark the centre of the map.',
        )}</p>
        <div class="map" id="f-map" role="region" aria-label="${bi(lang, 'Peta lokasi kejadian', 'Map of the place it happened')}" aria-describedby="f-map-help"></div>
        <p class="hint" id="f-map-status" role="status"></p>
      </div>`;
}
