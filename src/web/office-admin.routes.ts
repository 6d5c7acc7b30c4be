import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { formatTrackingId, normalizeTrackingId } from '../domain/tracking-id.ts';
import { AppError } from '../errors.ts';
import { type AdminUser, listUsers, setAccountDisabled } from '../features/accounts/accounts.service.ts';
import { listIdentityAccess } from '../features/audit/audit.service.ts';
import type { RequestStatus } from '../features/calendars/change-requests.repository.ts';
import { type ChangeRequestJson, listRequests } from '../features/calendars/change-requests.service.ts';
import { approveChangeRequest, rejectChangeRequest } from '../features/sla/calendar-changes.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf, t } from './i18n.ts';
import { type Html, respond } from './layout.ts';
import { ADMIN_PAGES, type OfficeSection, respondOffice } from './office-layout.ts';
import { type Choice, field, formError, half, select } from './ui.ts';
import { dateWords, dueWords, roleWords } from './words.ts';

/**
 * The back office's admin pages (issue 10 §2): calendar change requests with the national
 * approval, the accounts in the admin's scope, and the identity-access audit log. Each reads and
 * acts through the same services as the API, so the same people may do the same things; a role
 * that may not gets a 403 page, and bad input a 400 page or the form again with its errors.
 */

const PER_PAGE = 20;
const STAFF_ROLES: readonly Role[] = ['national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor'];

const langQuery = (lang: Lang, sep: '?' | '&' = '?') => (lang === 'en' ? `${sep}lang=en` : '');
const number = (lang: Lang, n: number) => n.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB');
/** "24 November 2026, 10.00 WIB" from a UTC instant. */
const instantWords = (lang: Lang, iso: string) =>
  dueWords(lang, new Date(Date.parse(iso) + 7 * 3600_000).toISOString().replace('Z', '+07:00'));

type Section = Exclude<OfficeSection, 'inbox' | 'report' | null>;

/** The signed-in admin who may use this page, or the response for everyone else. */
async function allowed(c: Context<AppEnv>, lang: Lang, section: Section): Promise<Principal | Response> {
  const principal = c.get('principal');
  if (!principal) {
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : ADMIN_PAGES[section].path;
    return c.redirect(`/masuk?next=${encodeURIComponent(back)}`, 303);
  }
  if (!(ADMIN_PAGES[section].roles as readonly string[]).includes(principal.role)) return forbidden(c, lang, principal);
  return principal;
}

