import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/context.ts';
import { type Lang, bi, t } from './i18n.ts';
import { CSS_PATH, type Html } from './layout.ts';
import { roleWords } from './words.ts';

/**
 * The back office's page shell: the portal's stylesheet and look, its own navigation, one small
 * stylesheet and one small script of its own (both at hashed, immutable addresses, as the CSP
 * allows: self only, nothing inline).
 */
const asset = (name: string) => {
  const bytes = fs.readFileSync(path.join(import.meta.dirname, 'assets', name));
  const [base, ext] = name.split('.');
  return { bytes, path: `/assets/${base}.${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}.${ext}` };
};
export const OFFICE_CSS = asset('office.css');
export const OFFICE_JS = asset('office.js');

export type OfficeSection =
  | 'inbox'
  | 'report'
  | 'calendar'
  | 'users'
  | 'bodies'
  | 'categories'
  | 'inbound'
  | 'integration'
  | 'audit'
  | null;

/** The admin pages and the roles that may use them (as their services allow). */
export const ADMIN_PAGES = {
  calendar: { path: '/kantor/kalender', roles: ['national_admin', 'agency_admin'], label: { id: 'Kalender', en: 'Calendars' } },
  users: { path: '/kantor/pengguna', roles: ['national_admin', 'agency_admin'], label: { id: 'Pengguna', en: 'Users' } },
  bodies: { path: '/kantor/instansi', roles: ['national_admin', 'agency_admin'], label: { id: 'Instansi', en: 'Bodies' } },
  categories: { path: '/kantor/kategori', roles: ['national_admin', 'agency_admin'], label: { id: 'Kategori', en: 'Categories' } },
  inbound: { path: '/kantor/pesan', roles: ['national_admin'], label: { id: 'Pesan masuk', en: 'Inbound messages' } },
  integration: { path: '/kantor/integrasi', roles: ['national_admin', 'agency_admin'], label: { id: 'Integrasi', en: 'Integrations' } },
  audit: { path: '/kantor/audit', roles: ['national_admin', 'monitor'], label: { id: 'Audit identitas', en: 'Identity audit' } },
} as const satisfies Record<string, { path: string; roles: readonly string[]; label: { id: string; en: string } }>;

export interface OfficePageOptions {
  lang: Lang;
  title: string;
  section: OfficeSection;
  url: URL;
  body: Html;
  /** Load the keyboard script (the inbox). */
  script?: boolean;
}

function switchHref(url: URL, lang: Lang): string {
  const other = new URL(url.toString());
  other.searchParams.set('lang', lang === 'id' ? 'en' : 'id');
  return `${other.pathname}${other.search}`;
}

export function officePage(o: OfficePageOptions & { user: { name: string; role: string } }): Html {
  const { lang } = o;
  const q = lang === 'en' ? '?lang=en' : '';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${bi(lang, 'Kantor', 'Back office')} · ${t(lang, 'site.name')}</title>
<link rel="stylesheet" href="${CSS_PATH}">
<link rel="stylesheet" href="${OFFICE_CSS.path}">
${o.script ? raw(`<script src="${OFFICE_JS.path}" defer></script>`) : ''}
</head>
<body>
<a class="skip" href="#isi">${t(lang, 'nav.skip')}</a>
<header class="site office">
  <div class="wrap wide">
    <a class="brand" href="/kantor${q}">${t(lang, 'site.name')}<small>${bi(lang, 'Kantor: ruang kerja petugas', 'Back office: the staff workspace')}</small></a>
    <nav class="main" aria-label="${bi(lang, 'Menu kantor', 'Back office menu')}">
      <ul>
        <li><a href="/kantor${q}"${raw(o.section === 'inbox' ? ' aria-current="page"' : '')}>${bi(lang, 'Kotak masuk', 'Inbox')}</a></li>
        <li><a href="/kantor?terlambat=1${lang === 'en' ? '&amp;lang=en' : ''}">${bi(lang, 'Terlambat', 'Overdue')}</a></li>
        ${(Object.entries(ADMIN_PAGES) as [OfficeSection, (typeof ADMIN_PAGES)[keyof typeof ADMIN_PAGES]][])
          .filter(([, p]) => (p.roles as readonly string[]).includes(o.user.role))
          .map(
            ([section, p]) =>
              html`<li><a href="${p.path}${q}"${raw(o.section === section ? ' aria-current="page"' : '')}>${p.label[lang]}</a></li>`,
          )}
        <li><a href="/${q}">${bi(lang, 'Portal publik', 'Public portal')}</a></li>
      </ul>
    </nav>
    <form class="signout" method="post" action="/keluar"><span class="who">${o.user.name} (${roleWords(lang, o.user.role)})</span> <button type="submit" class="link">${bi(lang, 'Keluar', 'Sign out')}</button></form>
    <a class="lang" href="${switchHref(o.url, lang)}" hreflang="${lang === 'id' ? 'en' : 'id'}" lang="${lang === 'id' ? 'en' : 'id'}"
      aria-label="${t(lang, 'lang.switchLabel')}">${t(lang, 'lang.switch')}</a>
  </div>
</header>
<main id="isi" class="wrap wide">
${o.body}
</main>
<footer class="site">
  <div class="wrap wide">
    <p>${t(lang, 'footer.text')} <a href="/docs">${t(lang, 'footer.api')}</a></p>
  </div>
</footer>
</body>
</html>`;
}

/** Renders a back-office page for the signed-in staff member; never kept by a shared cache. */
export async function respondOffice(c: Context, status: ContentfulStatusCode, o: OfficePageOptions): Promise<Response> {
  const principal = (c as Context<AppEnv>).get('principal')!;
  c.header('Cache-Control', 'private, no-store');
  return c.html(await officePage({ ...o, user: { name: principal.name, role: principal.role } }), status);
}
