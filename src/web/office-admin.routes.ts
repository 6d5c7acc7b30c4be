import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { formatTrackingId, normalizeTrackingId } from '../domain/tracking-id.ts';
import { AppError } from '../errors.ts';
import { listIdentityAccess } from '../features/audit/audit.service.ts';
import type { RequestStatus } from '../features/calendars/change-requests.repository.ts';
import { type ChangeRequestJson, listRequests } from '../features/calendars/change-requests.service.ts';
import type { CalendarDayRow } from '../features/calendars/calendars.repository.ts';
import { type ManagedLayer, listLayerDays, managedLayers } from '../features/calendars/calendars.service.ts';
import { addCalendarDay, approveChangeRequest, rejectChangeRequest, removeCalendarDay } from '../features/sla/calendar-changes.service.ts';
import { localDate } from '../domain/calendar.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf, t } from './i18n.ts';
import type { Html } from './layout.ts';
import {
  PAGE_ERROR,
  PER_PAGE,
  allowed,
  forbidden,
  instantWords,
  langQuery,
  notice,
  number,
  pageOf,
  pageUrl,
  pager,
  pathId,
  problemPage,
  adminTarget,
} from './office-admin-ui.ts';
import { respondOffice } from './office-layout.ts';
import { registerOfficeBodyRoutes } from './office-bodies.routes.ts';
import { registerOfficeCategoryRoutes } from './office-categories.routes.ts';
import { registerOfficeUserRoutes } from './office-users.routes.ts';
import { field, formError, select } from './ui.ts';
import { dateWords } from './words.ts';

/**
 * The back office's admin pages (issue 10 §2): here the calendar (change requests with the
 * national approval, and the days of the admin's own layer, proposed or removed through forms)
 * and the identity-access audit log; users and roles, bodies and units, and categories in their
 * own files, registered from here. Each reads and acts through the same services as the API, so
 * the same people may do the same things; a role that may not gets a 403 page, and bad input a
 * 400 page or the form again with its errors.
 */

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
  /** The day form's values and errors, or a removal's (by the day's id). */
  day?: { values: Record<string, string | undefined>; errors: Record<string, string>; removeId?: number };
  error?: string;
  status?: ContentfulStatusCode;
}

const KINDS = ['holiday', 'cuti_bersama', 'regional', 'workday'] as const;

/** A day as typed in the form, checked here so that every message is in both languages. */
function dayProblems(fields: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  const date = fields.date?.trim() ?? '';
  const utc = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (date === '') errors.date = 'Wajib diisi / Required';
  else if (!utc || Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== date) {
    errors.date = 'Tanggal seperti 2026-12-28 / A date like 2026-12-28';
  } else if (utc.getUTCFullYear() < 2000 || utc.getUTCFullYear() > 2100)
    errors.date = 'Tahun antara 2000 dan 2100 / A year from 2000 to 2100';
  const kind = fields.kind ?? '';
  if (!(KINDS as readonly string[]).includes(kind)) errors.kind = 'Jenis hari tidak dikenal / Unknown kind of day';
  else if (kind === 'workday' && utc && !errors.date && utc.getUTCDay() !== 0 && utc.getUTCDay() !== 6) {
    errors.kind = 'Hari kerja pengganti hanya untuk Sabtu atau Minggu / An extra working day is only for a Saturday or Sunday';
  }
  const name = fields.name?.trim() ?? '';
  if (name === '') errors.name = 'Wajib diisi / Required';
  else if (name.length > 200) errors.name = 'Paling banyak 200 karakter / At most 200 characters';
  if ((fields.reason?.trim().length ?? 0) > 1000) errors.reason = 'Paling banyak 1000 karakter / At most 1000 characters';
  return errors;
}

/** The layer and year the page shows, from the query: the admin's first layer and this year by default. */
async function calendarView(c: Context, deps: AppDeps, principal: Principal) {
  const layers = await managedLayers(deps.db, principal);
  const layerText = c.req.query('layer') || layers[0]?.key;
  const layer = layers.find((l) => l.key === layerText) ?? null;
  const yearText = c.req.query('year');
  const thisYear = Number(localDate(deps.now(), 'Asia/Jakarta').slice(0, 4));
  const year = yearText === undefined || yearText === '' ? thisYear : /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
  const problem =
    layerText !== undefined && layer === null
      ? 'Lapisan kalender tidak dikenal / Unknown calendar layer'
      : !(year >= 2000 && year <= 2100)
        ? 'Tahun antara 2000 dan 2100 / A year from 2000 to 2100'
        : null;
  return { layers, layer, year, thisYear, problem };
}

