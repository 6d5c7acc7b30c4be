import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../errors.ts';
import {
  type AdminBody,
  BODY_KINDS,
  TIME_ZONES,
  TOP_KINDS,
  createBody,
  createUnit,
  getManagedBody,
  listManagedBodies,
  renameBody,
  setBodyActive,
} from '../features/bodies/bodies.service.ts';
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
import { field, formError, select } from './ui.ts';

/**
 * Bodies and units (issue 10 §2). A national admin finds any body (by name, kind, region,
 * status), adds a top-level one, renames and retires it; an agency admin lands on its own body,
 * with every unit below it, adds units under it or under its units, renames and retires them.
 * A body outside the caller's scope is a 404 page, as in the API.
 */

const KIND_WORDS: Record<string, { id: string; en: string }> = {
  ministry: { id: 'Kementerian', en: 'Ministry' },
  agency: { id: 'Lembaga', en: 'Agency' },
  national_oversight: { id: 'Lembaga pengawas nasional', en: 'National oversight body' },
  ombudsman: { id: 'Ombudsman', en: 'Ombudsman' },
  province: { id: 'Pemerintah provinsi', en: 'Province government' },
  regency: { id: 'Pemerintah kabupaten', en: 'Regency government' },
  city: { id: 'Pemerintah kota', en: 'City government' },
  state_company: { id: 'BUMN', en: 'State company' },
  university: { id: 'Perguruan tinggi negeri', en: 'State university' },
  mission: { id: 'Perwakilan RI di luar negeri', en: 'Mission abroad' },
  unit: { id: 'Unit kerja', en: 'Unit' },
};
const kindWords = (lang: Lang, kind: string) => KIND_WORDS[kind]?.[lang] ?? kind;
const ZONE_WORDS: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
const zoneWords = (zone: string) => `${ZONE_WORDS[zone] ?? zone} (${zone})`;
const statusBadge = (lang: Lang, active: boolean) =>
  active ? bi(lang, 'Aktif', 'Active') : html`<span class="badge late">${bi(lang, 'Nonaktif', 'Inactive')}</span>`;

type Values = Record<string, string | undefined>;
interface FormState {
  values: Values;
  errors: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// The directory (national admins)

interface ListState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  create?: FormState;
}

function bodyQuery(c: Context) {
  const errors: Record<string, string> = {};
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > 100) errors.q = 'Paling banyak 100 karakter / At most 100 characters';
  const kind = c.req.query('kind') || undefined;
  if (kind && !(BODY_KINDS as readonly string[]).includes(kind)) errors.kind = 'Jenis tidak dikenal / Unknown kind';
  const region = (c.req.query('region') ?? '').trim() || undefined;
  if (region && !/^\d{2}(\.\d{2})?$/.test(region)) {
    errors.region = 'Kode provinsi atau kabupaten/kota, mis. 61 atau 61.71 / A province or regency code, e.g. 61 or 61.71';
  }
  const status = c.req.query('status') || undefined;
  if (status && status !== 'active' && status !== 'inactive') errors.status = 'Status tidak dikenal / Unknown status';
  const page = pageOf(c);
  if (page === null) errors.page = PAGE_ERROR;
  return { q, kind, region, status: status as 'active' | 'inactive' | undefined, page: page ?? 1, errors };
}

