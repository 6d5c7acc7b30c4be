import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { scoreAnswer } from '../domain/answer-check.ts';
import type { Principal } from '../domain/principal.ts';
import { CLASSIFICATIONS } from '../domain/report.ts';
import type { Role } from '../domain/roles.ts';
import { formatTrackingId } from '../domain/tracking-id.ts';
import { type Action, STATUSES, STATUS_LABELS } from '../domain/workflow.ts';
import { AppError } from '../errors.ts';
import { listCategories } from '../features/reference/reference.service.ts';
import { performAction } from '../features/reports/report-actions.service.ts';
import { performStep } from '../features/ombudsman/ombudsman.service.ts';
import { OMBUDSMAN_STEPS, type OmbudsmanStep } from '../domain/ombudsman.ts';
import {
  type ListFilters,
  type ReportJson,
  getReportWithClocks,
  getTimeline,
  listInboxWithDeadlines,
  resolveReader,
} from '../features/reports/reports.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { type BodyOption, suggestedBodies } from './body-picker.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf, pick, t } from './i18n.ts';
import { type Html, respond } from './layout.ts';
import {
  ACTION_DONE,
  OMBUDSMAN_DONE,
  type FormState,
  STAFF_ACTIONS,
  type WorkspaceChoices,
  archiveReasonWords,
  fieldOfError,
  readActionInput,
  resolveBodyFields,
  staffActionForms,
} from './office-actions.ts';
import { OFFICE_CSS, OFFICE_JS, respondOffice } from './office-layout.ts';
import { CLASSIFICATION_WORDS, dateWords, dueWords, eventWords, roleWords } from './words.ts';

/**
 * The back office under /kantor: the staff inbox and a workspace per report, server-rendered like
 * the portal and whole without JavaScript (a small script adds the inbox's keyboard). It signs in
 * with the same session cookie, reads through the same services (so the same scope and privacy
 * projections as the API) and acts through `performAction`, offering exactly `availableActions`.
 */

const STAFF_ROLES: readonly Role[] = ['national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor'];
const PER_PAGE = 25;

const langQuery = (lang: Lang, sep: '?' | '&' = '?') => (lang === 'en' ? `${sep}lang=en` : '');

/** The signed-in staff member, or the response for everyone else: sign in first, or a 403 page. */
async function staffOnly(c: Context<AppEnv>, lang: Lang): Promise<Principal | Response> {
  const principal = c.get('principal');
  if (!principal) {
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/kantor';
    return c.redirect(`/masuk?next=${encodeURIComponent(back)}`, 303);
  }
  if (!STAFF_ROLES.includes(principal.role)) {
    return respond(c, 403, {
      lang,
      title: bi(lang, 'Khusus petugas', 'Staff only'),
      section: null,
      url: new URL(c.req.url),
      body: html`<h1>${bi(lang, 'Khusus petugas', 'Staff only')}</h1>
<p class="alert" role="alert">${bi(lang, 'Kantor LAPOR! hanya untuk petugas instansi, admin dan Ombudsman.', 'The LAPOR! back office is for the staff of bodies, admins and the Ombudsman only.')}</p>
<p><a href="/akun${langQuery(lang)}">${bi(lang, 'Ke akun saya', 'To my account')}</a></p>`,
    });
  }
  return principal;
}

function badRequest(c: Context<AppEnv>, lang: Lang, message: string): Promise<Response> {
  return respondOffice(c, 400, {
    lang,
    title: bi(lang, 'Permintaan tidak valid', 'Invalid request'),
    section: null,
    url: new URL(c.req.url),
    body: html`<h1>${bi(lang, 'Permintaan tidak valid', 'Invalid request')}</h1><p class="alert" role="alert">${message}</p><p><a href="/kantor${langQuery(lang)}">${bi(lang, 'Kembali ke kotak masuk', 'Back to the inbox')}</a></p>`,
  });
}