function forbidden(c: Context<AppEnv>, lang: Lang, principal: Principal, message?: string): Promise<Response> {
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

function problemPage(c: Context<AppEnv>, lang: Lang, status: 400 | 404, message: string, back: string): Promise<Response> {
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
function pathId(text: string): number | null {
  return /^[1-9]\d{0,14}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

/** The page number from the query: 1 by default; null when it is not a page. */
function pageOf(c: Context): number | null {
  const text = c.req.query('page');
  if (text === undefined || text === '') return 1;
  const page = Number(text);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : null;
}

const PAGE_ERROR = 'Nomor halaman tidak valid / Invalid page number';

/** The links to the previous and next pages, keeping the other filters. */
function pager(lang: Lang, base: string, params: URLSearchParams, page: number, total: number): Html {
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
const pageUrl = (c: Context, path: string) => {
  const url = new URL(c.req.url);
  return new URL(`${path}${url.search}`, url);
};

const notice = (text: string) => html`<p class="notice" role="status">${text}</p>`;

// ---------------------------------------------------------------------------------------------
// Calendar change requests

const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'all'] as const;
type StatusFilter = (typeof REQUEST_STATUSES)[number];

const STATUS_WORDS: Record<StatusFilter, { id: string; en: string }> = {
  pending: { id: 'Menunggu keputusan', en: 'Awaiting a decision' },
  approved: { id: 'Disetujui', en: 'Approved' },
  rejected: { id: 'Ditolak', en: 'Rejected' },
  all: { id: 'Semua', en: 'All' },
};

const CHANGE_WORDS: Record<string, { id: string; en: string }> = {
  add: { id: 'Tambah hari', en: 'Add a day' },
  change: { id: 'Ubah hari', en: 'Change a day' },
  remove: { id: 'Hapus hari', en: 'Remove a day' },
  import: { id: 'Impor (ganti) satu tahun', en: 'Import (replace) a year' },
};

const KIND_WORDS: Record<string, { id: string; en: string }> = {
  holiday: { id: 'libur nasional', en: 'public holiday' },
  cuti_bersama: { id: 'cuti bersama', en: 'collective leave' },
  regional: { id: 'libur daerah', en: 'regional day off' },
  workday: { id: 'hari kerja pengganti', en: 'extra working day' },
};

type Day = { date: string; kind: string; name: string; provisional?: boolean };
const dayWords = (lang: Lang, d: Day) =>
  `${dateWords(lang, d.date)}: ${d.name} (${KIND_WORDS[d.kind]?.[lang] ?? d.kind}${d.provisional ? `, ${bi(lang, 'sementara', 'provisional')}` : ''})`;

const DAYS_SHOWN = 12;

function changeWords(lang: Lang, r: ChangeRequestJson): Html {
  if (r.action === 'add' && r.day) return html`<ul><li>${dayWords(lang, r.day)}</li></ul>`;
  if (r.action === 'remove' && r.before) return html`<ul><li><del>${dayWords(lang, r.before)}</del></li></ul>`;
  if (r.action === 'change' && r.before && r.after) {
    return html`<ul><li>${bi(lang, 'Dari', 'From')} ${dayWords(lang, r.before)}</li><li>${bi(lang, 'menjadi', 'to')} ${dayWords(lang, r.after)}</li></ul>`;
  }
  if (r.action === 'import' && r.import) {
    const days = r.import.days;
    return html`<p>${bi(lang, `Tahun ${r.import.year}, ${days.length} hari`, `Year ${r.import.year}, ${days.length} days`)} · ${bi(lang, 'Sumber', 'Source')}: ${r.import.source}${r.import.status === 'provisional' ? ` · ${bi(lang, 'sementara', 'provisional')}` : ''}</p>
<ul>${days.slice(0, DAYS_SHOWN).map((d) => html`<li>${dayWords(lang, d)}</li>`)}${days.length > DAYS_SHOWN ? html`<li>${bi(lang, `dan ${days.length - DAYS_SHOWN} hari lagi`, `and ${days.length - DAYS_SHOWN} more days`)}</li>` : ''}</ul>`;
  }
  return html``;
}

interface CalendarFailure {
  id: number;
  verdict: 'approve' | 'reject';
  errors: Record<string, string>;
  values: Record<string, string>;
}

function decisionForms(lang: Lang, r: ChangeRequestJson, action: string, failed?: CalendarFailure): Html {
  const mine = failed?.id === r.id ? failed : undefined;
  const approve = mine?.verdict === 'approve' ? mine : undefined;
  const reject = mine?.verdict === 'reject' ? mine : undefined;
  return html`<div class="decide">
<form class="action" method="post" action="/kantor/kalender/${r.id}/setujui${raw(action)}" id="setujui-${r.id}">
  <h4>${bi(lang, 'Setujui', 'Approve')}</h4>
  ${formError(lang, approve?.errors._)}
  ${field({ lang, name: 'note', id: `setujui-${r.id}-note`, label: bi(lang, 'Catatan (tidak wajib)', 'Note (optional)'), value: approve?.values.note, error: approve?.errors.note, rows: 2, maxlength: 1000 })}
  <p class="hint">${bi(lang, 'Perubahan berlaku dan batas waktu terbuka yang terdampak bergeser.', 'The change applies and the open deadlines it touches move.')}</p>
  <button type="submit">${bi(lang, `Setujui permintaan #${r.id}`, `Approve request #${r.id}`)}</button>
</form>
<form class="action" method="post" action="/kantor/kalender/${r.id}/tolak${raw(action)}" id="tolak-${r.id}">
  <h4>${bi(lang, 'Tolak', 'Reject')}</h4>
  ${formError(lang, reject?.errors._)}
  ${field({ lang, name: 'reason', id: `tolak-${r.id}-reason`, label: bi(lang, 'Alasan penolakan', 'Reason for rejecting'), hint: bi(lang, 'Wajib; disampaikan kepada pemohon.', 'Required; the requester is told.'), value: reject?.values.reason, error: reject?.errors.reason, rows: 2, maxlength: 1000, required: true })}
  <button type="submit">${bi(lang, `Tolak permintaan #${r.id}`, `Reject request #${r.id}`)}</button>
</form>
</div>`;
}

function requestCard(lang: Lang, principal: Principal, r: ChangeRequestJson, action: string, failed?: CalendarFailure): Html {
  const layer = r.layer.name ?? r.layer.key;
  return html`<article class="request" aria-labelledby="req-${r.id}">
<h3 id="req-${r.id}">${bi(lang, `Permintaan #${r.id}`, `Request #${r.id}`)}: ${CHANGE_WORDS[r.action]?.[lang] ?? r.action} · ${layer}</h3>
<dl class="facts">
  <dt>${bi(lang, 'Status', 'Status')}</dt><dd><span class="badge">${STATUS_WORDS[r.status][lang]}</span></dd>
  <dt>${bi(lang, 'Lapisan kalender', 'Calendar layer')}</dt><dd>${layer} (${r.layer.scope === 'province' ? bi(lang, 'provinsi', 'province') : bi(lang, 'instansi', 'body')})</dd>
  <dt>${bi(lang, 'Diminta oleh', 'Asked by')}</dt><dd>${r.requestedBy.name} · <time datetime="${r.requestedAt}">${instantWords(lang, r.requestedAt)}</time></dd>
  <dt>${bi(lang, 'Alasan', 'Reason')}</dt><dd>${r.reason ?? '—'}</dd>
  ${
    r.decidedAt
      ? html`<dt>${bi(lang, 'Diputuskan oleh', 'Decided by')}</dt><dd>${r.decidedBy?.name ?? ''} · <time datetime="${r.decidedAt}">${instantWords(lang, r.decidedAt)}</time></dd>
  ${r.decisionReason ? html`<dt>${r.status === 'rejected' ? bi(lang, 'Alasan penolakan', 'Reason for rejecting') : bi(lang, 'Catatan', 'Note')}</dt><dd>${r.decisionReason}</dd>` : ''}
  ${r.deadlinesMoved !== null ? html`<dt>${bi(lang, 'Batas waktu bergeser', 'Deadlines moved')}</dt><dd>${number(lang, r.deadlinesMoved)}</dd>` : ''}`
      : ''
  }
</dl>
<h4>${bi(lang, 'Yang diubah', 'What it changes')}</h4>
${changeWords(lang, r)}
${r.status === 'pending' && principal.role === 'national_admin' ? decisionForms(lang, r, action, failed) : ''}
</article>`;
}

interface CalendarState {
  notice?: Html;
  failed?: CalendarFailure;
  error?: string;
  status?: ContentfulStatusCode;
}

async function renderCalendar(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, state: CalendarState = {}) {
  const statusText = c.req.query('status') || 'pending';
  const page = pageOf(c);
  if (!(REQUEST_STATUSES as readonly string[]).includes(statusText)) {
    return problemPage(c, lang, 400, 'Status tidak dikenal / Unknown status', '/kantor/kalender');
  }
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, '/kantor/kalender');
  const status = statusText as StatusFilter;
  let list: Awaited<ReturnType<typeof listRequests>>;
  try {
    list = await listRequests(deps.db, principal, { status: status as RequestStatus | 'all', page, perPage: PER_PAGE });
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') return forbidden(c, lang, principal, err.message);
    throw err;
  }
  const params = new URLSearchParams();
  if (status !== 'pending') params.set('status', status);
  if (lang === 'en') params.set('lang', 'en');
  // the decision forms post back with the list's filters, so the list comes back the same
  const keep = new URLSearchParams(params);
  if (page > 1) keep.set('page', String(page));
  const action = keep.size > 0 ? `?${keep.toString().replace(/&/g, '&amp;')}` : '';
  const national = principal.role === 'national_admin';
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<h1>${bi(lang, 'Perubahan kalender kerja', 'Working calendar changes')}</h1>
<p class="lead">${
    national
      ? bi(
          lang,
          'Permintaan admin provinsi dan instansi untuk mengubah hari libur lapisannya. Perubahan berlaku, dan batas waktu yang terdampak bergeser, hanya setelah Anda menyetujuinya.',
          'Requests by province and body admins to change their layer’s days off. A change applies, and the deadlines it touches move, only once you approve it.',
        )
      : bi(
          lang,
          'Permintaan perubahan untuk kalender instansi Anda. Admin nasional yang memutuskan; halaman ini hanya baca.',
          'Change requests for your body’s calendar. A national admin decides; this page is read-only.',
        )
  }</p>
<form class="filters" action="/kantor/kalender" method="get" aria-label="${bi(lang, 'Saring permintaan', 'Filter the requests')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${select({ lang, name: 'status', label: bi(lang, 'Status', 'Status'), value: status, choices: REQUEST_STATUSES.map((s) => ({ value: s, label: STATUS_WORDS[s][lang] })) })}
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button></div>
</form>
<p role="status">${bi(lang, `${number(lang, list.total)} permintaan`, `${number(lang, list.total)} requests`)}${status === 'pending' ? '' : ` · ${STATUS_WORDS[status][lang]}`}</p>
${
  list.items.length === 0
    ? html`<p>${status === 'pending' ? bi(lang, 'Tidak ada permintaan yang menunggu keputusan.', 'No request is awaiting a decision.') : bi(lang, 'Tidak ada permintaan.', 'No requests.')}</p>`
    : html`<h2 class="visually-hidden">${bi(lang, 'Daftar permintaan', 'The requests')}</h2>${list.items.map((r) => requestCard(lang, principal, r, action, state.failed))}`
}
${pager(lang, '/kantor/kalender', params, page, list.total)}`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: bi(lang, 'Kalender', 'Calendars'),
    section: 'calendar',
    url: pageUrl(c, '/kantor/kalender'),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Users

const STAFF_ACCOUNT_ROLES = ROLES;

interface UserQuery {
  q: string;
  role?: Role;
  status?: 'active' | 'disabled';
  page: number;
}

function userQuery(c: Context): { query: UserQuery; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > 100) errors.q = 'Paling banyak 100 karakter / At most 100 characters';
  const role = c.req.query('role') || undefined;
  if (role && !(ROLES as readonly string[]).includes(role)) errors.role = 'Peran tidak dikenal / Unknown role';
  const status = c.req.query('status') || undefined;
  if (status && status !== 'active' && status !== 'disabled') errors.status = 'Status tidak dikenal / Unknown status';
  const page = pageOf(c);
  if (page === null) errors.page = PAGE_ERROR;
  return {
    query: {
      q,
      role: errors.role ? undefined : (role as Role),
      status: errors.status ? undefined : (status as UserQuery['status']),
      page: page ?? 1,
    },
    errors,
  };
}

interface UsersState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
}

function userRow(lang: Lang, principal: Principal, u: AdminUser, action: string): Html {
  const disabled = u.disabledAt !== null;
  const verb = disabled ? 'aktifkan' : 'nonaktifkan';
  return html`<tr>
  <td>${u.name}<br><span class="meta">${[u.email, u.phone].filter(Boolean).join(' · ') || '—'}</span></td>
  <td>${roleWords(lang, u.role)}</td>
  <td>${u.bodyName ?? '—'}</td>
  <td>${disabled ? html`<span class="badge late">${bi(lang, 'Nonaktif', 'Disabled')}</span> <span class="meta">${dateWords(lang, u.disabledAt!)}</span>` : bi(lang, 'Aktif', 'Active')}</td>
  <td>${
    u.id === principal.userId
      ? html`<span class="meta">${bi(lang, 'Akun Anda', 'Your account')}</span>`
      : html`<form method="post" action="/kantor/pengguna/${u.id}/${verb}${raw(action)}"><button type="submit" aria-label="${disabled ? bi(lang, `Aktifkan ${u.name}`, `Enable ${u.name}`) : bi(lang, `Nonaktifkan ${u.name}`, `Disable ${u.name}`)}">${disabled ? bi(lang, 'Aktifkan', 'Enable') : bi(lang, 'Nonaktifkan', 'Disable')}</button></form>`
  }</td>
</tr>`;
}

async function renderUsers(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, state: UsersState = {}) {
  const { query, errors } = userQuery(c);
  const bad = Object.keys(errors).length > 0;
  let list: Awaited<ReturnType<typeof listUsers>> = { items: [], total: 0, page: 1, pageSize: PER_PAGE };
  if (!bad) {
    try {
      list = await listUsers(deps.db, principal, {
        q: query.q || undefined,
        role: query.role,
        status: query.status,
        page: query.page,
        pageSize: PER_PAGE,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'forbidden') return forbidden(c, lang, principal, err.message);
      throw err;
    }
  }
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.role) params.set('role', query.role);
  if (query.status) params.set('status', query.status);
  if (lang === 'en') params.set('lang', 'en');
  const keep = new URLSearchParams(params);
  if (query.page > 1) keep.set('page', String(query.page));
  const action = keep.size > 0 ? `?${keep.toString().replace(/&/g, '&amp;')}` : '';
  const roleChoices: Choice[] = STAFF_ACCOUNT_ROLES.map((r) => ({ value: r, label: roleWords(lang, r) }));
  const raw_ = (name: string) => c.req.query(name) ?? '';
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<h1>${bi(lang, 'Pengguna dan peran', 'Users and roles')}</h1>
<p class="lead">${
    principal.role === 'national_admin'
      ? bi(lang, 'Semua akun LAPOR!.', 'Every LAPOR! account.')
      : bi(lang, 'Akun instansi Anda dan unit-unit di bawahnya.', 'The accounts of your body and the units below it.')
  }</p>
<form class="filters" action="/kantor/pengguna" method="get" role="search" aria-label="${bi(lang, 'Cari pengguna', 'Search the users')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${field({ lang, name: 'q', type: 'search', label: bi(lang, 'Cari', 'Search'), hint: bi(lang, 'Nama, email atau nomor telepon', 'Name, email or phone'), value: errors.q ? raw_('q') : query.q, error: errors.q })}
  ${select({ lang, name: 'role', label: bi(lang, 'Peran', 'Role'), value: raw_('role'), choices: roleChoices, empty: t(lang, 'feed.any'), error: errors.role })}
  ${select({
    lang,
    name: 'status',
    label: bi(lang, 'Status', 'Status'),
    value: raw_('status'),
    choices: [
      { value: 'active', label: bi(lang, 'Aktif', 'Active') },
      { value: 'disabled', label: bi(lang, 'Nonaktif', 'Disabled') },
    ],
    empty: t(lang, 'feed.any'),
    error: errors.status,
  })}
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/kantor/pengguna${langQuery(lang)}">${t(lang, 'feed.reset')}</a></div>
</form>
${errors.page ? formError(lang, errors.page) : ''}
${
  bad
    ? ''
    : html`<p role="status">${bi(lang, `${number(lang, list.total)} akun`, `${number(lang, list.total)} accounts`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Tidak ada akun yang cocok.', 'No account matches.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Akun', 'Accounts')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Nama', 'Name')}</th><th scope="col">${bi(lang, 'Peran', 'Role')}</th><th scope="col">${bi(lang, 'Instansi', 'Body')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th><th scope="col">${bi(lang, 'Tindakan', 'Action')}</th></tr></thead>
  <tbody>${list.items.map((u) => userRow(lang, principal, u, action))}</tbody>
</table>`
}
${pager(lang, '/kantor/pengguna', params, query.page, list.total)}`
}`;
  return respondOffice(c, state.status ?? (bad ? 400 : 200), {
    lang,
    title: bi(lang, 'Pengguna', 'Users'),
    section: 'users',
    url: pageUrl(c, '/kantor/pengguna'),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// The identity-access audit log

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date in WIB as the start of that day, or null when it is not a real date. */
function wibDay(text: string): Date | null {
  if (!DATE.test(text)) return null;
  const utc = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== text) return null;
  const year = utc.getUTCFullYear();
  if (year < 1900 || year > 9999) return null;
  return new Date(`${text}T00:00:00+07:00`);
}

async function renderAudit(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal) {
  const errors: Record<string, string> = {};
  const value = (name: string) => (c.req.query(name) ?? '').trim();
  const trackingText = value('trackingId');
  const trackingId = trackingText ? normalizeTrackingId(trackingText) : undefined;
  if (trackingText && !trackingId) errors.trackingId = 'Bukan kode pelacakan (mis. 7KMX-3PRA) / Not a tracking ID (e.g. 7KMX-3PRA)';
  const DATE_ERROR = 'Tanggal seperti 2026-11-24 / A date like 2026-11-24';
  const from = value('from') ? wibDay(value('from')) : undefined;
  if (from === null) errors.from = DATE_ERROR;
  const toDay = value('to') ? wibDay(value('to')) : undefined;
  if (toDay === null) errors.to = DATE_ERROR;
  const before = toDay ? new Date(toDay.getTime() + 24 * 3600_000) : undefined;
  if (from && before && from >= before) errors.to = 'Awal periode harus sebelum akhirnya / The period must start before it ends';
  const page = pageOf(c);
  if (page === null) errors.page = PAGE_ERROR;
  const bad = Object.keys(errors).length > 0;
  const list = bad
    ? { items: [], total: 0 }
    : await listIdentityAccess(deps, principal, {
        trackingId: trackingId ?? undefined,
        from: from ?? undefined,
        before,
        page: page!,
        perPage: PER_PAGE,
      });
  const params = new URLSearchParams();
  for (const name of ['trackingId', 'from', 'to']) if (value(name)) params.set(name, value(name));
  if (lang === 'en') params.set('lang', 'en');
  const body = html`<h1>${bi(lang, 'Audit akses identitas pelapor', 'Reporter identity access log')}</h1>
<p class="lead">${bi(
    lang,
    'Setiap kali admin nasional membuka identitas pelapor suatu laporan: siapa, kapan, laporan mana, dan alasannya. Catatan ini tidak dapat diubah.',
    'Every time a national admin opened the identity behind a report: who, when, which report and why. The log cannot be changed.',
  )}</p>
<form class="filters" action="/kantor/audit" method="get" role="search" aria-label="${bi(lang, 'Saring log', 'Filter the log')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${field({ lang, name: 'trackingId', label: bi(lang, 'Nomor pelacakan', 'Tracking ID'), hint: bi(lang, 'mis. 7KMX-3PRA', 'e.g. 7KMX-3PRA'), value: trackingText, error: errors.trackingId, maxlength: 20 })}
  ${field({ lang, name: 'from', type: 'date', label: bi(lang, 'Dari tanggal', 'From'), value: value('from'), error: errors.from })}
  ${field({ lang, name: 'to', type: 'date', label: bi(lang, 'Sampai tanggal', 'To'), value: value('to'), error: errors.to })}
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/kantor/audit${langQuery(lang)}">${t(lang, 'feed.reset')}</a></div>
</form>
${errors.page ? formError(lang, errors.page) : ''}
${
  bad
    ? ''
    : html`<p role="status">${bi(lang, `${number(lang, list.total)} catatan, terbaru lebih dulu`, `${number(lang, list.total)} entries, newest first`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Tidak ada catatan.', 'No entries.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Akses identitas pelapor', 'Reporter identity access')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Waktu', 'When')}</th><th scope="col">${bi(lang, 'Admin nasional', 'National admin')}</th><th scope="col">${bi(lang, 'Laporan', 'Report')}</th><th scope="col">${bi(lang, 'Alasan', 'Reason')}</th></tr></thead>
  <tbody>${list.items.map(
    (e) => html`<tr>
    <td><time datetime="${e.at}">${instantWords(lang, e.at)}</time></td>
    <td>${e.admin.name}</td>
    <td><a class="mono" href="/kantor/laporan/${e.report.trackingId}${langQuery(lang)}">${formatTrackingId(e.report.trackingId)}</a></td>
    <td>${e.reason}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, '/kantor/audit', params, page!, list.total)}`
}`;
  c.header('Cache-Control', 'private, no-store');
  return respondOffice(c, bad ? 400 : 200, {
    lang,
    title: bi(lang, 'Audit identitas', 'Identity audit'),
    section: 'audit',
    url: new URL(c.req.url),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Routes

export function registerOfficeAdminRoutes(app: App, deps: AppDeps): void {
  app.get('/kantor/kalender', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'calendar');
    if (who instanceof Response) return who;
    return renderCalendar(c, deps, lang, who);
  });

  for (const [verb, verdict] of [
    ['setujui', 'approve'],
    ['tolak', 'reject'],
  ] as const) {
    app.post(`/kantor/kalender/:id/${verb}`, async (c) => {
      const lang = langOf(c);
      const who = await allowed(c, lang, 'calendar');
      if (who instanceof Response) return who;
      const id = pathId(c.req.param('id'));
      if (id === null) return problemPage(c, lang, 400, 'Nomor permintaan tidak valid / Invalid request number', '/kantor/kalender');
      if (who.role !== 'national_admin') {
        return forbidden(
          c,
          lang,
          who,
          'Hanya admin nasional yang dapat memutuskan perubahan kalender / Only national admins decide calendar changes',
        );
      }
      const form = await readForm(c);
      const text = (name: string) => form.fields[name]?.trim() ?? '';
      try {
        if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
        if (verdict === 'approve') {
          const note = text('note');
          if (note.length > 1000)
            throw new AppError('invalid_input', 'Input tidak valid / Invalid input', {
              note: 'Paling banyak 1000 karakter / At most 1000 characters',
            });
          const done = await approveChangeRequest(deps, who, id, note || null);
          const moved = done.deadlinesMoved ?? 0;
          return renderCalendar(c, deps, lang, who, {
            notice: notice(
              bi(
                lang,
                `Permintaan #${id} disetujui dan berlaku; ${number(lang, moved)} batas waktu bergeser. Pemohon diberi tahu.`,
                `Request #${id} approved and applied; ${number(lang, moved)} deadlines moved. The requester is told.`,
              ),
            ),
          });
        }
        const reason = text('reason');
        const problem =
          reason === ''
            ? 'Wajib diisi / Required'
            : reason.length < 3
              ? 'Paling sedikit 3 karakter / At least 3 characters'
              : reason.length > 1000
                ? 'Paling banyak 1000 karakter / At most 1000 characters'
                : null;
        if (problem) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', { reason: problem });
        await rejectChangeRequest(deps, who, id, reason);
        return renderCalendar(c, deps, lang, who, {
          notice: notice(
            bi(
              lang,
              `Permintaan #${id} ditolak; tidak ada yang berubah. Pemohon diberi tahu alasannya.`,
              `Request #${id} rejected; nothing changes. The requester is told why.`,
            ),
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/kalender');
        if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
        if (err.code === 'invalid_input') {
          return renderCalendar(c, deps, lang, who, {
            failed: { id, verdict, errors: fieldErrors(err), values: form.fields },
            status: 400,
          });
        }
        // a conflict (already decided, or the change no longer applies): the list again, saying why
        return renderCalendar(c, deps, lang, who, { error: err.message, status: ERROR_STATUS[err.code] });
      }
    });
  }

  app.get('/kantor/pengguna', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'users');
    if (who instanceof Response) return who;
    return renderUsers(c, deps, lang, who);
  });

  for (const [verb, disable] of [
    ['nonaktifkan', true],
    ['aktifkan', false],
  ] as const) {
    app.post(`/kantor/pengguna/:id/${verb}`, async (c) => {
      const lang = langOf(c);
      const who = await allowed(c, lang, 'users');
      if (who instanceof Response) return who;
      const id = pathId(c.req.param('id'));
      if (id === null) return problemPage(c, lang, 400, 'Nomor akun tidak valid / Invalid account number', '/kantor/pengguna');
      await readForm(c);
      try {
        const user = await setAccountDisabled(deps.db, who, id, disable, deps.now());
        return renderUsers(c, deps, lang, who, {
          notice: notice(
            disable
              ? bi(
                  lang,
                  `Akun ${user.name} dinonaktifkan; semua sesinya berakhir.`,
                  `${user.name}’s account is disabled; every session of it ended.`,
                )
              : bi(lang, `Akun ${user.name} diaktifkan kembali.`, `${user.name}’s account is enabled again.`),
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pengguna');
        return renderUsers(c, deps, lang, who, { error: err.message, status: ERROR_STATUS[err.code] });
      }
    });
  }

  app.get('/kantor/audit', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'audit');
    if (who instanceof Response) return who;
    return renderAudit(c, deps, lang, who);
  });
}
