import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Principal } from '../domain/principal.ts';
import type { Role } from '../domain/roles.ts';
import type { AppEnv } from '../http/context.ts';
import { type Lang, bi, langOf, t } from './i18n.ts';
import { type Html, respond } from './layout.ts';
import { ADMIN_PAGES, type OfficeSection, respondOffice } from './office-layout.ts';
import { half } from './ui.ts';
import { dueWords, roleWords } from './words.ts';

/**
 * What the back office's admin pages share: the role gate (signed out → sign-in, the wrong role
 * → a 403 page), the 400/404 page, path ids and page numbers read without ever throwing, the
 * pager, and the notice that says what an action changed.
 */

export const PER_PAGE = 20;
export const STAFF_ROLES: readonly Role[] = ['national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor'];

export const langQuery = (lang: Lang, sep: '?' | '&' = '?') => (lang === 'en' ? `${sep}lang=en` : '');
export const number = (lang: Lang, n: number) => n.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB');
/** "24 November 2026, 10.00 WIB" from a UTC instant. */
export const instantWords = (lang: Lang, iso: string) =>
  dueWords(lang, new Date(Date.parse(iso) + 7 * 3600_000).toISOString().replace('Z', '+07:00'));

export type Section = Exclude<OfficeSection, 'inbox' | 'report' | null>;

/** The signed-in admin who may use this page, or the response for everyone else. */
export async function allowed(c: Context<AppEnv>, lang: Lang, section: Section): Promise<Principal | Response> {
  const principal = c.get('principal');
  if (!principal) {
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : ADMIN_PAGES[section].path;
    return c.redirect(`/masuk?next=${encodeURIComponent(back)}`, 303);
  }
  if (!(ADMIN_PAGES[section].roles as readonly string[]).includes(principal.role)) return forbidden(c, lang, principal);
  return principal;
}

export function forbidden(c: Context<AppEnv>, lang: Lang, principal: Principal, message?: string): Promise<Response> {
  const title = bi(lang, 'Tidak diizinkan', 'Not allowed');
  const text = message
    ? half(lang, message)
    : `${bi(lang, 'Halaman ini bukan untuk peran Anda.', 'This page is not for your role.')} (${roleWords(lang, principal.role)})`;
  const body = html`<h1>${title}</h1><p class="alert" role="alert">${text}</p>`;
  const url = new URL(c.req.url);
  if (!STAFF_ROLES.includes(principal.role)) {
    return respond(c, 403, {
      lang,
      title,
      section: null,
      url,
      body: html`${body}<p><a href="/akun${langQuery(lang)}">${bi(lang, 'Ke akun saya', 'To my account')}</a></p>`,
    });
  }
  return respondOffice(c, 403, {
    lang,
    title,
    section: null,
    url,
    body: html`${body}<p><a href="/kantor${langQuery(lang)}">${bi(lang, 'Kembali ke kotak masuk', 'Back to the inbox')}</a></p>`,
  });
}

export function problemPage(c: Context<AppEnv>, lang: Lang, status: 400 | 404, message: string, back: string): Promise<Response> {
  const title = status === 400 ? bi(lang, 'Permintaan tidak valid', 'Invalid request') : bi(lang, 'Tidak ditemukan', 'Not found');
  return respondOffice(c, status, {
    lang,
    title,
    section: null,
    url: new URL(c.req.url),
    body: html`<h1>${title}</h1><p class="alert" role="alert">${half(lang, message)}</p><p><a href="${back}${langQuery(lang)}">${bi(lang, 'Kembali', 'Back')}</a></p>`,
  });
}

/** A path id: a positive whole number, or null. */
export function pathId(text: string): number | null {
  return /^[1-9]\d{0,14}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

/**
 * The common start of an admin route with an id in its path: the reader's language, the admin
 * who may use the page (or the response for anyone else) and the id (or a 400 page saying
 * `invalid`, bilingual, with a link back).
 */
export async function adminTarget(
  c: Context<AppEnv>,
  section: Section,
  invalid: string,
  back: string,
): Promise<{ lang: Lang; who: Principal; id: number } | Response> {
  const lang = langOf(c);
  const who = await allowed(c, lang, section);
  if (who instanceof Response) return who;
  const id = pathId(c.req.param('id') ?? '');
  if (id === null) return problemPage(c, lang, 400, invalid, back);
  return { lang, who, id };
}

/** The page number from the query: 1 by default; null when it is not a page. */
export function pageOf(c: Context): number | null {
  const text = c.req.query('page');
  if (text === undefined || text === '') return 1;
  const page = Number(text);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : null;
}

export const PAGE_ERROR = 'Nomor halaman tidak valid / Invalid page number';

/** The links to the previous and next pages, keeping the other filters. */
export function pager(lang: Lang, base: string, params: URLSearchParams, page: number, total: number): Html {
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  if (pages <= 1) return html``;
  const at = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    return `${base}?${next.toString()}`;
  };
  return html`<nav class="pages" aria-label="${t(lang, 'feed.pagination')}">
  ${page > 1 ? html`<a href="${at(page - 1)}" rel="prev">${t(lang, 'feed.prev')}</a>` : ''}
  <span>${t(lang, 'feed.page', { page, pages })}</span>
  ${page < pages ? html`<a href="${at(page + 1)}" rel="next">${t(lang, 'feed.next')}</a>` : ''}
</nav>`;
}

/** The page's own address (a POST re-renders the list; its links and language switch point at the GET). */
export const pageUrl = (c: Context, path: string) => {
  const url = new URL(c.req.url);
  return new URL(`${path}${url.search}`, url);
};

export const notice = (text: string) => html`<p class="notice" role="status">${text}</p>`;