function notInScope(c: Context<AppEnv>, lang: Lang): Promise<Response> {
  return respondOffice(c, 404, {
    lang,
    title: t(lang, 'report.notFound'),
    section: 'report',
    url: new URL(c.req.url),
    body: html`<h1>${t(lang, 'report.notFound')}</h1><p>${bi(lang, 'Tidak ada laporan dengan nomor ini dalam lingkup kerja Anda.', 'There is no report with this ID in your scope.')}</p><p><a href="/kantor${langQuery(lang)}">${bi(lang, 'Kembali ke kotak masuk', 'Back to the inbox')}</a></p>`,
  });
}

const holderWords = (lang: Lang, r: ReportJson): string =>
  r.unit ? `${r.unit.name} (${r.responsibleBody?.name ?? ''})` : (r.responsibleBody?.name ?? t(lang, 'report.holderNone'));

const number = (lang: Lang, n: number) => n.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB');

// ---------------------------------------------------------------------------------------------
// The inbox

interface InboxQuery {
  filters: ListFilters;
  q: string;
  overdue: boolean;
}

/** The inbox's filters from the query string; a value that is not one of the choices is a 400. */
function inboxQuery(c: Context): InboxQuery | string {
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > 200) return 'Kata kunci terlalu panjang (paling banyak 200 karakter) / Keywords too long (at most 200 characters)';
  const status = c.req.query('status') || undefined;
  if (status && !(STATUSES as readonly string[]).includes(status)) return 'Status tidak dikenal / Unknown status';
  const classification = c.req.query('classification') || undefined;
  if (classification && !(CLASSIFICATIONS as readonly string[]).includes(classification)) {
    return 'Klasifikasi tidak dikenal / Unknown classification';
  }
  const pageText = c.req.query('page');
  const page = pageText === undefined || pageText === '' ? 1 : Number(pageText);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) return 'Nomor halaman tidak valid / Invalid page number';
  const overdue = c.req.query('terlambat') === '1' || c.req.query('lihat') === 'terlambat';
  return {
    q,
    overdue,
    filters: { q: q || undefined, status, classification, overdueOnly: overdue, order: 'urgent', page, perPage: PER_PAGE },
  };
}

const INBOX_INTRO: Record<string, { id: string; en: string }> = {
  national_admin: {
    id: 'Meja nasional: laporan yang menunggu verifikasi dan penerusan, dan semua laporan lain.',
    en: 'The national desk: reports waiting to be verified and routed, and every other report.',
  },
  agency_admin: { id: 'Laporan instansi Anda, dan yang diusulkan kepadanya.', en: 'Your body’s reports, and those suggested to it.' },
  unit_officer: { id: 'Laporan yang didisposisikan ke unit Anda.', en: 'Reports passed to your unit.' },
  ombudsman: { id: 'Laporan yang dieskalasi ke kantor Anda.', en: 'Reports escalated to your office.' },
  monitor: { id: 'Semua laporan, hanya baca.', en: 'Every report, read-only.' },
};

