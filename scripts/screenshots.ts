/**
 * Screenshots of the web app's main pages and the back office's admin pages (npm run
 * screenshots), for review and the docs: each page at phone (360 × 740) and desktop
 * (1366 × 900) size, in Bahasa Indonesia and English, as
 * docs/screenshots/<page>-<size>-<lang>.png: what the first screen shows (SCREENSHOTS_FULL_PAGE=1
 * for the whole page).
 *
 * The app runs on 127.0.0.1 with a fresh test database and demo reports in several states, made
 * through the API; a page the app does not serve yet (404) is skipped with a message. Nothing
 * leaves the machine: requests off it are aborted and listed, and the report form's map takes its
 * tiles from a tile server on 127.0.0.1 (one plain grey tile for every address).
 *
 * After the pages, scenes: a page after a few steps, scrolled to what they show: `form-map` (the
 * report form with its map open and a point marked) and `route-picker` (the back office's route
 * form after a name that matched several bodies).
 *
 * Environment (optional): CHROMIUM_PATH, the browser (default /usr/bin/chromium);
 * SCREENSHOTS_DIR, where to write (default docs/screenshots); SCREENSHOTS_PAGES, a comma-separated
 * list of page names to take (default all); SCREENSHOTS_FULL_PAGE=1, the whole page, not only the
 * first screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DESKTOP, NO_CHROMIUM, PHONE, chromiumAvailable, openBrowser, signIn, startWebServer, withLang } from '../test/support/browser.ts';
import { startTileServer } from '../test/support/tiles.ts';
import { type WebDemo, type WebPage, adminPages, cookieFor, mainPages, pageExists, seedWebDemo } from '../test/support/web-pages.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.resolve(ROOT, process.env.SCREENSHOTS_DIR?.trim() || 'docs/screenshots');
const ONLY = (process.env.SCREENSHOTS_PAGES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const FULL_PAGE = /^(1|true|yes|on)$/i.test(process.env.SCREENSHOTS_FULL_PAGE ?? '');

interface Scene {
  name: string;
  path: (demo: WebDemo) => string;
  signedIn: WebPage['signedIn'];
  /** The steps, on the loaded page; what they leave in view is taken. */
  act: (page: Page) => Promise<void>;
}

const SCENES: Scene[] = [
  {
    name: 'form-map',
    path: () => '/lapor',
    signedIn: 'reporter',
    async act(page) {
      await page.selectOption('#f-province', '61');
      await page.waitForSelector('#f-regency');
      await page.click('details:has(#f-latitude) > summary');
      await page.click('button[data-map]');
      await page.waitForSelector('#f-map .leaflet-tile-loaded');
      await page.locator('#f-map').scrollIntoViewIfNeeded();
      const box = (await page.locator('#f-map').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.45);
      await page.waitForSelector('#f-map .map-pin');
      await page.locator('#f-latitude').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
  {
    name: 'route-picker',
    path: (demo) => `/kantor/laporan/${demo.reports.verified}`,
    signedIn: 'staff',
    async act(page) {
      await page.fill('#route-body', 'kalimantan');
      await page.click('#form-route button[type="submit"]');
      await page.waitForSelector('#route-body-error');
      await page.locator('#form-route').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
];

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(NO_CHROMIUM);
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const tiles = await startTileServer();
  const web = await startWebServer({ config: { map: tiles.map } });
  let written = 0;
  const skipped: string[] = [];
  const offMachine = new Set<string>();
  try {
    const demo = await seedWebDemo(web);
    const pages = [...mainPages(demo), ...adminPages(demo)].filter((p) => ONLY.length === 0 || ONLY.includes(p.name));
    for (const page of pages) {
      const { exists, status } = await pageExists(web, demo, page);
      if (!exists) {
        console.log(`  ${page.name} (${page.path}): skipped, the app answers ${status}`);
        skipped.push(page.name);
        continue;
      }
      for (const device of [PHONE, DESKTOP]) {
        for (const lang of ['id', 'en'] as const) {
          const browser = await openBrowser({ device, locale: lang === 'id' ? 'id-ID' : 'en-US' });
          try {
            if (page.signedIn) await signIn(browser.context, web.baseUrl, cookieFor(demo, page));
            const response = await browser.page.goto(`${web.baseUrl}${withLang(page.path, lang)}`, { waitUntil: 'networkidle' });
            const file = path.join(OUT, `${page.name}-${device.name}-${lang}.png`);
            await browser.page.screenshot({ path: file, fullPage: FULL_PAGE, animations: 'disabled' });
            console.log(`  ${path.relative(ROOT, file)}  (${response?.status()} ${page.path})`);
            written += 1;
            for (const url of browser.offMachine) offMachine.add(url);
          } finally {
            await browser.close();
          }
        }
      }
    }
    for (const scene of SCENES.filter((sc) => ONLY.length === 0 || ONLY.includes(sc.name))) {
      for (const device of [PHONE, DESKTOP]) {
        for (const lang of ['id', 'en'] as const) {
          const browser = await openBrowser({ device, locale: lang === 'id' ? 'id-ID' : 'en-US' });
          try {
            if (scene.signedIn) await signIn(browser.context, web.baseUrl, cookieFor(demo, { signedIn: scene.signedIn } as WebPage));
            await browser.page.goto(`${web.baseUrl}${withLang(scene.path(demo), lang)}`, { waitUntil: 'networkidle' });
            await scene.act(browser.page);
            await browser.page.waitForLoadState('networkidle');
            const file = path.join(OUT, `${scene.name}-${device.name}-${lang}.png`);
            await browser.page.screenshot({ path: file, fullPage: FULL_PAGE, animations: 'disabled' });
            console.log(`  ${path.relative(ROOT, file)}  (scene ${scene.name})`);
            written += 1;
            for (const url of browser.offMachine) offMachine.add(url);
          } finally {
            await browser.close();
          }
        }
      }
    }
  } finally {
    await web.close();
    await tiles.close();
  }
  console.log(
    `${written} screenshot(s) in ${path.relative(ROOT, OUT) || '.'}${skipped.length ? `; not served yet: ${skipped.join(', ')}` : ''}`,
  );
  if (offMachine.size > 0) console.log(`requests off the machine (aborted): ${[...offMachine].join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
