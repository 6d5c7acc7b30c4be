/**
 * Browser tests: the real app over HTTP on 127.0.0.1, and Debian's Chromium driven by
 * playwright-core (which never downloads a browser of its own). Nothing a page asks for may leave
 * the machine: every request to another host is aborted and recorded in `offMachine`, and the
 * browser resolves no host name but the loopback ones, so even a request the route cannot see
 * (a service worker's, the browser's own background traffic) goes nowhere.
 *
 * CHROMIUM_PATH names the browser (default /usr/bin/chromium); where it is missing the browser
 * suites are reported as skipped (`describeWithBrowser`), so `npm test` still passes on a machine
 * without it. .ci/run installs it.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import type { Config } from '../../src/config.ts';
import type { Role } from '../../src/domain/roles.ts';
import { openSession } from '../../src/features/accounts/accounts.service.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { type TestApp, type TestUser, startTestApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';
export const NO_CHROMIUM = `chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`;

/** Whether the browser the tests drive is there and executable. */
export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return fs.statSync(CHROMIUM_PATH).isFile();
  } catch {
    return false;
  }
}

/**
 * A suite that needs Chromium. Without it the suite is reported as one skipped test that names it
 * and says why (a skipped suite alone counts nothing in the runner's totals), like `describeOn`.
 */
export function describeWithBrowser(name: string, fn: () => void): void {
  if (chromiumAvailable()) {
    describe(name, fn);
    return;
  }
  test(`${name} (needs chromium)`, { skip: NO_CHROMIUM }, () => {});
}

// ---------------------------------------------------------------------------------------------
// The app over HTTP

export interface WebServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  /** The app under test: its deps, users, clock and in-process requests. */
  t: TestApp;
  close(): Promise<void>;
}

/** The real app (a fresh test database) served over HTTP on 127.0.0.1, on a free port (or `port`). */
export async function startWebServer(options: { port?: number; config?: Partial<Config> } = {}): Promise<WebServer> {
  const t = await startTestApp(options.config);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: t.app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    t,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections a browser left open would hold close() until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await t.close();
    },
  };
}

/** A browser session cookie for a new account of `role`, as signing in would set it. */
export async function sessionCookie(web: WebServer, role: Role, bodyCode?: string): Promise<{ user: TestUser; token: string }> {
  const user = await web.t.user(role, bodyCode);
  const { token } = await openSession(web.t.deps.db, web.t.deps.config, user.principal.userId, 'cookie', web.t.deps.now());
  return { user, token };
}

/** Signs the browser in: puts a session cookie for `token` on `baseUrl`. */
export async function signIn(context: BrowserContext, baseUrl: string, token: string): Promise<void> {
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
}

// ---------------------------------------------------------------------------------------------
// The browser

export interface DevicePreset {
  name: string;
  viewport: { width: number; height: number };
  isMobile: boolean;
  hasTouch: boolean;
  deviceScaleFactor: number;
}

/** A small phone (360 × 740 CSS px, the most common Android width in Indonesia). */
export const PHONE: DevicePreset = {
  name: 'phone',
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 1,
};
/** A common office laptop screen. */
export const DESKTOP: DevicePreset = {
  name: 'desktop',
  viewport: { width: 1366, height: 900 },
  isMobile: false,
  hasTouch: false,
  deviceScaleFactor: 1,
};

export interface BrowserOptions {
  device?: DevicePreset;
  javaScriptEnabled?: boolean;
  /** The browser's language (Accept-Language, navigator.language); default id-ID. */
  locale?: string;
  /** Host names requests may go to; default 127.0.0.1 and localhost. */
  allowHosts?: readonly string[];
}

export interface OpenBrowser {
  context: BrowserContext;
  /** The profile's first tab. */
  page: Page;
  /** Every URL a page asked for off the machine, in order; each was aborted. */
  offMachine: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** Chromium in a fresh profile (a temporary folder), with everything off the machine blocked and recorded. */
export async function openBrowser(options: BrowserOptions = {}): Promise<OpenBrowser> {
  const device = options.device ?? PHONE;
  const allow = new Set(options.allowHosts ?? LOOPBACK);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        // Belt and braces under the route below: no name resolves but loopback.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
        '--no-first-run',
        '--no-default-browser-check',
      ],
      viewport: device.viewport,
      isMobile: device.isMobile,
      hasTouch: device.hasTouch,
      deviceScaleFactor: device.deviceScaleFactor,
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      locale: options.locale ?? 'id-ID',
      timezoneId: 'Asia/Jakarta',
      serviceWorkers: 'allow',
      timeout: 30_000,
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const offMachine: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // not a URL the route can parse: treat as off the machine
    }
    if (allow.has(host)) return route.continue();
    offMachine.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    offMachine,
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Accessibility (axe-core)

export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** A CSS selector for each offending element. */
  targets: string[];
}

const AXE_SOURCE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | null = null;

/**
 * Runs axe-core's rules of `tags` (default WCAG 2.0 and 2.1, levels A and AA) on the page as it
 * is now. axe is injected with a script tag; where the page's Content-Security-Policy refuses an
 * inline script (as a strict one should), it is evaluated through the DevTools protocol instead.
 */
