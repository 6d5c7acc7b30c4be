/**
 * Web benchmark (npm run bench:web): how heavy and how quick the web app's main pages are on a
 * budget phone, against issue 10's targets.
 *
 *  1. Starts the app over HTTP on 127.0.0.1 (a fresh test database, the report form's map
 *     configured with a tile server on 127.0.0.1, as a deployment would have it: its button is in
 *     the form, its code and tiles are not in the first load) and makes demo reports in several
 *     states through the API, and a back-office session.
 *  2. For each page (test/support/web-pages.ts): a page that answers 404 is reported as missing.
 *     Otherwise BENCH_RUNS cold loads, each in a fresh Chromium profile at 360 × 740, throttled
 *     through the DevTools protocol (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, CPU 4×).
 *  3. Prints, per page: the median first contentful paint (and the range), and the JS and CSS of
 *     the first load — gzipped here at level 9 (what the weight targets count) and as they
 *     crossed the wire (the same when the server compresses, larger when it does not).
 *
 * Targets: gzipped JS + CSS ≤ 50 KB on the portal, ≤ 150 KB per back-office route; FCP ≤ 1 s for
 * the portal home, report form and tracking page, ≤ 2.5 s for the back-office inbox.
 * Nothing leaves the machine: a request off it is aborted and listed.
 *
 * Always exits 0 once it has run (it is a benchmark, not a test); 1 when it could not run.
 *
 * Environment (all optional):
 *   BENCH_RUNS         cold loads per page, default 5
 *   BENCH_QUIET_WAIT   seconds to wait for other work on the machine to settle first, default 30
 *   CHROMIUM_PATH      the browser, default /usr/bin/chromium
 */
import {
  CHROMIUM_PATH,
  NO_CHROMIUM,
  PHONE,
  SLOW_PHONE,
  type AssetSummary,
  type WebServer,
  chromiumAvailable,
  firstContentfulPaint,
  openBrowser,
  signIn,
  startWebServer,
  throttle,
  transferredAssets,
} from '../test/support/browser.ts';
import { startTileServer } from '../test/support/tiles.ts';
import { type WebDemo, type WebPage, cookieFor, mainPages, pageExists, seedWebDemo } from '../test/support/web-pages.ts';
import { waitForQuiet } from './support.ts';

function posInt(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${raw}"`);
  return n;
}

const RUNS = posInt(process.env.BENCH_RUNS, 5);
const QUIET_WAIT_SECONDS = posInt(process.env.BENCH_QUIET_WAIT, 30);
const QUIET_BUSY_PCT = 25;

