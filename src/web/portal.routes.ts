import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import { normalizeTrackingId, formatTrackingId } from '../domain/tracking-id.ts';
import { CLASSIFICATIONS } from '../domain/report.ts';
import { STATUSES, STATUS_LABELS } from '../domain/workflow.ts';
import { AppError } from '../errors.ts';
import { listBodies, listCategories, listRegions } from '../features/reference/reference.service.ts';
import {
  type ListFilters,
  type ReportJson,
  getReportWithClocks,
  getTimeline,
  listPublic,
  publicBreakdown,
  publicStats,
  resolveReader,
} from '../features/reports/reports.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { handleError } from '../http/errors.ts';
import { type Lang, bi, langOf, pick, t } from './i18n.ts';
import { half } from './ui.ts';
import { reporterActionForms } from './reporter-actions.ts';
import { CSS_PATH, type Html, cssBytes, respond } from './layout.ts';
import { CLASSIFICATION_WORDS, dateWords, dueWords, eventWords, roleWords } from './words.ts';

/**
 * The citizen portal: HTML rendered on the server, whole without JavaScript. Every page reads
 * through the same services (and so the same privacy projections) as the API: a secret report or
 * an anonim reporter's identity never reaches a page the API would not show.
 */
export function registerPortalRoutes(app: App, deps: AppDeps): void {
  app.get(CSS_PATH, (c) =>
    c.body(new Uint8Array(cssBytes()), 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    }),
  );

  app.get('/', async (c) => {
    const lang = langOf(c);
    const [stats, latest] = await Promise.all([publicStats(deps), listPublic(deps, { page: 1, perPage: 5 })]);
    const finished = stats.byStatus.closed ?? 0;
    const archived = stats.byStatus.archived ?? 0;
    const body = html`
<h1>${t(lang, 'home.title')}</h1>
<p class="lead">${t(lang, 'home.lead')}</p>
<p><a class="button cta" href="/lapor">${t(lang, 'home.cta')}</a></p>
<section aria-labelledby="cari">
  <h2 id="cari">${t(lang, 'home.search')}</h2>
  ${searchForm(lang, '')}
</section>
<section aria-labelledby="angka">
  <h2 id="angka">${t(lang, 'home.counters')}</h2>
  <ul class="counters">
    <li><strong>${number(lang, stats.total)}</strong>${t(lang, 'home.received')}</li>
    <li><strong>${number(lang, stats.total - finished - archived)}</strong>${t(lang, 'home.inProgress')}</li>
    <li><strong>${number(lang, finished)}</strong>${t(lang, 'home.finished')}</li>
  </ul>
</section>
<section aria-labelledby="terbaru">
  <h2 id="terbaru">${t(lang, 'home.latest')}</h2>
  ${reportCards(lang, latest.items)}
  <p><a href="/laporan">${t(lang, 'home.allReports')}</a></p>
</section>
<section aria-labelledby="alur">
  <h2 id="alur">${t(lang, 'home.how')}</h2>
  <p>${t(lang, 'home.howText')} <a href="/tentang">${t(lang, 'home.howLink')}</a></p>
</section>`;
    return respond(c, 200, { lang, title: t(lang, 'home.title'), section: 'home', url: new URL(c.req.url), body });
  });

  app.get('/laporan', async (c) => {
    const lang = langOf(c);
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    // A tracking ID typed into the search box opens that report, when the caller may read it.
    const asId = normalizeTrackingId(q);
    if (asId) {
      const found = await readable(deps, c, asId);
      if (found) return c.redirect(`/laporan/${asId}${lang === 'en' ? '?lang=en' : ''}`, 303);
    }
    const filters = feedFilters(c, q);
    // The body by name, typed (a list of 600 would weigh more than the page): the best match filters.
    const bodyText = (c.req.query('instansi') ?? '').trim().slice(0, 100);
    const body = bodyText ? ((await listBodies(deps.db, { q: bodyText, limit: 1 }))[0] ?? null) : null;
    if (body) filters.bodyId = body.id;
    const [list, provinces, categories] = await Promise.all([
      listPublic(deps, filters),
      listRegions(deps.db, undefined),
      listCategories(deps.db),
    ]);
    const pages = Math.max(1, Math.ceil(list.total / filters.perPage));
    const page = html`
<h1>${t(lang, 'feed.title')}</h1>
<form class="filters" action="/laporan" method="get" aria-label="${t(lang, 'feed.filters')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  <div><label for="f-q">${t(lang, 'feed.q')}</label><input id="f-q" name="q" type="search" value="${q}" maxlength="200"></div>
  <div><label for="f-class">${t(lang, 'feed.classification')}</label>
    <select id="f-class" name="classification">${option('', t(lang, 'feed.any'), filters.classification ?? '')}${CLASSIFICATIONS.map((k) =>
      option(k, pick(lang, CLASSIFICATION_WORDS[k]!), filters.classification ?? ''),
    )}</select></div>
  <div><label for="f-status">${t(lang, 'feed.status')}</label>
    <select id="f-status" name="status">${option('', t(lang, 'feed.any'), filters.status ?? '')}${STATUSES.filter(
      (s) => s !== 'on_hold',
    ).map((s) => option(s, pick(lang, STATUS_LABELS[s]), filters.status ?? ''))}</select></div>
  <div><label for="f-prov">${t(lang, 'feed.province')}</label>
    <select id="f-prov" name="regionCode">${option('', t(lang, 'feed.any'), filters.regionCode ?? '')}${provinces.map((p) =>
      option(p.code, p.name, filters.regionCode ?? ''),
    )}</select></div>
  <div><label for="f-cat">${t(lang, 'feed.category')}</label>
    <select id="f-cat" name="categoryId">${option('', t(lang, 'feed.any'), String(filters.categoryId ?? ''))}${categories
      .filter((k) => k.parentId === null)
      .map((k) => option(String(k.id), lang === 'en' ? k.nameEn : k.name, String(filters.categoryId ?? '')))}</select></div>
  <div><label for="f-body">${bi(lang, 'Instansi', 'Body')}</label><input id="f-body" name="instansi" type="search" value="${bodyText}" maxlength="100" aria-describedby="f-body-hint">
    <span class="hint" id="f-body-hint">${
      bodyText && !body
        ? bi(lang, 'Tidak ada instansi dengan nama itu.', 'No body by that name.')
        : body
          ? `${bi(lang, 'Disaring', 'Filtered')}: ${body.name}`
          : bi(lang, 'Sebagian nama, mis. "Kota Pontianak"', 'Part of a name, e.g. "Kota Pontianak"')
    }</span></div>
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/laporan${lang === 'en' ? '?lang=en' : ''}">${t(lang, 'feed.reset')}</a></div>
</form>
<p role="status">${t(lang, 'feed.total', { n: number(lang, list.total) })}</p>
${list.items.length === 0 ? html`<p>${t(lang, 'feed.none')}</p>` : reportCards(lang, list.items)}
${pages > 1 ? pager(lang, c, filters.page, pages) : ''}`;
    return respond(c, 200, { lang, title: t(lang, 'feed.title'), section: 'reports', url: new URL(c.req.url), body: page });
  });

  app.get('/laporan/:trackingId', (c) => renderTrackingPage(c, deps, langOf(c), c.req.param('trackingId'), null));

  app.get('/statistik', async (c) => {
    const lang = langOf(c);
    const [stats, breakdown] = await Promise.all([publicStats(deps), publicBreakdown(deps)]);
    const rows = (items: { label: string; n: number }[]) => {
      const max = Math.max(1, ...items.map((i) => i.n));
      return items.map(
        (i) =>
          html`<tr><th scope="row">${i.label}</th><td class="num">${number(lang, i.n)}</td><td class="bar" aria-hidden="true"><span class="w${Math.round((i.n / max) * 20) * 5}"></span></td></tr>`,
      );
    };
    const table = (caption: string, head: string, items: { label: string; n: number }[]) =>
      html`<table class="stats"><caption>${caption}</caption><thead><tr><th scope="col">${head}</th><th scope="col" class="num">${bi(lang, 'Jumlah', 'Count')}</th><th scope="col"><span class="visually-hidden">${bi(lang, 'Grafik', 'Chart')}</span></th></tr></thead><tbody>${rows(items)}</tbody></table>`;
    const body = html`<h1>${bi(lang, 'Statistik laporan publik', 'Public report statistics')}</h1>
<p class="lead">${bi(lang, `${number(lang, stats.total)} laporan publik. Laporan rahasia dan yang belum diverifikasi tidak dihitung.`, `${number(lang, stats.total)} public reports. Secret reports and those not yet verified are not counted.`)}</p>
${table(
  bi(lang, 'Menurut status', 'By status'),
  t(lang, 'feed.status'),
  STATUSES.filter((s) => (stats.byStatus[s] ?? 0) > 0).map((s) => ({ label: pick(lang, STATUS_LABELS[s]), n: stats.byStatus[s] ?? 0 })),
)}
${table(
  bi(lang, 'Menurut klasifikasi', 'By classification'),
  t(lang, 'feed.classification'),
  CLASSIFICATIONS.map((k) => ({ label: pick(lang, CLASSIFICATION_WORDS[k]!), n: stats.byClassification[k] ?? 0 })),
)}
${table(
  bi(lang, 'Menurut provinsi', 'By province'),
  t(lang, 'feed.province'),
  breakdown.provinces.map((p) => ({ label: p.name, n: p.n })),
)}
${table(
  bi(lang, 'Menurut kategori', 'By category'),
  t(lang, 'feed.category'),
  breakdown.categories.map((k) => ({ label: lang === 'en' ? k.name_en : k.name_id, n: k.n })),
)}`;
    return respond(c, 200, { lang, title: bi(lang, 'Statistik', 'Statistics'), section: 'stats', url: new URL(c.req.url), body });
  });

  app.get('/tentang', (c) => {
    const lang = langOf(c);
    return respond(c, 200, { lang, title: t(lang, 'about.title'), section: 'about', url: new URL(c.req.url), body: aboutBody(lang) });
  });
}