function daysSection(
  lang: Lang,
  principal: Principal,
  view: { layers: ManagedLayer[]; layer: ManagedLayer; year: number; thisYear: number },
  days: CalendarDayRow[],
  params: URLSearchParams,
  action: string,
  state: CalendarState['day'],
): Html {
  const national = principal.role === 'national_admin';
  const { layer, year } = view;
  const layerWords =
    layer.ref.scope === 'national'
      ? bi(lang, 'kalender nasional', 'the national calendar')
      : `${bi(lang, 'kalender', 'the calendar of')} ${layer.name ?? layer.key}`;
  const values = state && state.removeId === undefined ? state.values : {};
  const errors = state && state.removeId === undefined ? state.errors : {};
  const yearLink = (y: number) => {
    const next = new URLSearchParams(params);
    next.set('year', String(y));
    next.delete('page');
    return `/kantor/kalender?${next.toString()}#hari`;
  };
  const hiddenLayer = html`<input type="hidden" name="layer" value="${layer.key}">`;
  return html`<section aria-labelledby="hari">
<h2 id="hari">${national ? bi(lang, `Kalender nasional ${year}`, `The national calendar, ${year}`) : bi(lang, `Hari libur ${layer.name ?? layer.key} ${year}`, `Days off of ${layer.name ?? layer.key}, ${year}`)}</h2>
<p>${
    national
      ? bi(
          lang,
          'Perubahan Anda pada kalender nasional berlaku seketika dan menggeser batas waktu terbuka yang terdampak.',
          'Your changes to the national calendar apply at once and move the open deadlines they touch.',
        )
      : bi(
          lang,
          'Setiap usulan menjadi permintaan yang diputuskan admin nasional; sampai disetujui, tidak ada batas waktu yang bergeser.',
          'Each proposal becomes a request that a national admin decides; until it is approved, no deadline moves.',
        )
  }</p>
<form class="filters" action="/kantor/kalender" method="get" aria-label="${bi(lang, 'Pilih kalender dan tahun', 'Choose the calendar and year')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${params.get('status') ? html`<input type="hidden" name="status" value="${params.get('status')}">` : ''}
  ${view.layers.length > 1 ? select({ lang, name: 'layer', label: bi(lang, 'Kalender', 'Calendar'), value: layer.key, choices: view.layers.map((l) => ({ value: l.key, label: l.name ?? l.key })) }) : hiddenLayer}
  ${field({ lang, name: 'year', type: 'number', label: bi(lang, 'Tahun', 'Year'), value: String(year), attrs: 'min="2000" max="2100" inputmode="numeric"' })}
  <div class="actions"><button type="submit">${bi(lang, 'Tampilkan', 'Show')}</button></div>
</form>
<form class="action" method="post" action="/kantor/kalender/hari${raw(action)}" id="tambah-hari" novalidate>
  <h3>${national ? bi(lang, 'Tambah hari ke kalender nasional', 'Add a day to the national calendar') : bi(lang, `Usulkan hari libur untuk ${layer.name ?? layer.key}`, `Propose a day off for ${layer.name ?? layer.key}`)}</h3>
  ${formError(lang, errors._)}
  ${hiddenLayer}
  ${field({ lang, id: 'hari-date', name: 'date', type: 'date', label: bi(lang, 'Tanggal', 'Date'), hint: bi(lang, 'mis. 2026-12-28', 'e.g. 2026-12-28'), value: values.date, error: errors.date, required: true })}
  ${select({ lang, id: 'hari-kind', name: 'kind', label: bi(lang, 'Jenis', 'Kind'), value: values.kind ?? (national ? 'holiday' : 'regional'), choices: KINDS.map((k) => ({ value: k, label: KIND_WORDS[k]![lang] })), error: errors.kind })}
  ${field({ lang, id: 'hari-name', name: 'name', label: bi(lang, 'Nama hari', 'Name of the day'), hint: bi(lang, 'mis. Hari Jadi Kota Pontianak', 'e.g. Pontianak City Anniversary'), value: values.name, error: errors.name, required: true, maxlength: 200 })}
  ${national ? '' : field({ lang, id: 'hari-reason', name: 'reason', label: bi(lang, 'Alasan atau dasar hukum (tidak wajib)', 'Reason or legal basis (optional)'), hint: bi(lang, 'Hanya dibaca admin.', 'Read by admins only.'), value: values.reason, error: errors.reason, rows: 2, maxlength: 1000 })}
  <button type="submit">${national ? bi(lang, 'Tambahkan', 'Add it') : bi(lang, 'Usulkan hari libur', 'Propose the day off')}</button>
</form>
${
  days.length === 0
    ? html`<p>${bi(lang, `Belum ada hari di ${layerWords} untuk ${year}.`, `No days in ${layerWords} for ${year} yet.`)}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, `Hari di ${layerWords}, ${year}`, `Days in ${layerWords}, ${year}`)}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Tanggal', 'Date')}</th><th scope="col">${bi(lang, 'Jenis', 'Kind')}</th><th scope="col">${bi(lang, 'Nama', 'Name')}</th><th scope="col">${bi(lang, 'Tindakan', 'Action')}</th></tr></thead>
  <tbody>${days.map((d) => {
    const failed = state?.removeId === d.id ? state : undefined;
    return html`<tr>
    <td><time datetime="${d.date}">${dateWords(lang, d.date)}</time></td>
    <td>${KIND_WORDS[d.kind]?.[lang] ?? d.kind}${d.provisional ? ` (${bi(lang, 'sementara', 'provisional')})` : ''}</td>
    <td>${d.name}</td>
    <td><form method="post" action="/kantor/kalender/hari/${d.id}/hapus${raw(action)}" id="hapus-${d.id}">
      ${formError(lang, failed?.errors._)}
      ${national ? '' : field({ lang, id: `hapus-${d.id}-reason`, name: 'reason', label: bi(lang, 'Alasan (tidak wajib)', 'Reason (optional)'), value: failed?.values.reason, error: failed?.errors.reason, maxlength: 1000 })}
      <button type="submit">${national ? bi(lang, `Hapus ${dateWords(lang, d.date)}`, `Remove ${dateWords(lang, d.date)}`) : bi(lang, `Usulkan hapus ${dateWords(lang, d.date)}`, `Propose removing ${dateWords(lang, d.date)}`)}</button>
    </form></td>
  </tr>`;
  })}</tbody>