interface PageResult {
  page: WebPage;
  status: number;
  missing: boolean;
  fcps: number[];
  assets: AssetSummary | null;
  offMachine: string[];
  error?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function coldLoad(
  web: WebServer,
  demo: WebDemo,
  page: WebPage,
): Promise<{ fcp: number; assets: AssetSummary; offMachine: string[] }> {
  const browser = await openBrowser({ device: PHONE, locale: 'id-ID' });
  try {
    if (page.signedIn) await signIn(browser.context, web.baseUrl, cookieFor(demo, page));
    await throttle(browser.page, SLOW_PHONE);
    const assets = transferredAssets(browser.page);
    const response = await browser.page.goto(`${web.baseUrl}${page.path}`, { waitUntil: 'load', timeout: 60_000 });
    if (!response || response.status() >= 400) throw new Error(`GET ${page.path} answered ${response?.status()}`);
    const fcp = await firstContentfulPaint(browser.page);
    return { fcp, assets: await assets.summary(), offMachine: [...browser.offMachine] };
  } finally {
    await browser.close();
  }
}

async function measure(web: WebServer, demo: WebDemo, page: WebPage): Promise<PageResult> {
  const { exists, status } = await pageExists(web, demo, page);
  const result: PageResult = { page, status, missing: !exists, fcps: [], assets: null, offMachine: [] };
  if (!exists) return result;
  try {
    for (let run = 0; run < RUNS; run++) {
      const one = await coldLoad(web, demo, page);
      result.fcps.push(one.fcp);
      result.assets ??= one.assets;
      result.offMachine.push(...one.offMachine.filter((u) => !result.offMachine.includes(u)));
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  return result;
}

function verdict(ok: boolean | null): string {
  return ok === null ? '' : ok ? 'ok' : 'OVER';
}

function report(results: PageResult[]): void {
  const rows: string[][] = [['page', 'path', 'FCP median (range)', 'FCP target', '', 'JS gz', 'CSS gz', 'JS+CSS gz', 'target', '', 'wire']];
  for (const r of results) {
    const path = r.page.path.length > 28 ? `${r.page.path.slice(0, 27)}…` : r.page.path;
    if (r.missing || r.error || !r.assets) {
      rows.push([r.page.name, path, r.missing ? `missing (${r.status})` : `error: ${r.error}`, '', '', '', '', '', '', '', '']);
      continue;
    }
    const fcp = median(r.fcps);
    const fcpOk = r.page.fcpTargetMs === null ? null : fcp <= r.page.fcpTargetMs;
    const weightOk = r.assets.total.gzip <= r.page.weightTargetKb * 1024;
    rows.push([
      r.page.name,
      path,
      `${seconds(fcp)} (${seconds(Math.min(...r.fcps))}–${seconds(Math.max(...r.fcps))})`,
      r.page.fcpTargetMs === null ? '—' : `≤ ${seconds(r.page.fcpTargetMs)}`,
      verdict(fcpOk),
      `${kb(r.assets.js.gzip)} (${r.assets.js.files})`,
      `${kb(r.assets.css.gzip)} (${r.assets.css.files})`,
      kb(r.assets.total.gzip),
      `≤ ${r.page.weightTargetKb} KB`,
      verdict(weightOk),
      kb(r.assets.total.transferred),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
  console.log("\n  JS gz, CSS gz: the first load's scripts and style sheets gzipped at level 9 (files in brackets); wire: as transferred.");
  for (const r of results) {
    if (!r.assets) continue;
    const plain = r.assets.files.filter((f) => (f.kind === 'js' || f.kind === 'css') && f.encoding === '' && f.decoded > 1024);
    if (plain.length > 0) console.log(`  ${r.page.name}: served uncompressed: ${plain.map((f) => new URL(f.url).pathname).join(', ')}`);
    if (r.offMachine.length > 0) console.log(`  ${r.page.name}: requests off the machine (aborted): ${r.offMachine.join(', ')}`);
  }
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(NO_CHROMIUM);
    process.exit(1);
  }
  console.log(`bench:web — ${CHROMIUM_PATH}, ${RUNS} cold loads per page at ${PHONE.viewport.width} × ${PHONE.viewport.height}`);
  console.log(
    `  throttled: ${SLOW_PHONE.latencyMs} ms latency, ${SLOW_PHONE.downloadKbitPerSecond / 1000} Mbit/s down, ` +
      `${SLOW_PHONE.uploadKbitPerSecond} kbit/s up, CPU ${SLOW_PHONE.cpuSlowdown}× slower`,
  );
  const busy = await waitForQuiet(QUIET_WAIT_SECONDS, QUIET_BUSY_PCT);
  if (busy >= QUIET_BUSY_PCT) console.log(`  the machine is still busy (${busy.toFixed(0)}% of one core): figures may be high`);

  const tiles = await startTileServer();
  const web = await startWebServer({ config: { map: tiles.map } });
  const stop = () =>
    web
      .close()
      .then(() => tiles.close())
      .finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const demo = await seedWebDemo(web);
    const results: PageResult[] = [];
    for (const page of mainPages(demo)) {
      process.stdout.write(`  ${page.name} …`);
      const r = await measure(web, demo, page);
      console.log(r.missing ? ` missing (${r.status})` : r.error ? ` error: ${r.error}` : ` median FCP ${seconds(median(r.fcps))}`);
      results.push(r);
    }
    console.log('');
    report(results);
  } finally {
    await web.close();
    await tiles.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