const DONE_WORDS: Record<string, { id: string; en: string }> = {
  reply: { id: 'Balasan terkirim.', en: 'Reply sent.' },
  accept: { id: 'Jawaban diterima. Terima kasih.', en: 'Answer accepted. Thank you.' },
  rate: { id: 'Penilaian tersimpan. Terima kasih.', en: 'Rating saved. Thank you.' },
  reopen: { id: 'Laporan dibuka kembali; instansi diberi tahu.', en: 'Report reopened; the body has been told.' },
  appeal: { id: 'Banding terkirim ke admin nasional.', en: 'Appeal sent to the national desk.' },
  close: { id: 'Laporan ditutup.', en: 'Report closed.' },
};

/**
 * The tracking page: as the caller may see the report (the same projection as the API), with
 * the reporter's forms for what they can do now; `failed` puts the last attempt's error by its form.
 */
export async function renderTrackingPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  lang: Lang,
  trackingId: string,
  failed: { action: string; message: string; field?: string } | null,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const principal = c.get('principal');
  let report: Awaited<ReturnType<typeof getReportWithClocks>>;
  let timeline: Awaited<ReturnType<typeof getTimeline>>;
  try {
    report = await getReportWithClocks(deps, principal, trackingId);
    timeline = await getTimeline(deps, principal, report.trackingId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return notFoundPage(c, lang, true);
    throw err;
  }
  const done = c.req.query('selesai');
  const notices = html`${
    c.req.query('terkirim') && principal?.role === 'reporter'
      ? html`<p class="notice" role="status">${bi(lang, `Laporan terkirim. Simpan nomor pelacakan ${formatTrackingId(report.trackingId)}; Anda akan diberi tahu setiap langkahnya.`, `Report sent. Keep the tracking ID ${formatTrackingId(report.trackingId)}; you will be told of every step.`)}</p>`
      : ''
  }${done && Object.hasOwn(DONE_WORDS, done) ? html`<p class="notice" role="status">${pick(lang, DONE_WORDS[done]!)}</p>` : ''}${
    // an attempt with no form of its own on the page (not this caller's to take) is said at the top
    failed && !report.availableActions.includes(failed.action as never)
      ? html`<p class="alert" role="alert">${half(lang, failed.message)}</p>`
      : ''
  }`;
  return respond(c, status, {
    lang,
    title: report.title,
    section: 'reports',
    url: new URL(c.req.url),
    body: html`${notices}${trackingPage(lang, report, timeline, reporterActionForms(lang, report, failed))}`,
  });
}