function createBodyForm(lang: Lang, action: string, state: FormState | undefined): Html {
  const v = state?.values ?? {};
  const e = state?.errors ?? {};
  return html`<section aria-labelledby="tambah-instansi">
<h2 id="tambah-instansi">${bi(lang, 'Tambah instansi', 'Add a body')}</h2>
<form class="action" method="post" action="/kantor/instansi${raw(action)}" id="tambah" novalidate>
  ${formError(lang, e._)}
  ${field({ lang, id: 'tambah-code', name: 'code', label: bi(lang, 'Kode', 'Code'), hint: bi(lang, 'Huruf kecil, angka, titik dan tanda hubung; mis. pemkab-61.12. Tidak dapat diubah.', 'Lower-case letters, digits, dots and hyphens, e.g. pemkab-61.12. It cannot be changed.'), value: v.code, error: e.code, required: true, maxlength: 60, attrs: 'spellcheck="false" autocapitalize="none"' })}
  ${field({ lang, id: 'tambah-name', name: 'name', label: bi(lang, 'Nama', 'Name'), value: v.name, error: e.name, required: true, maxlength: 200 })}
  ${select({ lang, id: 'tambah-kind', name: 'kind', label: bi(lang, 'Jenis', 'Kind'), value: v.kind, choices: TOP_KINDS.map((k) => ({ value: k, label: kindWords(lang, k) })), empty: bi(lang, '— pilih jenis —', '— choose a kind —'), error: e.kind })}
  ${field({ lang, id: 'tambah-regionCode', name: 'regionCode', label: bi(lang, 'Kode wilayah', 'Region code'), hint: bi(lang, 'Wajib untuk pemerintah daerah: provinsi 61, kabupaten/kota 61.71. Kosongkan untuk instansi pusat.', 'Required for a regional government: province 61, regency or city 61.71. Leave empty for a national body.'), value: v.regionCode, error: e.regionCode, maxlength: 20, attrs: 'inputmode="decimal"' })}
  ${select({ lang, id: 'tambah-timeZone', name: 'timeZone', label: bi(lang, 'Zona waktu', 'Time zone'), value: v.timeZone ?? 'Asia/Jakarta', choices: TIME_ZONES.map((z) => ({ value: z, label: zoneWords(z) })), error: e.timeZone })}
  <button type="submit">${bi(lang, 'Tambah instansi', 'Add the body')}</button>
</form>
</section>`;
}

