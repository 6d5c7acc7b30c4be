import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { CLASSIFICATIONS } from '../domain/report.ts';
import { formatTrackingId } from '../domain/tracking-id.ts';
import { AppError } from '../errors.ts';
import { DismissSchema, FileByHandSchema } from '../features/channels/inbound.routes.ts';
import {
  dismissInbound,
  fileInboundAsReport,
  getInbound,
  INBOUND_STATUSES,
  type InboundJson,
  listInbound,
} from '../features/channels/inbound.service.ts';
import type { InboundStatus } from '../features/channels/intake.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS, parseInput } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf } from './i18n.ts';
import type { Html } from './layout.ts';
import {
  PAGE_ERROR,
  PER_PAGE,
  allowed,
  instantWords,
  langQuery,
  notice,
  number,
  pageOf,
  pageUrl,
  pager,
  problemPage,
  adminTarget,
} from './office-admin-ui.ts';
import { respondOffice } from './office-layout.ts';
import { field, formError, select } from './ui.ts';
import { CLASSIFICATION_WORDS } from './words.ts';

/**
 * Inbound messages (issue 11 §1): what arrived by SMS (and, later, the other channels) and could
 * not be understood, with the reason, for a national admin to turn into a report by hand or to
 * close as not a report. Every message is kept; the list filters by status.
 */

const STATUS_WORDS: Record<InboundStatus, { id: string; en: string }> = {
  unparsed: { id: 'Perlu ditangani', en: 'Needs handling' },
  pending: { id: 'Menunggu diproses', en: 'Waiting to be processed' },
  partial: { id: 'Bagian SMS panjang', en: 'Part of a long SMS' },
  processed: { id: 'Selesai', en: 'Done' },
};
const OUTCOME_WORDS: Record<string, { id: string; en: string }> = {
  report: { id: 'menjadi laporan', en: 'became a report' },
  reply: { id: 'balasan pada laporan', en: 'a reply on a report' },
  status: { id: 'permintaan status', en: 'a status request' },
  help: { id: 'dijawab dengan bantuan', en: 'answered with the help text' },
  rejected: { id: 'ditolak', en: 'refused' },
  combined: { id: 'digabung dengan bagian lain', en: 'joined with its other parts' },
};

const words = (lang: Lang, w: { id: string; en: string }) => w[lang];

function outcomeLine(lang: Lang, m: InboundJson): Html {
  const parts: Html[] = [];
  if (m.outcome) parts.push(html`${words(lang, OUTCOME_WORDS[m.outcome] ?? { id: m.outcome, en: m.outcome })}`);
  if (m.report)
    parts.push(html`<a href="/kantor/laporan/${m.report.trackingId}${langQuery(lang)}">${formatTrackingId(m.report.trackingId)}</a>`);
  // the reason is the system's own words, in English
  if (m.reason) parts.push(html`${bi(lang, 'alasan', 'reason')}: <span lang="en">${m.reason}</span>`);
  return parts.length ? html` (${parts.map((p, i) => html`${i > 0 ? '; ' : ''}${p}`)})` : html``;
}