/**
 * Any error on a page, as a page: the status and message the API would give (handleError decides
 * both, and logs what is not the client's fault), in the reader's language.
 */
export async function errorPage(err: Error, c: Context<AppEnv>): Promise<Response> {
  const lang = langOf(c);
  const api = handleError(err, c);
  const status = api.status as ContentfulStatusCode;
  const body = (await api.json().catch(() => null)) as { error?: { message?: string; requestId?: string } } | null;
  const message =
    status >= 500
      ? bi(lang, 'Terjadi kesalahan pada server.', 'Something went wrong on the server.')
      : half(lang, body?.error?.message ?? '');
  const retry = api.headers.get('retry-after');
  if (retry) c.header('Retry-After', retry);
  return respond(c, status, {
    lang,
    title: bi(lang, 'Tidak dapat diproses', 'Could not be done'),
    section: null,
    url: new URL(c.req.url),
    body: html`<h1>${bi(lang, 'Tidak dapat diproses', 'Could not be done')}</h1>
<p class="alert" role="alert">${message}</p>
${body?.error?.requestId ? html`<p class="meta">${bi(lang, 'Kode permintaan', 'Request ID')}: ${body.error.requestId}</p>` : ''}
<p><a href="/">${t(lang, 'nav.home')}</a></p>`,
  });
}