async function renderDirectory(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, state: ListState = {}) {
  const query = bodyQuery(c);
  const bad = Object.keys(query.errors).length > 0;
  const list = bad
    ? { items: [] as AdminBody[], total: 0 }
    : await listManagedBodies(deps.db, principal, {
        q: query.q || undefined,
        kind: query.kind,
        regionCode: query.region,
        status: query.status,
        page: query.page,
        perPage: PER_PAGE,
      });
  const params = new URLSearchParams();
  for (const [name, value] of [
    ['q', query.q],
    ['kind', query.kind],
    ['region', query.region],
    ['status', query.status],
  ] as const) {
    if (value && !query.errors[name]) params.set(name, value);
  }
  if (lang === 'en') params.set('lang', 'en');
  const keep = new URLSearchParams(params);
  if (query.page > 1) keep.set('page', String(query.page));
  const action = keep.size > 0 ? `?${keep.toString().replace(/&/g, '&amp;')}` : '';
  const raw_ = (name: string) => c.req.query(name) ?? '';
  const e = query.errors;
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<h1>${bi(lang, 'Instansi dan unit', 'Bodies and units')}</h1>
<p class="lead">${bi(
    lang,
    'Direktori instansi LAPOR!: kementerian, lembaga, pemerintah daerah dan lainnya. Buka sebuah instansi untuk melihat dan mengelola unit-unitnya.',
    'The LAPOR! directory of bodies: ministries, agencies, regional governments and more. Open a body to see and manage its units.',
  )} <a href="#tambah-instansi">${bi(lang, 'Tambah instansi', 'Add a body')}</a></p>
<form class="filters" action="/kantor/instansi" method="get" role="search" aria-label="${bi(lang, 'Cari instansi', 'Search the bodies')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${field({ lang, name: 'q', type: 'search', label: bi(lang, 'Nama', 'Name'), value: raw_('q'), error: e.q })}
  ${select({ lang, name: 'kind', label: bi(lang, 'Jenis', 'Kind'), value: raw_('kind'), choices: BODY_KINDS.map((k) => ({ value: k, label: kindWords(lang, k) })), empty: bi(lang, 'Semua kecuali unit', 'All but units'), error: e.kind })}
  ${field({ lang, name: 'region', label: bi(lang, 'Kode wilayah', 'Region code'), hint: bi(lang, 'mis. 61 atau 61.71', 'e.g. 61 or 61.71'), value: raw_('region'), error: e.region, maxlength: 20 })}
  ${select({
    lang,
    name: 'status',
    label: bi(lang, 'Status', 'Status'),
    value: raw_('status'),
    choices: [
      { value: 'active', label: bi(lang, 'Aktif', 'Active') },
      { value: 'inactive', label: bi(lang, 'Nonaktif', 'Inactive') },
    ],
    empty: t(lang, 'feed.any'),
    error: e.status,
  })}
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/kantor/instansi${langQuery(lang)}">${t(lang, 'feed.reset')}</a></div>
</form>
${e.page ? formError(lang, e.page) : ''}
${
  bad
    ? ''
    : html`<p role="status">${bi(lang, `${number(lang, list.total)} instansi`, `${number(lang, list.total)} bodies`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Tidak ada instansi yang cocok.', 'No body matches.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Instansi', 'Bodies')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Nama', 'Name')}</th><th scope="col">${bi(lang, 'Jenis', 'Kind')}</th><th scope="col">${bi(lang, 'Wilayah', 'Region')}</th><th scope="col">${bi(lang, 'Zona waktu', 'Time zone')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th></tr></thead>
  <tbody>${list.items.map(
    (b) => html`<tr>
    <td><a href="/kantor/instansi/${b.id}${langQuery(lang)}">${b.name}</a><br><span class="meta mono">${b.code}</span>${b.parentName ? html`<br><span class="meta">${bi(lang, 'di bawah', 'under')} ${b.parentName}</span>` : ''}</td>
    <td>${kindWords(lang, b.kind)}</td>
    <td>${b.regionName ? `${b.regionName} (${b.regionCode})` : '—'}</td>
    <td>${ZONE_WORDS[b.timeZone] ?? b.timeZone}</td>
    <td>${statusBadge(lang, b.active)}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, '/kantor/instansi', params, query.page, list.total)}`
}
${createBodyForm(lang, action, state.create)}`;
  return respondOffice(c, state.status ?? (bad ? 400 : 200), {
    lang,
    title: bi(lang, 'Instansi', 'Bodies'),
    section: 'bodies',
    url: pageUrl(c, '/kantor/instansi'),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// One body and its units

interface BodyState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  rename?: FormState;
  unit?: FormState;
}

async function renderBody(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, id: number, state: BodyState = {}) {
  const page = pageOf(c);
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, `/kantor/instansi/${id}`);
  let b: Awaited<ReturnType<typeof getManagedBody>>;
  try {
    b = await getManagedBody(deps.db, principal, id);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/instansi');
    if (err.code === 'forbidden') return forbidden(c, lang, principal, err.message);
    throw err;
  }
  const q = langQuery(lang);
  const back = lang === 'en' ? '?lang=en' : '';
  const canReachParent = b.parentId !== null && (principal.role === 'national_admin' || b.path.includes(principal.bodyId ?? -1));
  const units = b.units.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const params = new URLSearchParams();
  if (lang === 'en') params.set('lang', 'en');
  const parents = [
    { value: String(b.id), label: b.name },
    ...b.units.filter((u) => u.active).map((u) => ({ value: String(u.id), label: `${'— '.repeat(u.depth)}${u.name}` })),
  ];
  const rv = state.rename?.values ?? {};
  const re = state.rename?.errors ?? {};
  const uv = state.unit?.values ?? {};
  const ue = state.unit?.errors ?? {};
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
${principal.role === 'national_admin' ? html`<p><a href="/kantor/instansi${back}">${bi(lang, '← Semua instansi', '← All bodies')}</a></p>` : ''}
<h1>${b.name}</h1>
<dl class="facts">
  <dt>${bi(lang, 'Kode', 'Code')}</dt><dd class="mono">${b.code}</dd>
  <dt>${bi(lang, 'Jenis', 'Kind')}</dt><dd>${kindWords(lang, b.kind)}</dd>
  ${b.parentName ? html`<dt>${bi(lang, 'Di bawah', 'Under')}</dt><dd>${canReachParent ? html`<a href="/kantor/instansi/${b.parentId}${q}">${b.parentName}</a>` : b.parentName}</dd>` : ''}
  <dt>${bi(lang, 'Wilayah', 'Region')}</dt><dd>${b.regionName ? `${b.regionName} (${b.regionCode})` : '—'}</dd>
  <dt>${bi(lang, 'Zona waktu', 'Time zone')}</dt><dd>${zoneWords(b.timeZone)}</dd>
  <dt>${bi(lang, 'Status', 'Status')}</dt><dd>${statusBadge(lang, b.active)}</dd>
</dl>
${
  b.manageable
    ? html`<div class="decide">
<form class="action" method="post" action="/kantor/instansi/${b.id}/nama${raw(back)}" id="nama" novalidate>
  <h2>${bi(lang, 'Ubah nama', 'Rename')}</h2>
  ${formError(lang, re._)}
  ${field({ lang, id: 'nama-name', name: 'name', label: bi(lang, 'Nama baru', 'New name'), value: rv.name ?? b.name, error: re.name, required: true, maxlength: 200 })}
  <button type="submit">${bi(lang, 'Simpan nama', 'Save the name')}</button>
</form>
<form class="action" method="post" action="/kantor/instansi/${b.id}/${b.active ? 'nonaktifkan' : 'aktifkan'}${raw(back)}" id="status">
  <h2>${b.active ? bi(lang, 'Nonaktifkan', 'Deactivate') : bi(lang, 'Aktifkan kembali', 'Reactivate')}</h2>
  <p class="hint">${
    b.active
      ? bi(
          lang,
          'Tidak lagi ditawarkan untuk penerusan, disposisi atau saran. Ditolak selama masih ada laporan terbuka, akun aktif atau unit aktif di bawahnya.',
          'No longer offered for routing, disposition or as a suggestion. Refused while it still has open reports, active accounts or active units below it.',
        )
      : bi(lang, 'Ditawarkan lagi; sebuah unit hanya bila induknya aktif.', 'Offered again; a unit only while its parent is active.')
  }</p>
  <button type="submit">${b.active ? bi(lang, `Nonaktifkan ${b.name}`, `Deactivate ${b.name}`) : bi(lang, `Aktifkan ${b.name}`, `Reactivate ${b.name}`)}</button>
</form>
</div>`
    : ''
}
<h2 id="unit">${bi(lang, 'Unit', 'Units')}</h2>
<p role="status">${bi(lang, `${number(lang, b.units.length)} unit`, `${number(lang, b.units.length)} units`)}</p>
${
  units.length === 0
    ? html`<p>${bi(lang, 'Belum ada unit.', 'No units yet.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, `Unit di bawah ${b.name}`, `Units under ${b.name}`)}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Unit', 'Unit')}</th><th scope="col">${bi(lang, 'Laporan terbuka', 'Open reports')}</th><th scope="col">${bi(lang, 'Akun aktif', 'Active accounts')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th><th scope="col">${bi(lang, 'Tindakan', 'Action')}</th></tr></thead>
  <tbody>${units.map(
    (u) => html`<tr>
    <td>${raw('— '.repeat(u.depth - 1))}<a href="/kantor/instansi/${u.id}${q}">${u.name}</a><br><span class="meta mono">${u.code}</span></td>
    <td>${number(lang, u.openReports)}</td>
    <td>${number(lang, u.activeAccounts)}</td>
    <td>${statusBadge(lang, u.active)}</td>
    <td>${u.active ? html`<a href="/kantor/pengguna?bodyId=${u.id}${lang === 'en' ? '&amp;lang=en' : ''}#buat-akun">${bi(lang, `Buat akun petugas ${u.name}`, `Make an officer account for ${u.name}`)}</a>` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, `/kantor/instansi/${b.id}`, params, page, b.units.length)}
${
  b.active && b.kind !== 'ombudsman'
    ? html`<form class="action" method="post" action="/kantor/instansi/${b.id}/unit${raw(back)}" id="unit-baru" novalidate>
  <h3>${bi(lang, 'Tambah unit', 'Add a unit')}</h3>
  ${formError(lang, ue._)}
  ${select({ lang, id: 'unit-parent', name: 'parent', label: bi(lang, 'Di bawah', 'Under'), value: uv.parent ?? String(b.id), choices: parents, error: ue.parent })}
  ${field({ lang, id: 'unit-name', name: 'name', label: bi(lang, 'Nama unit', 'Name of the unit'), hint: bi(lang, 'mis. Dinas Komunikasi dan Informatika', 'e.g. Dinas Komunikasi dan Informatika'), value: uv.name, error: ue.name, required: true, maxlength: 200 })}
  ${field({ lang, id: 'unit-slug', name: 'slug', label: bi(lang, 'Kode singkat', 'Short code'), hint: bi(lang, 'Huruf kecil, angka dan tanda hubung, mis. dinas-kominfo; menjadi bagian dari kode unit. Tidak dapat diubah.', 'Lower-case letters, digits and hyphens, e.g. dinas-kominfo; it becomes part of the unit’s code. It cannot be changed.'), value: uv.slug, error: ue.slug, required: true, maxlength: 40, attrs: 'spellcheck="false" autocapitalize="none"' })}
  <button type="submit">${bi(lang, 'Tambah unit', 'Add the unit')}</button>
</form>`
    : ''
}`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: b.name,
    section: 'bodies',
    url: pageUrl(c, `/kantor/instansi/${b.id}`),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Routes

const INVALID = 'Input tidak valid / Invalid input';

export function registerOfficeBodyRoutes(app: App, deps: AppDeps): void {
  app.get('/kantor/instansi', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'bodies');
    if (who instanceof Response) return who;
    // an agency admin manages its own body: its page is the section's first page
    if (who.role !== 'national_admin' && who.bodyId !== null) {
      c.header('Cache-Control', 'private, no-store');
      return c.redirect(`/kantor/instansi/${who.bodyId}${langQuery(lang)}`, 303);
    }
    return renderDirectory(c, deps, lang, who);
  });

  app.post('/kantor/instansi', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'bodies');
    if (who instanceof Response) return who;
    const form = await readForm(c);
    const values: Values = Object.fromEntries(
      ['code', 'name', 'kind', 'regionCode', 'timeZone'].map((n) => [n, form.fields[n]?.slice(0, 400)]),
    );
    if (who.role !== 'national_admin') {
      return forbidden(c, lang, who, 'Hanya admin nasional yang dapat menambah instansi / Only national admins add bodies');
    }
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', INVALID, form.problems);
      const long = Object.entries(values).find(([, v]) => (v?.length ?? 0) > 300);
      if (long) throw new AppError('invalid_input', INVALID, { [long[0]]: 'Terlalu panjang / Too long' });
      const made = await createBody(deps.db, who, {
        code: values.code ?? '',
        name: values.name ?? '',
        kind: values.kind ?? '',
        regionCode: values.regionCode || null,
        timeZone: values.timeZone ?? '',
      });
      return renderDirectory(c, deps, lang, who, {
        notice: html`<p class="notice" role="status">${bi(
          lang,
          `Instansi ${made.name} (${made.code}) ditambahkan: ${kindWords('id', made.kind)}${made.regionName ? `, ${made.regionName}` : ''}, ${ZONE_WORDS[made.timeZone]}.`,
          `${made.name} (${made.code}) is added: ${kindWords('en', made.kind)}${made.regionName ? `, ${made.regionName}` : ''}, ${ZONE_WORDS[made.timeZone]}.`,
        )} <a href="/kantor/instansi/${made.id}${langQuery(lang)}">${bi(lang, 'Buka instansi', 'Open the body')}</a></p>`,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return renderDirectory(c, deps, lang, who, { create: { values, errors: fieldErrors(err) }, status: ERROR_STATUS[err.code] });
    }
  });

  app.get('/kantor/instansi/:id', async (c) => {
    const target = await adminTarget(c, 'bodies', 'Nomor instansi tidak valid / Invalid body number', '/kantor/instansi');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    return renderBody(c, deps, lang, who, id);
  });

  app.post('/kantor/instansi/:id/nama', async (c) => {
    const target = await adminTarget(c, 'bodies', 'Nomor instansi tidak valid / Invalid body number', '/kantor/instansi');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values = { name: form.fields.name?.slice(0, 400) };
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', INVALID, form.problems);
      const done = await renameBody(deps.db, who, id, form.fields.name ?? '');
      return renderBody(c, deps, lang, who, id, {
        notice: notice(
          bi(
            lang,
            `Nama diubah dari “${done.before}” menjadi “${done.body.name}”.`,
            `Renamed from “${done.before}” to “${done.body.name}”.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/instansi');
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return renderBody(c, deps, lang, who, id, { rename: { values, errors: fieldErrors(err) }, status: ERROR_STATUS[err.code] });
    }
  });

  for (const [verb, active] of [
    ['nonaktifkan', false],
    ['aktifkan', true],
  ] as const) {
    app.post(`/kantor/instansi/:id/${verb}`, async (c) => {
      const lang = langOf(c);
      const who = await allowed(c, lang, 'bodies');
      if (who instanceof Response) return who;
      const id = pathId(c.req.param('id'));
      if (id === null) return problemPage(c, lang, 400, 'Nomor instansi tidak valid / Invalid body number', '/kantor/instansi');
      await readForm(c);
      try {
        const b = await setBodyActive(deps.db, who, id, active);
        return renderBody(c, deps, lang, who, id, {
          notice: notice(
            active
              ? bi(lang, `${b.name} diaktifkan kembali dan ditawarkan lagi.`, `${b.name} is active again and offered again.`)
              : bi(
                  lang,
                  `${b.name} dinonaktifkan: tidak lagi ditawarkan untuk penerusan, disposisi atau saran.`,
                  `${b.name} is deactivated: no longer offered for routing, disposition or as a suggestion.`,
                ),
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/instansi');
        if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
        return renderBody(c, deps, lang, who, id, { error: err.message, status: ERROR_STATUS[err.code] });
      }
    });
  }

  app.post('/kantor/instansi/:id/unit', async (c) => {
    const target = await adminTarget(c, 'bodies', 'Nomor instansi tidak valid / Invalid body number', '/kantor/instansi');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values: Values = {
      parent: form.fields.parent?.slice(0, 30),
      name: form.fields.name?.slice(0, 400),
      slug: form.fields.slug?.slice(0, 400),
    };
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', INVALID, form.problems);
      const page = await getManagedBody(deps.db, who, id);
      // the parent is this body or one of its active units (as the form offers them)
      const parentId = form.fields.parent ? pathId(form.fields.parent.trim()) : id;
      if (parentId === null || (parentId !== id && !page.units.some((u) => u.id === parentId && u.active))) {
        throw new AppError('invalid_input', INVALID, { parent: 'Induk tidak dikenal / Unknown parent' });
      }
      const made = await createUnit(deps.db, who, parentId, { slug: form.fields.slug ?? '', name: form.fields.name ?? '' });
      return renderBody(c, deps, lang, who, id, {
        notice: html`<p class="notice" role="status">${bi(
          lang,
          `Unit ${made.name} (${made.code}) dibuat di bawah ${made.parentName}.`,
          `The unit ${made.name} (${made.code}) is made under ${made.parentName}.`,
        )} <a href="/kantor/pengguna?bodyId=${made.id}${lang === 'en' ? '&amp;lang=en' : ''}#buat-akun">${bi(lang, 'Buat akun petugas untuk unit ini', 'Make an officer account for this unit')}</a></p>`,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/instansi');
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      if (err.code === 'invalid_input' || err.fields) {
        const errors = fieldErrors(err);
        if (errors.parentId) errors.parent = errors.parentId;
        return renderBody(c, deps, lang, who, id, { unit: { values, errors }, status: ERROR_STATUS[err.code] });
      }
      return renderBody(c, deps, lang, who, id, { unit: { values, errors: { _: err.message } }, status: ERROR_STATUS[err.code] });
    }
  });
}