export async function axeViolations(page: Page, options: { tags?: readonly string[]; exclude?: string[] } = {}): Promise<AxeViolation[]> {
  const hasAxe = () => page.evaluate(() => typeof (globalThis as any).axe?.run === 'function');
  if (!(await hasAxe())) {
    axeSource ??= fs.readFileSync(AXE_SOURCE_PATH, 'utf8');
    try {
      await page.addScriptTag({ content: axeSource });
    } catch {
      // refused by the page's CSP: evaluated below
    }
    if (!(await hasAxe())) await page.evaluate(axeSource);
    if (!(await hasAxe())) throw new Error('axe-core could not be injected into the page');
  }
  const tags = [...(options.tags ?? WCAG_AA_TAGS)];
  return page.evaluate(
    async ({ tags, exclude }) => {
      const axe = (globalThis as any).axe;
      const context = exclude.length > 0 ? { exclude: exclude.map((s) => [s]) } : (globalThis as any).document;
      const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n: any) => n.target.map(String).join(' ')),
      }));
    },
    { tags, exclude: options.exclude ?? [] },
  );
}

/** Violations as lines a person can act on, for an assertion message. */
export function formatViolations(violations: readonly AxeViolation[], where = ''): string {
  if (violations.length === 0) return `${where}no accessibility violations`;
  const lines = violations.map((v) => `  ${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n${v.targets.map((t) => `      ${t}`).join('\n')}`);
  return `${where}${violations.length} accessibility violation(s):\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Speed and weight

export interface ThrottleProfile {
  /** Added to every request, in ms. */
  latencyMs: number;
  downloadKbitPerSecond: number;
  uploadKbitPerSecond: number;
  /** CPU slowdown factor (4 = four times slower). */
  cpuSlowdown: number;
}

/** A budget phone on a poor mobile connection: the profile of issue 10's speed targets. */
export const SLOW_PHONE: ThrottleProfile = { latencyMs: 150, downloadKbitPerSecond: 1600, uploadKbitPerSecond: 750, cpuSlowdown: 4 };

/** Throttles the page's network and CPU through the DevTools protocol; set it before navigating. */
export async function throttle(page: Page, profile: ThrottleProfile = SLOW_PHONE): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latencyMs,
    // kbit/s → bytes/s
    downloadThroughput: (profile.downloadKbitPerSecond * 1000) / 8,
    uploadThroughput: (profile.uploadKbitPerSecond * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
}

/** First contentful paint of the current document, in ms from navigation start (waits up to `timeoutMs` for it). */
export async function firstContentfulPaint(page: Page, timeoutMs = 30_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => (globalThis as any).performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

export interface AssetFile {
  url: string;
  kind: 'js' | 'css' | 'document' | 'other';
  status: number;
  /** Content-Encoding the server used ('' for none). */
  encoding: string;
  /** Body bytes as they crossed the wire (compressed when the server compressed). */
  transferred: number;
  /** Body bytes after decoding. */
  decoded: number;
  /** The decoded body gzipped here (level 9): what it would weigh compressed, however it was served. */
  gzip: number;
}

export interface AssetTotals {
  files: number;
  transferred: number;
  decoded: number;
  gzip: number;
}

export interface AssetSummary {
  js: AssetTotals;
  css: AssetTotals;
  /** JS and CSS together: what the weight targets count. */
  total: AssetTotals;
  document: AssetTotals;
  files: AssetFile[];
}

function kindOf(resourceType: string, contentType: string): AssetFile['kind'] {
  if (resourceType === 'script' || /javascript|ecmascript/.test(contentType)) return 'js';
  if (resourceType === 'stylesheet' || contentType.includes('text/css')) return 'css';
  if (resourceType === 'document') return 'document';
  return 'other';
}

/**
 * Records every response the page gets from now on (start it before the first navigation);
 * `summary()` adds up the JS and CSS of that load, both as transferred and gzipped.
 */
export function transferredAssets(page: Page): { summary(): Promise<AssetSummary> } {
  const pending: Promise<AssetFile | null>[] = [];
  page.on('response', (response) => {
    pending.push(
      (async () => {
        const request = response.request();
        const headers = await response.allHeaders();
        const kind = kindOf(request.resourceType(), headers['content-type'] ?? '');
        let body: Buffer;
        try {
          body = await response.body();
        } catch {
          return null; // a redirect or an aborted request has no body
        }
        const sizes = await request.sizes().catch(() => null);
        return {
          url: response.url(),
          kind,
          status: response.status(),
          encoding: headers['content-encoding'] ?? '',
          transferred: sizes?.responseBodySize ?? body.length,
          decoded: body.length,
          gzip: gzipSync(body, { level: 9 }).length,
        };
      })().catch(() => null),
    );
  });
  const totals = (files: AssetFile[]): AssetTotals => ({
    files: files.length,
    transferred: files.reduce((s, f) => s + f.transferred, 0),
    decoded: files.reduce((s, f) => s + f.decoded, 0),
    gzip: files.reduce((s, f) => s + f.gzip, 0),
  });
  return {
    async summary() {
      const files = (await Promise.all(pending)).filter((f): f is AssetFile => f !== null);
      const js = files.filter((f) => f.kind === 'js');
      const css = files.filter((f) => f.kind === 'css');
      return {
        js: totals(js),
        css: totals(css),
        total: totals([...js, ...css]),
        document: totals(files.filter((f) => f.kind === 'document')),
        files,
      };
    },
  };
}

/** `path` with `lang=<lang>` added to its query. */
export function withLang(pathAndQuery: string, lang: 'id' | 'en'): string {
  return `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}lang=${lang}`;
}