/** The portal's own 404, for any address outside the API. */
export function notFoundPage(c: Context<AppEnv>, lang: Lang = langOf(c), report = false): Promise<Response> {
  const body = report
    ? html`<h1>${t(lang, 'report.notFound')}</h1><p>${t(lang, 'report.notFoundText')}</p>${searchForm(lang, '')}`
    : html`<h1>${t(lang, 'notFound.title')}</h1><p>${t(lang, 'notFound.text')}</p><p><a href="/">${t(lang, 'nav.home')}</a></p>`;
  return respond(c, 404, {
    lang,
    title: t(lang, report ? 'report.notFound' : 'notFound.title'),
    section: null,
    url: new URL(c.req.url),
    body,
  });
}

async function readable(deps: AppDeps, c: Context<AppEnv>, trackingId: string): Promise<boolean> {
  try {
    // the access rule alone: the report, its clocks and its projection are not needed to decide
    await resolveReader(deps.db, c.get('principal'), trackingId);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return false;
    throw err;
  }
}

const PER_PAGE = 20;

/** The feed's filters from the query: anything malformed is ignored rather than refused. */
function feedFilters(c: Context, q: string): ListFilters {
  const classification = c.req.query('classification');
  const status = c.req.query('status');
  const regionCode = c.req.query('regionCode');
  const categoryId = Number(c.req.query('categoryId'));
  const page = Number(c.req.query('page'));
  return {
    q: q || undefined,
    classification: (CLASSIFICATIONS as readonly string[]).includes(classification ?? '') ? classification : undefined,
    status: (STATUSES as readonly string[]).includes(status ?? '') ? status : undefined,
    regionCode: regionCode && /^\d{2}(\.\d{2}){0,3}$/.test(regionCode) ? regionCode : undefined,
    categoryId: Number.isInteger(categoryId) && categoryId > 0 ? categoryId : undefined,
    page: Number.isInteger(page) && page > 0 && page <= 10_000 ? page : 1,
    perPage: PER_PAGE,
  };
}

function searchForm(lang: Lang, q: string): Html {
  return html`<form class="search" action="/laporan" method="get" role="search">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  <div class="field"><label for="q">${t(lang, 'home.searchLabel')}<span class="hint" id="q-hint">${t(lang, 'home.searchHint')}</span></label>
  <input id="q" name="q" type="search" value="${q}" maxlength="200" aria-describedby="q-hint"></div>
  <button type="submit">${t(lang, 'home.searchButton')}</button>
</form>`;
}

function option(value: string, label: string, selected: string): Html {
  return html`<option value="${value}"${raw(value === selected ? ' selected' : '')}>${label}</option>`;
}

const number = (lang: Lang, n: number) => n.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB');

function statusBadge(lang: Lang, r: ReportJson): Html {
  const cls = r.status === 'closed' ? 'badge done' : 'badge';
  return html`<span class="${cls}">${pick(lang, r.statusLabel)}</span>`;
}