</table>`
}
<nav class="pages" aria-label="${bi(lang, 'Tahun', 'Years')}">
  ${year > 2000 ? html`<a href="${yearLink(year - 1)}" rel="prev">← ${year - 1}</a>` : ''}
  <span>${year}</span>
  ${year < 2100 ? html`<a href="${yearLink(year + 1)}" rel="next">${year + 1} →</a>` : ''}
</nav>
</section>`;
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
  const view = await calendarView(c, deps, principal);
  if (view.problem) return problemPage(c, lang, 400, view.problem, '/kantor/kalender');
  const days = view.layer ? await listLayerDays(deps.db, principal, view.layer.ref, view.year) : [];
  const params = new URLSearchParams();
  if (status !== 'pending') params.set('status', status);
  if (view.layer && view.layer.key !== view.layers[0]?.key) params.set('layer', view.layer.key);
  if (view.year !== view.thisYear) params.set('year', String(view.year));
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
          'Permintaan perubahan untuk kalender instansi Anda. Usulkan hari libur atau penghapusannya di bawah; admin nasional yang memutuskan.',
          'Change requests for your body’s calendar. Propose a day off or its removal below; a national admin decides.',
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
${pager(lang, '/kantor/kalender', params, page, list.total)}
${view.layer ? daysSection(lang, principal, { ...view, layer: view.layer }, days, params, action, state.day) : ''}`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: bi(lang, 'Kalender', 'Calendars'),
    section: 'calendar',
    url: pageUrl(c, '/kantor/kalender'),
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

  app.post('/kantor/kalender/hari', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'calendar');
    if (who instanceof Response) return who;
    const form = await readForm(c);
    const values = Object.fromEntries(['date', 'kind', 'name', 'reason'].map((n) => [n, form.fields[n]?.slice(0, 2000)]));
    const fail = (errors: Record<string, string>, status: ContentfulStatusCode = 400) =>
      renderCalendar(c, deps, lang, who, { day: { values, errors }, status });
    const layer = (await managedLayers(deps.db, who)).find((l) => l.key === form.fields.layer);
    if (!layer) return problemPage(c, lang, 400, 'Lapisan kalender tidak dikenal / Unknown calendar layer', '/kantor/kalender');
    const errors = { ...form.problems, ...dayProblems(form.fields) };
    if (Object.keys(errors).length > 0) return fail(errors);
    const day = { date: form.fields.date!.trim(), kind: form.fields.kind!, name: form.fields.name!.trim() };
    try {
      const outcome = await addCalendarDay(deps, who, {
        scope: layer.ref.scope,
        provinceCode: layer.ref.provinceCode ?? undefined,
        bodyId: layer.ref.bodyId ?? undefined,
        ...day,
        reason: form.fields.reason?.trim() || undefined,
      });
      const what = dayWords(lang, day);
      return renderCalendar(c, deps, lang, who, {
        notice: outcome.applied
          ? notice(
              bi(
                lang,
                `${what} ditambahkan ke kalender nasional dan berlaku; ${number(lang, outcome.result.deadlinesMoved)} batas waktu bergeser.`,
                `${what} is added to the national calendar and applies; ${number(lang, outcome.result.deadlinesMoved)} deadlines moved.`,
              ),
            )
          : notice(
              bi(
                lang,
                `Permintaan #${outcome.request.id} dikirim: tambah ${what} di kalender ${layer.name ?? layer.key}. Berlaku setelah admin nasional menyetujuinya; sampai itu tidak ada batas waktu yang bergeser.`,
                `Request #${outcome.request.id} sent: add ${what} to the calendar of ${layer.name ?? layer.key}. It applies once a national admin approves it; until then no deadline moves.`,
              ),
            ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return fail(fieldErrors(err), ERROR_STATUS[err.code]);
    }
  });

  app.post('/kantor/kalender/hari/:id/hapus', async (c) => {
    const target = await adminTarget(c, 'calendar', 'Nomor hari tidak valid / Invalid day number', '/kantor/kalender');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const reason = form.fields.reason?.trim() ?? '';
    const values = { reason: reason.slice(0, 2000) };
    const fail = (errors: Record<string, string>, status: ContentfulStatusCode = 400) =>
      renderCalendar(c, deps, lang, who, { day: { values, errors, removeId: id }, status });
    if (Object.keys(form.problems).length > 0) return fail(form.problems);
    if (reason.length > 1000) return fail({ reason: 'Paling banyak 1000 karakter / At most 1000 characters' });
    try {
      const outcome = await removeCalendarDay(deps, who, id, reason || undefined);
      if (outcome.applied) {
        const day = outcome.result.day;
        const what = day ? dayWords(lang, day) : bi(lang, `Hari #${id}`, `Day #${id}`);
        return renderCalendar(c, deps, lang, who, {
          notice: notice(
            bi(
              lang,
              `${what} dihapus dari kalender nasional; ${number(lang, outcome.result.deadlinesMoved)} batas waktu bergeser.`,
              `${what} is removed from the national calendar; ${number(lang, outcome.result.deadlinesMoved)} deadlines moved.`,
            ),
          ),
        });
      }
      const r = outcome.request;
      const what = r.before ? dayWords(lang, r.before) : bi(lang, `hari #${id}`, `day #${id}`);
      return renderCalendar(c, deps, lang, who, {
        notice: notice(
          bi(
            lang,
            `Permintaan #${r.id} dikirim: hapus ${what} dari kalender ${r.layer.name ?? r.layer.key}. Berlaku setelah admin nasional menyetujuinya.`,
            `Request #${r.id} sent: remove ${what} from the calendar of ${r.layer.name ?? r.layer.key}. It applies once a national admin approves it.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/kalender');
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return fail(fieldErrors(err), ERROR_STATUS[err.code]);
    }
  });

  registerOfficeUserRoutes(app, deps);
  registerOfficeBodyRoutes(app, deps);
  registerOfficeCategoryRoutes(app, deps);

  app.get('/kantor/audit', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'audit');
    if (who instanceof Response) return who;
    return renderAudit(c, deps, lang, who);
  });
}