async function renderList(c: Context<AppEnv>, deps: AppDeps, lang: Lang, who: Principal, state: { notice?: Html } = {}) {
  const statusText = c.req.query('status');
  const status = statusText === undefined ? 'unparsed' : statusText === '' ? undefined : statusText;
  if (status !== undefined && !(INBOUND_STATUSES as readonly string[]).includes(status)) {
    return problemPage(c, lang, 400, 'Status tidak dikenal / Unknown status', '/kantor/pesan');
  }
  const page = pageOf(c);
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, '/kantor/pesan');
  const list = await listInbound(deps, who, { status: status as InboundStatus | undefined, page, perPage: PER_PAGE });
  const params = new URLSearchParams({ status: status ?? '' });
  if (lang === 'en') params.set('lang', 'en');
  const body = html`<h1>${bi(lang, 'Pesan masuk', 'Inbound messages')}</h1>
${state.notice ?? ''}
<p>${bi(
    lang,
    'Setiap pesan yang masuk disimpan lebih dulu. Pesan yang tidak dapat dipahami menunggu di sini dengan alasannya: jadikan laporan untuk pengirimnya, atau tutup bila bukan laporan.',
    'Every message is stored first. One that could not be understood waits here with the reason: file it as a report for its sender, or close it when it is not one.',
  )}</p>
<form class="filters" action="/kantor/pesan" method="get" aria-label="${bi(lang, 'Saring pesan', 'Filter the messages')}">
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  ${select({
    lang,
    name: 'status',
    label: bi(lang, 'Status', 'Status'),
    value: status ?? '',
    empty: bi(lang, 'Semua', 'All'),
    choices: INBOUND_STATUSES.map((s) => ({ value: s, label: words(lang, STATUS_WORDS[s]) })),
  })}
  <button type="submit">${bi(lang, 'Tampilkan', 'Show')}</button>
</form>
<p role="status">${bi(lang, `${number(lang, list.total)} pesan`, `${number(lang, list.total)} messages`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Tidak ada pesan.', 'No messages.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Pesan masuk', 'Inbound messages')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Diterima', 'Received')}</th><th scope="col">${bi(lang, 'Dari', 'From')}</th><th scope="col">${bi(lang, 'Isi', 'Text')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th></tr></thead>
  <tbody>${list.items.map(
    (m) => html`<tr>
    <td><a href="/kantor/pesan/${m.id}${langQuery(lang)}">${instantWords(lang, m.receivedAt)}</a></td>
    <td>${m.channel.toUpperCase()} ${m.sender ?? '—'}</td>
    <td>${(m.text ?? '').slice(0, 160)}${(m.text ?? '').length > 160 ? '…' : ''}</td>
    <td>${words(lang, STATUS_WORDS[m.status])}${outcomeLine(lang, m)}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, '/kantor/pesan', params, page, list.total)}`;
  return respondOffice(c, 200, {
    lang,
    title: bi(lang, 'Pesan masuk', 'Inbound messages'),
    section: 'inbound',
    url: pageUrl(c, '/kantor/pesan'),
    body,
  });
}

interface DetailState {
  notice?: Html;
  failed?: { form: 'report' | 'dismiss'; values: Record<string, string | undefined>; errors: Record<string, string> };
  status?: ContentfulStatusCode;
}

async function renderDetail(c: Context<AppEnv>, deps: AppDeps, lang: Lang, who: Principal, id: number, state: DetailState = {}) {
  let m: InboundJson;
  try {
    m = await getInbound(deps, who, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pesan');
    throw err;
  }
  const failed = state.failed;
  const v = (form: 'report' | 'dismiss', name: string, fallback = '') => (failed?.form === form ? (failed.values[name] ?? '') : fallback);
  const e = (form: 'report' | 'dismiss', name: string) => (failed?.form === form ? failed.errors[name] : undefined);
  const text = m.text ?? '';
  // the first words as a title; the admin sees the whole text and edits both
  const flat = text.replace(/\s+/g, ' ').trim();
  const title = flat.length <= 80 ? flat : `${flat.slice(0, 80).replace(/\s+\S*$/, '')}…`;
  const open = m.status === 'unparsed';
  const body = html`<h1>${bi(lang, `Pesan masuk #${m.id}`, `Inbound message #${m.id}`)}</h1>
${state.notice ?? ''}
<dl class="facts">
  <dt>${bi(lang, 'Saluran', 'Channel')}</dt><dd>${m.channel.toUpperCase()} (${m.gateway})</dd>
  <dt>${bi(lang, 'Dari', 'From')}</dt><dd>${m.sender ?? '—'}</dd>
  <dt>${bi(lang, 'Ke', 'To')}</dt><dd>${m.receiver ?? '—'}</dd>
  <dt>${bi(lang, 'Diterima', 'Received')}</dt><dd>${instantWords(lang, m.receivedAt)}</dd>
  <dt>${bi(lang, 'Status', 'Status')}</dt><dd>${words(lang, STATUS_WORDS[m.status])}${outcomeLine(lang, m)}</dd>
  ${m.handledBy ? html`<dt>${bi(lang, 'Ditangani oleh', 'Handled by')}</dt><dd>${m.handledBy.name}</dd>` : ''}