async function renderInbox(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, notice?: Html): Promise<Response> {
  const parsed = inboxQuery(c);
  if (typeof parsed === 'string') return badRequest(c, lang, parsedHalf(lang, parsed));
  const { filters, q, overdue } = parsed;
  const list = await listInboxWithDeadlines(deps, principal, filters);
  const pages = Math.max(1, Math.ceil(list.total / PER_PAGE));
  const url = new URL(c.req.url);
  const at = (p: number) => {
    const next = new URL(url.toString());
    next.searchParams.set('page', String(p));
    return `${next.pathname}${next.search}`;
  };
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${raw(value === (selected ?? '') ? ' selected' : '')}>${label}</option>`;
  const body = html`${notice ?? ''}
<h1>${bi(lang, 'Kotak masuk', 'Inbox')}</h1>
<p class="lead">${pick(lang, INBOX_INTRO[principal.role] ?? INBOX_INTRO.monitor!)}</p>
<form class="filters" action="/kantor" method="get" role="search" aria-label="${bi(lang, 'Saring kotak masuk', 'Filter the inbox')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  <div><label for="f-q">${bi(lang, 'Cari', 'Search')}</label><input id="f-q" name="q" type="search" value="${q}" maxlength="200" aria-describedby="f-q-hint"><span class="hint" id="f-q-hint">${bi(lang, 'Kata kunci atau nomor pelacakan', 'Keywords or a tracking ID')}</span></div>
  <div><label for="f-status">${t(lang, 'feed.status')}</label>
    <select id="f-status" name="status">${option('', t(lang, 'feed.any'), filters.status)}${STATUSES.map((s) => option(s, pick(lang, STATUS_LABELS[s]), filters.status))}</select></div>
  <div><label for="f-class">${t(lang, 'feed.classification')}</label>
    <select id="f-class" name="classification">${option('', t(lang, 'feed.any'), filters.classification)}${CLASSIFICATIONS.map((k) => option(k, pick(lang, CLASSIFICATION_WORDS[k]!), filters.classification))}</select></div>
  <div class="choice"><input type="checkbox" id="f-terlambat" name="terlambat" value="1"${raw(overdue ? ' checked' : '')}><label for="f-terlambat">${bi(lang, 'Hanya yang terlambat', 'Overdue only')}</label></div>
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/kantor${langQuery(lang)}">${t(lang, 'feed.reset')}</a></div>
</form>
<p class="shortcuts" id="pintasan">${bi(lang, 'Pintasan papan ketik', 'Keyboard shortcuts')}: <kbd>j</kbd> ${bi(lang, 'berikutnya', 'next')}, <kbd>k</kbd> ${bi(lang, 'sebelumnya', 'previous')}, <kbd>o</kbd> ${bi(lang, 'atau', 'or')} <kbd>Enter</kbd> ${bi(lang, 'buka', 'open')}, <kbd>/</kbd> ${bi(lang, 'cari', 'search')}.</p>
<p role="status">${bi(lang, `${number(lang, list.total)} laporan; yang terlambat lebih dulu, lalu yang paling dekat batas waktunya.`, `${number(lang, list.total)} reports; overdue first, then the nearest deadline.`)}</p>
${
  list.items.length === 0
    ? html`<p>${t(lang, 'feed.none')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Laporan di kotak masuk', 'Reports in the inbox')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Laporan', 'Report')}</th><th scope="col">${t(lang, 'feed.status')}</th><th scope="col">${t(lang, 'report.holder')}</th><th scope="col">${bi(lang, 'Batas waktu berikutnya', 'Next deadline')}</th><th scope="col">${t(lang, 'report.filed')}</th></tr></thead>
  <tbody>${list.items.map((r) => {
    const d = list.deadlines.get(r.trackingId);
    return html`<tr data-row${raw(d?.overdue ? ' class="late"' : '')}>
    <td><a href="/kantor/laporan/${r.trackingId}${langQuery(lang)}">${r.title}</a><br><span class="meta"><span class="mono">${formatTrackingId(r.trackingId)}</span> · ${pick(lang, CLASSIFICATION_WORDS[r.classification]!)}${r.secret ? ` · ${bi(lang, 'Rahasia', 'Secret')}` : ''}${r.anonymous ? ` · ${bi(lang, 'Anonim', 'Anonymous')}` : ''}</span></td>
    <td>${pick(lang, r.statusLabel)}</td>
    <td>${holderWords(lang, r)}</td>
    <td>${d ? html`${d.overdue ? html`<span class="badge late">${t(lang, 'report.overdue')}</span> ` : ''}${pick(lang, d.label)}: ${dueWords(lang, d.dueAt)}` : '—'}</td>
    <td>${dateWords(lang, r.createdAt)}</td>
  </tr>`;
  })}</tbody>
</table>`
}
${
  pages > 1
    ? html`<nav class="pages" aria-label="${t(lang, 'feed.pagination')}">
  ${filters.page > 1 ? html`<a href="${at(filters.page - 1)}" rel="prev">${t(lang, 'feed.prev')}</a>` : ''}
  <span>${t(lang, 'feed.page', { page: filters.page, pages })}</span>
  ${filters.page < pages ? html`<a href="${at(filters.page + 1)}" rel="next">${t(lang, 'feed.next')}</a>` : ''}
</nav>`
    : ''
}`;
  return respondOffice(c, 200, { lang, title: bi(lang, 'Kotak masuk', 'Inbox'), section: 'inbox', url, body, script: true });
}

const parsedHalf = (lang: Lang, message: string) => {
  const at = message.indexOf(' / ');
  return at < 0 ? message : lang === 'id' ? message.slice(0, at) : message.slice(at + 3);
};

// ---------------------------------------------------------------------------------------------
// The workspace

async function workspaceChoices(deps: AppDeps, lang: Lang, principal: Principal, r: ReportJson): Promise<WorkspaceChoices> {
  const needs = (a: Action) => r.availableActions.includes(a);
  const [categories, bodies, units] = await Promise.all([
    // the handling body's own sub-categories beside the national tree
    needs('verify') || needs('edit') ? listCategories(deps.db, r.responsibleBody?.id ?? null) : Promise.resolve([]),
    needs('route') || needs('forward') ? routableBodies(deps) : Promise.resolve([]),
    needs('disposition') && r.responsibleBody
      ? deps.db.query<{ id: number; name: string }>(
          `SELECT id, name FROM bodies WHERE active AND kind = 'unit' AND path @> ARRAY[$1::bigint] AND id <> $2 ORDER BY name`,
          [principal.role === 'unit_officer' ? (principal.bodyId ?? 0) : r.responsibleBody.id, principal.bodyId ?? 0],
        )
      : Promise.resolve([]),
  ]);
  const parents = new Map(categories.map((k) => [k.id, k]));
  const named = (k: { name: string; nameEn: string }) => (lang === 'en' ? k.nameEn : k.name);
  return {
    categories: categories.map((k) => {
      const parent = k.parentId === null ? null : parents.get(k.parentId);
      return { value: String(k.id), label: parent ? `${named(parent)} › ${named(k)}` : named(k) };
    }),
    bodies,
    suggestions: suggestedBodies(bodies, { suggestedBodyId: r.suggestedBody?.id ?? null, regionCode: r.location.regionCode }),
    units: units.map((u) => ({ value: String(u.id), label: u.name })),
  };
}

/** The bodies a report can be routed or forwarded to: every active top-level body, by name. */
async function routableBodies(deps: AppDeps): Promise<BodyOption[]> {
  const rows = await deps.db.query<{ id: number; code: string; name: string; region_code: string | null }>(
    `SELECT id, code, name, region_code FROM bodies WHERE active AND kind NOT IN ('unit', 'ombudsman') ORDER BY name`,
  );
  return rows.map((b) => ({ id: b.id, code: b.code, name: b.name, regionCode: b.region_code }));
}

interface WorkspaceState {
  failed?: FormState;
  check?: { text: string; filesDropped: boolean };
  status?: ContentfulStatusCode;
}

/** Whether this staff member may read the report as staff (in their scope); the public view does not count. */
async function inScope(deps: AppDeps, principal: Principal, trackingId: string): Promise<boolean> {
  try {
    const { kind } = await resolveReader(deps.db, principal, trackingId);
    return kind !== 'public' && kind !== 'reporter';
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return false;
    throw err;
  }
}

type Clock = Awaited<ReturnType<typeof getReportWithClocks>>['clocks'][number];

function clockItem(lang: Lang, k: Clock): Html {
  let state: string;
  if (k.state === 'paused') state = t(lang, 'report.paused');
  else if (k.state === 'expired' || k.left?.overdue) state = t(lang, 'report.overdue');
  else if (k.left && k.limit.unit === 'working') state = t(lang, 'report.left', { n: k.left.workingDays });
  else if (k.left) state = t(lang, 'report.leftCalendar', { n: k.left.workingDays });
  else state = '';
  const late = k.state === 'expired' || k.left?.overdue === true;
  return html`<li><strong>${pick(lang, k.label)}</strong> (${k.limit.days} ${k.limit.unit === 'working' ? bi(lang, 'hari kerja', 'working days') : bi(lang, 'hari', 'days')}): ${k.dueAt ? t(lang, 'report.due', { due: dueWords(lang, k.dueAt) }) : ''}
  ${state ? html`<span class="${late ? 'badge late' : 'badge'}">${state}</span>` : ''}</li>`;
}

async function renderWorkspace(
  c: Context<AppEnv>,
  deps: AppDeps,
  lang: Lang,
  principal: Principal,
  trackingId: string,
  state: WorkspaceState = {},
): Promise<Response> {
  if (!(await inScope(deps, principal, trackingId))) return notInScope(c, lang);
  const [r, timeline] = await Promise.all([getReportWithClocks(deps, principal, trackingId), getTimeline(deps, principal, trackingId)]);
  const choices = await workspaceChoices(deps, lang, principal, r);
  const base = `/kantor/laporan/${r.trackingId}`;
  const q = langQuery(lang);
  const done = c.req.query('selesai');
  const doneWords = done?.startsWith('ombudsman_') ? OMBUDSMAN_DONE[done.slice('ombudsman_'.length)] : done ? ACTION_DONE[done] : undefined;
  const notice =
    done && doneWords && (Object.hasOwn(ACTION_DONE, done) || done.startsWith('ombudsman_'))
      ? html`<p class="notice" role="status">${pick(lang, doneWords)} ${bi(lang, 'Status sekarang', 'Status now')}: <strong>${pick(lang, r.statusLabel)}</strong>; ${t(lang, 'report.holder').toLowerCase()}: <strong>${holderWords(lang, r)}</strong>.</p>`
      : '';
  const failedElsewhere =
    state.failed &&
    !(STAFF_ACTIONS.includes(state.failed.action as Action) && r.availableActions.includes(state.failed.action as never)) &&
    !r.availableActions.includes(`ombudsman_${state.failed.action}` as never);
  const topError = state.failed
    ? failedElsewhere
      ? (state.failed.errors._ ?? Object.values(state.failed.errors)[0])
      : state.failed.errors._ || Object.keys(state.failed.errors).length === 0
        ? undefined
        : bi(lang, 'Tindakan belum dilakukan: periksa isian yang ditandai di bawah.', 'Nothing was done: check the marked fields below.')
    : undefined;
  const running = r.clocks.filter((k) => k.state !== 'stopped');
  const check = state.check
    ? { text: state.check.text, result: scoreAnswer(state.check.text), filesDropped: state.check.filesDropped }
    : null;
  const forms = staffActionForms({ lang, report: r, principal, choices, state: state.failed ?? null, check, base, q });
  const body = html`${notice}${topError ? html`<p class="alert" role="alert">${parsedHalf(lang, topError)}</p>` : ''}
<p><a href="/kantor${q}">← ${bi(lang, 'Kotak masuk', 'Inbox')}</a></p>
<h1>${r.title}</h1>
<div class="workspace">
<div>
<dl class="facts">
  <dt>${t(lang, 'report.tracking')}</dt><dd class="mono">${formatTrackingId(r.trackingId)}</dd>
  <dt>${t(lang, 'report.status')}</dt><dd><span class="badge">${pick(lang, r.statusLabel)}</span></dd>
  <dt>${t(lang, 'report.holder')}</dt><dd>${holderWords(lang, r)}</dd>
  <dt>${t(lang, 'report.classification')}</dt><dd>${pick(lang, CLASSIFICATION_WORDS[r.classification]!)}</dd>
  <dt>${t(lang, 'report.category')}</dt><dd>${r.category ? (lang === 'en' ? r.category.nameEn : r.category.name) : '—'}</dd>
  <dt>${t(lang, 'report.location')}</dt><dd>${r.location.regionName ?? '—'}</dd>
  <dt>${t(lang, 'report.incident')}</dt><dd>${dateWords(lang, r.incidentDate)}</dd>
  <dt>${t(lang, 'report.filed')}</dt><dd>${dateWords(lang, r.createdAt)} (${r.channel})</dd>
  <dt>${t(lang, 'report.reporter')}</dt><dd>${r.reporter ? html`${r.reporter.name}${r.reporter.email ? html` · ${r.reporter.email}` : ''}${r.reporter.phone ? html` · ${r.reporter.phone}` : ''}` : t(lang, 'report.anonymous')}</dd>
  <dt>${bi(lang, 'Privasi', 'Privacy')}</dt><dd>${[r.anonymous ? bi(lang, 'Anonim', 'Anonymous') : null, r.secret ? bi(lang, 'Rahasia', 'Secret') : null].filter(Boolean).join(', ') || bi(lang, 'Terbuka', 'Open')}</dd>
  <dt>${bi(lang, 'Kelas penyelesaian', 'Resolution class')}</dt><dd>${r.resolutionClass ? bi(lang, `${r.resolutionClass} hari kerja`, `${r.resolutionClass} working days`) : bi(lang, 'belum ditetapkan', 'not set yet')}</dd>
  ${r.suggestedBody ? html`<dt>${bi(lang, 'Usulan pelapor', 'Suggested by the reporter')}</dt><dd>${r.suggestedBody.name}</dd>` : ''}
  ${r.archiveRequest ? html`<dt>${bi(lang, 'Permintaan arsip', 'Archive request')}</dt><dd>${archiveReasonWords(lang, r.archiveRequest.reason)} (${dateWords(lang, r.archiveRequest.requestedAt)})</dd>` : ''}
  ${r.archiveReason ? html`<dt>${bi(lang, 'Alasan arsip', 'Archive reason')}</dt><dd>${archiveReasonWords(lang, r.archiveReason)}</dd>` : ''}
  ${r.appeal ? html`<dt>${bi(lang, 'Banding', 'Appeal')}</dt><dd>${dateWords(lang, r.appeal.appealedAt)}${r.appeal.decidedAt ? ` · ${bi(lang, 'diputuskan', 'decided')}` : ` · ${bi(lang, 'menunggu keputusan', 'awaiting a decision')}`}</dd>` : ''}
  ${r.ombudsman?.office ? html`<dt>Ombudsman</dt><dd>${t(lang, 'report.escalated', { office: r.ombudsman.office.name })}</dd>` : ''}
</dl>
<p class="message">${r.body}</p>
<section aria-labelledby="tenggat"><h2 id="tenggat">${t(lang, 'report.deadlines')}</h2>${
    running.length > 0
      ? html`<ul>${running.map((k) => clockItem(lang, k))}</ul>`
      : html`<p>${bi(lang, 'Tidak ada batas waktu yang berjalan.', 'No deadline is running.')}</p>`
  }</section>
${
  r.attachments.length > 0
    ? html`<section aria-labelledby="lampiran"><h2 id="lampiran">${t(lang, 'report.attachments')}</h2><ul>${r.attachments.map(
        (a) =>
          html`<li><a href="${a.url}">${a.fileName}</a> <span class="meta">(${a.mediaType}, ${number(lang, Math.ceil(a.sizeBytes / 1024))} KB)</span></li>`,
      )}</ul></section>`
    : ''
}
<section aria-labelledby="riwayat">
  <h2 id="riwayat">${t(lang, 'report.timeline')}</h2>
  <ol class="timeline">${timeline.map(
    (e) => html`<li>
    <strong>${eventWords(lang, e.type)}</strong>${e.visibility === 'staff' || e.visibility === 'national' ? html` <span class="badge internal">${bi(lang, 'Internal', 'Internal')}</span>` : ''}
    <span class="meta">${[e.actor.name, e.actor.body?.name ?? (e.actor.role !== 'system' ? roleWords(lang, e.actor.role) : roleWords(lang, 'system'))].filter(Boolean).join(' · ')} · <time datetime="${e.at}">${dateWords(lang, e.at)}</time></span>
    ${e.message ? html`<p class="message">${e.message}</p>` : ''}
  </li>`,
  )}</ol>
</section>
</div>
<section aria-labelledby="tindakan"><h2 id="tindakan">${bi(lang, 'Tindakan', 'Actions')}</h2>
${forms}
</section>
</div>`;
  return respondOffice(c, state.status ?? 200, { lang, title: r.title, section: 'report', url: new URL(c.req.url), body });
}

// ---------------------------------------------------------------------------------------------
// Routes

export function registerOfficeRoutes(app: App, deps: AppDeps): void {
  for (const a of [OFFICE_CSS, OFFICE_JS]) {
    const type = a.path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    app.get(a.path, (c) =>
      c.body(new Uint8Array(a.bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' }),
    );
  }

  app.get('/kantor', async (c) => {
    const lang = langOf(c);
    const who = await staffOnly(c, lang);
    if (who instanceof Response) return who;
    return renderInbox(c, deps, lang, who);
  });

  app.get('/kantor/laporan/:trackingId', async (c) => {
    const lang = langOf(c);
    const who = await staffOnly(c, lang);
    if (who instanceof Response) return who;
    return renderWorkspace(c, deps, lang, who, c.req.param('trackingId'));
  });

  // One form post per action; the lifecycle (performAction) decides whether it may happen.
  app.post('/kantor/laporan/:trackingId/tindakan', async (c) => {
    const lang = langOf(c);
    const who = await staffOnly(c, lang);
    if (who instanceof Response) return who;
    const trackingId = c.req.param('trackingId');
    if (!(await inScope(deps, who, trackingId))) return notInScope(c, lang);
    const form = await readForm(c, deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024);
    const action = form.fields.aksi as Action;
    if (!STAFF_ACTIONS.includes(action)) {
      return renderWorkspace(c, deps, lang, who, trackingId, {
        failed: { action: '', errors: { _: 'Tindakan tidak dikenal / Unknown action' }, values: {} },
        status: 400,
      });
    }
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      // a body named by typing (route, forward): resolved here to its id, or the field says why not
      let fields = form.fields;
      if (action === 'route' || action === 'forward') {
        const { reportId } = await resolveReader(deps.db, who, trackingId);
        const [[report], bodies] = await Promise.all([
          deps.db.query<{ suggested_body_id: number | null; region_code: string | null; body_id: number | null }>(
            'SELECT suggested_body_id, region_code, body_id FROM reports WHERE id = $1',
            [reportId],
          ),
          routableBodies(deps),
        ]);
        const holder = report?.body_id ?? null;
        const first = suggestedBodies(bodies, {
          suggestedBodyId: report?.suggested_body_id ?? null,
          regionCode: report?.region_code ?? null,
        });
        const resolved = resolveBodyFields(
          action,
          fields,
          bodies.filter((b) => action === 'route' || b.id !== holder),
          first.map((s) => s.body.id),
        );
        if (!resolved.ok) {
          return renderWorkspace(c, deps, lang, who, trackingId, {
            failed: { action, errors: resolved.errors, values: form.fields, candidates: resolved.candidates, more: resolved.more },
            status: 400,
          });
        }
        fields = resolved.fields;
      }
      const input = readActionInput(action, fields);
      const after = await performAction(deps, who, trackingId, action, input, action === 'answer' ? form.files : []);
      const doneKey =
        action === 'archive' && after.status !== 'archived'
          ? 'archive_requested'
          : action === 'follow_up' && input.internal
            ? 'internal_note'
            : action;
      if (await inScope(deps, who, after.trackingId)) {
        return c.redirect(`/kantor/laporan/${after.trackingId}?selesai=${doneKey}${langQuery(lang, '&')}#isi`, 303);
      }
      // The report has left this staff member's scope (forwarded on, returned to the national desk).
      const notice = html`<p class="notice" role="status">${pick(lang, ACTION_DONE[doneKey]!)} ${bi(lang, `Laporan ${formatTrackingId(after.trackingId)} kini berstatus`, `Report ${formatTrackingId(after.trackingId)} is now`)} <strong>${pick(lang, after.statusLabel)}</strong>, ${t(lang, 'report.holder').toLowerCase()} <strong>${holderWords(lang, after)}</strong>; ${bi(lang, 'tidak lagi di kotak masuk Anda.', 'no longer in your inbox.')}</p>`;
      return renderInbox(c, deps, lang, who, notice);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      const errors: Record<string, string> = {};
      for (const [name, message] of Object.entries(fieldErrors(err))) {
        if (name.startsWith('clauses.')) continue;
        errors[fieldOfError(action, name)] = message;
      }
      if (err.code === 'answer_only_promises') {
        // shown as the check shows it: the clauses that only promise, and the advice
        return renderWorkspace(c, deps, lang, who, trackingId, {
          failed: { action, errors: { _: err.message }, values: form.fields },
          check: { text: form.fields.message ?? '', filesDropped: form.files.length > 0 },
          status: 422,
        });
      }
      if (err.code !== 'invalid_input') errors._ = err.message;
      return renderWorkspace(c, deps, lang, who, trackingId, {
        failed: { action, errors, values: form.fields },
        status: ERROR_STATUS[err.code],
      });
    }
  });

  // The Ombudsman's steps on an escalated report; the office's scope and the case's order are the service's.
  app.post('/kantor/laporan/:trackingId/ombudsman', async (c) => {
    const lang = langOf(c);
    const who = await staffOnly(c, lang);
    if (who instanceof Response) return who;
    const trackingId = c.req.param('trackingId');
    const form = await readForm(c);
    const step = form.fields.langkah as OmbudsmanStep;
    if (!(OMBUDSMAN_STEPS as readonly string[]).includes(step)) {
      return renderWorkspace(c, deps, lang, who, trackingId, {
        failed: { action: '', errors: { _: 'Langkah tidak dikenal / Unknown step' }, values: {} },
        status: 400,
      });
    }
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const text = (name: string) => form.fields[name]?.trim() || undefined;
      await performStep(deps, who, trackingId, step, {
        findings: text('findings'),
        recommendation: text('recommendation'),
        message: text('message'),
      });
      return c.redirect(`/kantor/laporan/${encodeURIComponent(trackingId)}?selesai=ombudsman_${step}${langQuery(lang, '&')}#isi`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      const errors = fieldErrors(err);
      if (err.code !== 'invalid_input') errors._ = err.message;
      return renderWorkspace(c, deps, lang, who, trackingId, {
        failed: { action: step, errors, values: form.fields },
        status: ERROR_STATUS[err.code],
      });
    }
  });

  // "Periksa jawaban": the answer check on the draft, before it is sent; nothing is written.
  app.post('/kantor/laporan/:trackingId/periksa-jawaban', async (c) => {
    const lang = langOf(c);
    const who = await staffOnly(c, lang);
    if (who instanceof Response) return who;
    const trackingId = c.req.param('trackingId');
    if (!(await inScope(deps, who, trackingId))) return notInScope(c, lang);
    const form = await readForm(c, deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024);
    const text = form.fields.message?.trim() ?? '';
    const problem =
      form.problems.message ??
      (text === '' ? 'Wajib diisi / Required' : text.length > 10_000 ? 'Paling banyak 10000 karakter / At most 10000 characters' : null);
    if (problem) {
      return renderWorkspace(c, deps, lang, who, trackingId, {
        failed: { action: 'answer', errors: { message: problem }, values: form.fields },
        status: 400,
      });
    }
    return renderWorkspace(c, deps, lang, who, trackingId, {
      failed: { action: 'answer', errors: {}, values: form.fields },
      check: { text, filesDropped: form.files.length > 0 },
    });
  });
}
