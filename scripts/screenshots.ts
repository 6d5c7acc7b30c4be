/**
 * Screenshots of the web app's main pages and the back office's admin pages (npm run
 * screenshots), for review and the docs: each page at phone (360 × 740) and desktop
 * (1366 × 900) size, in Bahasa Indonesia and English, as
 * docs/screenshots/<page>-<size>-<lang>.png: what the first screen shows (SCREENSHOTS_FULL_PAGE=1
 * for the whole page).
 *
 * The app runs on 127.0.0.1 with a fresh test database and demo reports in several states, made
 * through the API; a page the app does not serve yet (404) is skipped with a message. Nothing
 * leaves the machine: requests off it are aborted and listed.
 *
 * Environment (optional): CHROMIUM_PATH, the browser (default /usr/bin/chromium);
 * SCREENSHOTS_DIR, where to write (default docs/screenshots); SCREENSHOTS_PAGES, a comma-separated
 * list of page names to take (default all); SCREENSHOTS_FULL_PAGE=1, the whole page, not only the
 * first screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, NO_CHROMIUM, PHONE, chromiumAvailable, openBrowser, signIn, startWebServer, withLang } from '../test/support/browser.ts';
import { adminPages, cookieFor, mainPages, pageExists, seedWebDemo } from '../test/support/web-pages.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.resolve(ROOT, process.env.SCREENSHOTS_DIR?.trim() || 'docs/screenshots');
const ONLY = (process.env.SCREENSHOTS_PAGES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const FULL_PAGE = /^(1|true|yes|on)$/i.test(process.env.SCREENSHOTS_FULL_PAGE ?? '');

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(NO_CHROMIUM);
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const web = await startWebServer();
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
  } finally {
    await web.close();
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