</dl>
<h2>${bi(lang, 'Isi pesan', 'Text')}</h2>
<blockquote class="message">${text === '' ? bi(lang, '(kosong)', '(empty)') : text}</blockquote>
${
  open
    ? html`<div class="decide">
<form class="action" method="post" action="/kantor/pesan/${m.id}/laporan${langQuery(lang)}">
  <h2>${bi(lang, 'Jadikan laporan', 'File as a report')}</h2>
  <p class="hint">${bi(lang, 'Laporan atas nama pengirim; tanda terimanya dikirim lewat saluran yang sama.', 'The report is the sender’s; its receipt goes back on the same channel.')}</p>
  ${formError(lang, e('report', '_'))}
  ${select({
    lang,
    name: 'classification',
    label: bi(lang, 'Klasifikasi', 'Classification'),
    value: v('report', 'classification', 'pengaduan'),
    error: e('report', 'classification'),
    choices: CLASSIFICATIONS.map((k) => ({ value: k, label: CLASSIFICATION_WORDS[k]![lang] })),
  })}
  ${field({ lang, name: 'title', label: bi(lang, 'Judul', 'Title'), value: v('report', 'title', title), error: e('report', 'title'), required: true, maxlength: 200 })}
  ${field({ lang, name: 'body', label: bi(lang, 'Isi laporan', 'Report text'), value: v('report', 'body', text), error: e('report', 'body'), required: true, rows: 5 })}
  ${field({
    lang,
    name: 'regionCode',
    label: bi(lang, 'Kode wilayah (boleh kosong)', 'Region code (optional)'),
    hint: bi(lang, 'Kode Kemendagri, mis. 61.71 untuk Kota Pontianak', 'A Kemendagri code, e.g. 61.71 for Kota Pontianak'),
    value: v('report', 'regionCode'),
    error: e('report', 'regionCode'),
  })}
  <button type="submit">${bi(lang, 'Jadikan laporan', 'File the report')}</button>
</form>
<form class="action" method="post" action="/kantor/pesan/${m.id}/tutup${langQuery(lang)}">
  <h2>${bi(lang, 'Bukan laporan', 'Not a report')}</h2>
  ${formError(lang, e('dismiss', '_'))}
  ${field({ lang, name: 'reason', label: bi(lang, 'Alasan', 'Reason'), value: v('dismiss', 'reason'), error: e('dismiss', 'reason'), required: true, maxlength: 500 })}
  <button type="submit">${bi(lang, 'Tutup pesan', 'Close the message')}</button>
</form>
</div>`
    : ''
}
<p><a href="/kantor/pesan${langQuery(lang)}">${bi(lang, 'Kembali ke pesan masuk', 'Back to inbound messages')}</a></p>`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: bi(lang, `Pesan #${m.id}`, `Message #${m.id}`),
    section: 'inbound',
    url: pageUrl(c, `/kantor/pesan/${m.id}`),
    body,
  });
}

export function registerOfficeInboundRoutes(app: App, deps: AppDeps): void {
  app.get('/kantor/pesan', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'inbound');
    if (who instanceof Response) return who;
    return renderList(c, deps, lang, who);
  });

  app.get('/kantor/pesan/:id', async (c) => {
    const target = await adminTarget(c, 'inbound', 'Nomor pesan tidak valid / Invalid message number', '/kantor/pesan');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    return renderDetail(c, deps, lang, who, id);
  });

  app.post('/kantor/pesan/:id/laporan', async (c) => {
    const target = await adminTarget(c, 'inbound', 'Nomor pesan tidak valid / Invalid message number', '/kantor/pesan');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values = Object.fromEntries(['classification', 'title', 'body', 'regionCode'].map((n) => [n, form.fields[n]?.slice(0, 12_000)]));
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const input = parseInput(FileByHandSchema, {
        classification: form.fields.classification || undefined,
        title: form.fields.title ?? '',
        body: form.fields.body ?? '',
        regionCode: form.fields.regionCode?.trim() ? form.fields.regionCode : null,
      });
      const filed = await fileInboundAsReport(deps, who, id, input);
      return renderDetail(c, deps, lang, who, id, {
        notice: notice(
          bi(
            lang,
            `Laporan ${formatTrackingId(filed.trackingId)} dibuat untuk pengirim; tanda terimanya dikirim.`,
            `Report ${formatTrackingId(filed.trackingId)} filed for the sender; its receipt is on its way.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pesan');
      return renderDetail(c, deps, lang, who, id, {
        failed: { form: 'report', values, errors: fieldErrors(err) },
        status: ERROR_STATUS[err.code],
      });
    }
  });

  app.post('/kantor/pesan/:id/tutup', async (c) => {
    const target = await adminTarget(c, 'inbound', 'Nomor pesan tidak valid / Invalid message number', '/kantor/pesan');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values = { reason: form.fields.reason?.slice(0, 600) };
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const { reason } = parseInput(DismissSchema, { reason: form.fields.reason ?? '' });
      await dismissInbound(deps, who, id, reason);
      return renderDetail(c, deps, lang, who, id, {
        notice: notice(
          bi(
            lang,
            'Pesan ditutup sebagai bukan laporan; pesan tetap tersimpan.',
            'The message is closed as not a report; it stays stored.',
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pesan');
      return renderDetail(c, deps, lang, who, id, {
        failed: { form: 'dismiss', values, errors: fieldErrors(err) },
        status: ERROR_STATUS[err.code],
      });
    }
  });
}