function reportCards(lang: Lang, items: ReportJson[]): Html {
  return html`<ul class="cards">${items.map(
    (r) => html`<li class="card">
  <h3><a href="/laporan/${r.trackingId}${lang === 'en' ? '?lang=en' : ''}">${r.title}</a></h3>
  <p class="meta">${statusBadge(lang, r)} · ${pick(lang, CLASSIFICATION_WORDS[r.classification]!)} · ${formatTrackingId(r.trackingId)}</p>
  <p class="meta">${[r.location.regionName, r.responsibleBody?.name, dateWords(lang, r.createdAt)].filter(Boolean).join(' · ')}</p>
</li>`,
  )}</ul>`;
}

function pager(lang: Lang, c: Context, page: number, pages: number): Html {
  const at = (p: number) => {
    const url = new URL(c.req.url);
    url.searchParams.set('page', String(p));
    return `${url.pathname}${url.search}`;
  };
  return html`<nav class="pages" aria-label="${t(lang, 'feed.pagination')}">
  ${page > 1 ? html`<a href="${at(page - 1)}" rel="prev">${t(lang, 'feed.prev')}</a>` : ''}
  <span>${t(lang, 'feed.page', { page, pages })}</span>
  ${page < pages ? html`<a href="${at(page + 1)}" rel="next">${t(lang, 'feed.next')}</a>` : ''}
</nav>`;
}

type Clock = Awaited<ReturnType<typeof getReportWithClocks>>['clocks'][number];
type TimelineEvent = Awaited<ReturnType<typeof getTimeline>>[number];

function clockLine(lang: Lang, clock: Clock): Html {
  let state: string;
  if (clock.state === 'paused') state = t(lang, 'report.paused');
  else if (clock.left?.overdue) state = t(lang, 'report.overdue');
  else if (clock.left && clock.limit.unit === 'working') state = t(lang, 'report.left', { n: clock.left.workingDays });
  else if (clock.left) state = t(lang, 'report.leftCalendar', { n: clock.left.workingDays });
  else state = '';
  const late = clock.left?.overdue === true;
  return html`<li><strong>${pick(lang, clock.label)}</strong>: ${clock.dueAt ? t(lang, 'report.due', { due: dueWords(lang, clock.dueAt) }) : ''}
  ${state ? html`<span class="${late ? 'badge late' : 'badge'}">${state}</span>` : ''}</li>`;
}

function trackingPage(lang: Lang, r: Awaited<ReturnType<typeof getReportWithClocks>>, timeline: TimelineEvent[], actions: Html): Html {
  const holder = r.unit ? `${r.unit.name} (${r.responsibleBody?.name ?? ''})` : (r.responsibleBody?.name ?? t(lang, 'report.holderNone'));
  const running = r.clocks.filter((k) => k.state === 'running' || k.state === 'paused');
  return html`
<p class="meta">${t(lang, 'report.tracking')}: <strong>${formatTrackingId(r.trackingId)}</strong></p>
<h1>${r.title}</h1>
<dl class="facts">
  <dt>${t(lang, 'report.status')}</dt><dd>${statusBadge(lang, r)}</dd>
  <dt>${t(lang, 'report.holder')}</dt><dd>${holder}</dd>
  <dt>${t(lang, 'report.classification')}</dt><dd>${pick(lang, CLASSIFICATION_WORDS[r.classification]!)}</dd>
  ${r.category ? html`<dt>${t(lang, 'report.category')}</dt><dd>${lang === 'en' ? r.category.nameEn : r.category.name}</dd>` : ''}
  ${r.location.regionName ? html`<dt>${t(lang, 'report.location')}</dt><dd>${r.location.regionName}</dd>` : ''}
  <dt>${t(lang, 'report.incident')}</dt><dd>${dateWords(lang, r.incidentDate)}</dd>
  <dt>${t(lang, 'report.filed')}</dt><dd>${dateWords(lang, r.createdAt)}</dd>
  <dt>${t(lang, 'report.reporter')}</dt><dd>${r.reporter ? r.reporter.name : t(lang, 'report.anonymous')}</dd>
  ${r.rating ? html`<dt>${t(lang, 'report.rating', { n: r.rating })}</dt><dd>${'★'.repeat(r.rating)}</dd>` : ''}
  ${r.ombudsman?.office ? html`<dt>Ombudsman</dt><dd>${t(lang, 'report.escalated', { office: r.ombudsman.office.name })}</dd>` : ''}
</dl>
<p class="message">${r.body}</p>
${
  running.length > 0
    ? html`<section aria-labelledby="tenggat"><h2 id="tenggat">${t(lang, 'report.deadlines')}</h2><ul>${running.map((k) => clockLine(lang, k))}</ul></section>`
    : ''
}
${
  r.attachments.length > 0
    ? html`<section aria-labelledby="lampiran"><h2 id="lampiran">${t(lang, 'report.attachments')}</h2><ul>${r.attachments.map(
        (a) => html`<li><a href="${a.url}">${a.fileName}</a></li>`,
      )}</ul></section>`
    : ''
}
${actions}
<section aria-labelledby="riwayat">
  <h2 id="riwayat">${t(lang, 'report.timeline')}</h2>
  <ol class="timeline">${timeline.map(
    (e) => html`<li>
    <strong>${eventWords(lang, e.type)}</strong>${e.actor.body ? ` · ${e.actor.body.name}` : e.actor.role !== 'system' ? ` · ${roleWords(lang, e.actor.role)}` : ''}
    <span class="meta"><time datetime="${e.at}">${dateWords(lang, e.at)}</time></span>
    ${e.message ? html`<p class="message">${e.message}</p>` : ''}
  </li>`,
  )}</ol>
</section>`;
}

