import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppEnv } from '../http/context.ts';
import { type Lang, t } from './i18n.ts';

/** What every page renders into: an HTML string (hono/html escapes every interpolated value). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const CSS = fs.readFileSync(path.join(import.meta.dirname, 'assets/portal.css'));
/** The stylesheet's address carries its hash, so it is cached for a year and never stale. */
export const CSS_PATH = `/assets/portal.${createHash('sha256').update(CSS).digest('hex').slice(0, 10)}.css`;
export const cssBytes = (): Buffer => CSS;
/** The island (assets/portal.js): the pages work without it; it only adds to them. Hashed like the stylesheet. */
const JS = fs.readFileSync(path.join(import.meta.dirname, 'assets/portal.js'));
export const JS_PATH = `/assets/portal.${createHash('sha256').update(JS).digest('hex').slice(0, 10)}.js`;
export const jsBytes = (): Buffer => JS;

export type Section = 'home' | 'reports' | 'stats' | 'about' | 'file' | null;

export interface PageOptions {
  lang: Lang;
  title: string;
  section: Section;
  /** The page's own address, for the language switch (keeps the query, swaps `lang`). */
  url: URL;
  /** Who is signed in, if anyone (read from the request by `respond`). */
  user?: { name: string } | null;
  body: Html;
}

/** The same address in the other language. */
function switchHref(url: URL, lang: Lang): string {
  const other = new URL(url.toString());
  other.searchParams.set('lang', lang === 'id' ? 'en' : 'id');
  return `${other.pathname}${other.search}`;
}

export function page(o: PageOptions): Html {
  const { lang } = o;
  const current = (s: Section) => raw(o.section === s ? ' aria-current="page"' : '');
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${t(lang, 'site.name')}</title>
<link rel="stylesheet" href="${CSS_PATH}">
<script src="${JS_PATH}" defer></script>
</head>
<body>
<a class="skip" href="#isi">${t(lang, 'nav.skip')}</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="/">${t(lang, 'site.name')}<small>${t(lang, 'site.tagline')}</small></a>
    <nav class="main" aria-label="${t(lang, 'nav.main')}">
      <ul>
        <li><a href="/"${current('home')}>${t(lang, 'nav.home')}</a></li>
        <li><a href="/laporan"${current('reports')}>${t(lang, 'nav.reports')}</a></li>
        <li><a href="/lapor"${current('file')}>${t(lang, 'nav.file')}</a></li>
        <li><a href="/statistik"${current('stats')}>${lang === 'id' ? 'Statistik' : 'Statistics'}</a></li>
        <li><a href="/tentang"${current('about')}>${t(lang, 'nav.about')}</a></li>
      </ul>
    </nav>
    ${
      o.user
        ? html`<form class="signout" method="post" action="/keluar"><a class="who" href="/akun">${o.user.name}</a> <button type="submit" class="link">${lang === 'id' ? 'Keluar' : 'Sign out'}</button></form>`
        : html`<a href="/masuk">${lang === 'id' ? 'Masuk' : 'Sign in'}</a>`
    }
    <a class="lang" href="${switchHref(o.url, lang)}" hreflang="${lang === 'id' ? 'en' : 'id'}" lang="${lang === 'id' ? 'en' : 'id'}"
      aria-label="${t(lang, 'lang.switchLabel')}">${t(lang, 'lang.switch')}</a>
  </div>
</header>
<main id="isi" class="wrap">
${o.body}
</main>
<footer class="site">
  <div class="wrap">
    <p>${t(lang, 'footer.text')} <a href="/docs">${t(lang, 'footer.api')}</a></p>
  </div>
</footer>
</body>
</html>`;
}

/** Renders a page as the response, with the status given. */
export async function respond(c: Context, status: ContentfulStatusCode, o: PageOptions): Promise<Response> {
  const principal = (c as Context<AppEnv>).get('principal');
  // Pages that show an account are never kept by a shared cache.
  if (principal) c.header('Cache-Control', 'private, no-store');
  return c.html(await page({ user: principal ? { name: principal.name } : null, ...o }), status);
}