function aboutBody(lang: Lang): Html {
  const steps =
    lang === 'id'
      ? [
          ['Kirim laporan', 'Lewat situs ini, aplikasi, atau SMS ke 1708. Anda mendapat nomor pelacakan.'],
          [
            'Verifikasi (paling lama 3 hari kerja)',
            'Petugas memeriksa kelengkapan, menandai anonim atau rahasia bila perlu, lalu memilih instansi yang berwenang. Bila kurang lengkap, Anda ditanya dan diberi 10 hari kerja untuk melengkapinya.',
          ],
          [
            'Tindak lanjut (paling lama 5 hari kerja)',
            'Instansi mendisposisikan laporan ke unitnya dan menindaklanjutinya. Setiap langkah tampil di riwayat laporan.',
          ],
          [
            'Jawaban',
            'Jawaban akhir harus menyebut apa yang sudah dilakukan, dengan bukti; janji saja tidak diterima. Batas penyelesaian 5, 14 atau 60 hari kerja menurut jenis masalahnya.',
          ],
          [
            'Tanggapan Anda (10 hari kerja)',
            'Terima jawaban, beri nilai, atau buka kembali bila belum selesai. Nilai 1 atau 2 membuka kembali laporan.',
          ],
          [
            'Ombudsman',
            'Laporan yang belum selesai 60 hari setelah diterima dieskalasi ke Ombudsman di provinsi instansi yang menanganinya.',
          ],
        ]
      : [
          ['Send a report', 'Through this site, the app, or an SMS to 1708. You get a tracking ID.'],
          [
            'Verification (within 3 working days)',
            'Staff check it is complete, mark it anonymous or secret where needed, and choose the responsible body. If something is missing, you are asked, with 10 working days to answer.',
          ],
          [
            'Follow-up (within 5 working days)',
            'The body passes the report to its unit and follows it up. Every step shows on the report’s history.',
          ],
          [
            'The answer',
            'The final answer must say what was done, with evidence; a promise is not accepted. It is due within 5, 14 or 60 working days, by the kind of problem.',
          ],
          [
            'Your response (10 working days)',
            'Accept the answer, rate it, or reopen it if it is not resolved. A rating of 1 or 2 reopens the report.',
          ],
          [
            'The Ombudsman',
            'A report not completed 60 days after it was received goes to the Ombudsman office of the handling body’s province.',
          ],
        ];
  const privacy =
    lang === 'id'
      ? 'Anonim: nama Anda tidak ditampilkan kepada instansi maupun publik. Rahasia: laporan tidak ditampilkan kepada publik sama sekali.'
      : 'Anonymous: your name is shown neither to the body nor to the public. Secret: the report is not shown to the public at all.';
  return html`<h1>${t(lang, 'about.title')}</h1>
<ol>${steps.map(([title, text]) => html`<li><strong>${title}</strong>. ${text}</li>`)}</ol>
<h2>${lang === 'id' ? 'Anonim dan rahasia' : 'Anonymous and secret'}</h2>
<p>${privacy}</p>`;
}
