import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../errors.ts';
import {
  type AdminCategory,
  createCategory,
  getManagedCategory,
  listManagedCategories,
  listParentChoices,
  updateCategory,
} from '../features/categories/categories.service.ts';
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
 * Categories (issue 10 §2): the national tree, which national admins extend, rename and retire,
 * and a body's own sub-categories under it, which the body's agency admin manages and its staff
 * give the reports it handles. Through the categories service, as the API.
 */

type Values = Record<string, string | undefined>;
interface FormState {
  values: Values;
  errors: Record<string, string>;
}

const INVALID = 'Input tidak valid / Invalid input';
const named = (lang: Lang, c: { name: string; nameEn: string }) => (lang === 'en' ? c.nameEn : c.name);
const ownerWords = (lang: Lang, c: AdminCategory) => (c.body ? c.body.name : bi(lang, 'Nasional', 'National'));

function statusWords(lang: Lang, c: AdminCategory): Html {
  if (!c.active) return html`<span class="badge late">${bi(lang, 'Nonaktif', 'Retired')}</span>`;
  if (!c.offered) return html`<span class="badge">${bi(lang, 'Induknya nonaktif', 'Its parent is retired')}</span>`;
  return html`${bi(lang, 'Aktif', 'Active')}`;
}

function categoryQuery(c: Context) {
  const errors: Record<string, string> = {};
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > 100) errors.q = 'Paling banyak 100 karakter / At most 100 characters';
  const owner = c.req.query('owner') || undefined;
  if (owner && owner !== 'national' && owner !== 'own') errors.owner = 'Pilihan tidak dikenal / Unknown choice';
  const status = c.req.query('status') || undefined;
  if (status && status !== 'active' && status !== 'inactive') errors.status = 'Status tidak dikenal / Unknown status';
  const page = pageOf(c);
  if (page === null) errors.page = PAGE_ERROR;
  return {
    q,
    owner: owner as 'national' | 'own' | undefined,
    status: status as 'active' | 'inactive' | undefined,
    page: page ?? 1,
    errors,
  };
}

interface ListState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  create?: FormState;
}

async function createForm(deps: AppDeps, lang: Lang, principal: Principal, action: string, state: FormState | undefined): Promise<Html> {
  const v = state?.values ?? {};
  const e = state?.errors ?? {};
  const national = principal.role === 'national_admin';
  const parents = (await listParentChoices(deps.db)).map((p) => ({ value: String(p.id), label: named(lang, p) }));
  return html`<section aria-labelledby="tambah-kategori">
<h2 id="tambah-kategori">${national ? bi(lang, 'Tambah kategori nasional', 'Add a national category') : bi(lang, 'Tambah subkategori instansi Anda', 'Add a sub-category of your body’s')}</h2>
<p>${
    national
      ? bi(
          lang,
          'Pohon kategori dua tingkat: kategori utama, dan subkategori di bawahnya.',
          'The tree is two levels deep: top-level categories, and sub-categories under them.',
        )
      : bi(
          lang,
          'Subkategori instansi Anda berada di bawah kategori utama nasional. Petugas instansi Anda dapat memakainya untuk laporan yang Anda tangani; warga memilih dari pohon nasional.',
          'Your body’s sub-categories go under a national top-level category. Your staff may give them to the reports you handle; citizens choose from the national tree.',
        )
  }</p>
<form class="action" method="post" action="/kantor/kategori${raw(action)}" id="tambah" novalidate>
  ${formError(lang, e._)}
  ${select({ lang, id: 'tambah-parentId', name: 'parentId', label: bi(lang, 'Di bawah kategori', 'Under the category'), value: v.parentId, choices: parents, empty: national ? bi(lang, '— kategori utama baru —', '— a new top-level category —') : bi(lang, '— pilih kategori utama —', '— choose a top-level category —'), error: e.parentId })}
  ${field({ lang, id: 'tambah-name', name: 'name', label: bi(lang, 'Nama (Bahasa Indonesia)', 'Name (Bahasa Indonesia)'), value: v.name, error: e.name, required: true, maxlength: 120 })}
  ${field({ lang, id: 'tambah-nameEn', name: 'nameEn', label: bi(lang, 'Nama (bahasa Inggris)', 'Name (English)'), value: v.nameEn, error: e.nameEn, required: true, maxlength: 120 })}
  ${field({ lang, id: 'tambah-code', name: 'code', label: bi(lang, 'Kode singkat', 'Short code'), hint: bi(lang, 'Huruf kecil, angka dan tanda hubung, mis. parit-kota; kode lengkapnya mengikuti induknya. Tidak dapat diubah.', 'Lower-case letters, digits and hyphens, e.g. parit-kota; the full code follows its parent. It cannot be changed.'), value: v.code, error: e.code, required: true, maxlength: 40, attrs: 'spellcheck="false" autocapitalize="none"' })}
  <button type="submit">${bi(lang, 'Tambah kategori', 'Add the category')}</button>
</form>
</section>`;
}

async function renderCategories(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, state: ListState = {}) {
  const query = categoryQuery(c);
  const bad = Object.keys(query.errors).length > 0;
  const national = principal.role === 'national_admin';
  const list = bad
    ? { items: [] as AdminCategory[], total: 0 }
    : await listManagedCategories(deps.db, principal, {
        q: query.q || undefined,
        owner: query.owner,
        status: query.status,
        page: query.page,
        perPage: PER_PAGE,
      });
  const params = new URLSearchParams();
  if (query.q && !query.errors.q) params.set('q', query.q);
  if (query.owner && !query.errors.owner) params.set('owner', query.owner);
  if (query.status && !query.errors.status) params.set('status', query.status);
  if (lang === 'en') params.set('lang', 'en');
  const keep = new URLSearchParams(params);
  if (query.page > 1) keep.set('page', String(query.page));
  const action = keep.size > 0 ? `?${keep.toString().replace(/&/g, '&amp;')}` : '';
  const raw_ = (name: string) => c.req.query(name) ?? '';
  const e = query.errors;
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<h1>${bi(lang, 'Kategori laporan', 'Report categories')}</h1>
<p class="lead">${
    national
      ? bi(
          lang,
          'Pohon kategori nasional yang dipilih warga dan petugas.',
          'The national category tree that citizens and staff choose from.',
        )
      : bi(
          lang,
          'Pohon kategori nasional (hanya baca) dan subkategori milik instansi Anda.',
          'The national category tree (read-only) and your body’s own sub-categories.',
        )
  } <a href="#tambah-kategori">${bi(lang, 'Tambah kategori', 'Add a category')}</a></p>
<form class="filters" action="/kantor/kategori" method="get" role="search" aria-label="${bi(lang, 'Cari kategori', 'Search the categories')}">
  ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
  ${field({ lang, name: 'q', type: 'search', label: bi(lang, 'Cari', 'Search'), hint: bi(lang, 'Nama atau kode', 'Name or code'), value: raw_('q'), error: e.q })}
  ${
    national
      ? ''
      : select({
          lang,
          name: 'owner',
          label: bi(lang, 'Milik', 'Owned by'),
          value: raw_('owner'),
          choices: [
            { value: 'national', label: bi(lang, 'Nasional', 'National') },
            { value: 'own', label: bi(lang, 'Instansi Anda', 'Your body') },
          ],
          empty: t(lang, 'feed.any'),
          error: e.owner,
        })
  }
  ${select({
    lang,
    name: 'status',
    label: bi(lang, 'Status', 'Status'),
    value: raw_('status'),
    choices: [
      { value: 'active', label: bi(lang, 'Aktif', 'Active') },
      { value: 'inactive', label: bi(lang, 'Nonaktif', 'Retired') },
    ],
    empty: t(lang, 'feed.any'),
    error: e.status,
  })}
  <div class="actions"><button type="submit">${t(lang, 'feed.apply')}</button> <a href="/kantor/kategori${langQuery(lang)}">${t(lang, 'feed.reset')}</a></div>
</form>
${e.page ? formError(lang, e.page) : ''}
${
  bad
    ? ''
    : html`<p role="status">${bi(lang, `${number(lang, list.total)} kategori`, `${number(lang, list.total)} categories`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Tidak ada kategori yang cocok.', 'No category matches.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Kategori', 'Categories')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Kategori', 'Category')}</th><th scope="col">${bi(lang, 'Di bawah', 'Under')}</th><th scope="col">${bi(lang, 'Milik', 'Owned by')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th><th scope="col">${bi(lang, 'Tindakan', 'Action')}</th></tr></thead>
  <tbody>${list.items.map(
    (k) => html`<tr>
    <td>${k.parentId ? raw('— ') : ''}${named(lang, k)}<br><span class="meta">${named(lang === 'en' ? 'id' : 'en', k)} · <span class="mono">${k.code}</span></span></td>
    <td>${k.parent ? named(lang, k.parent) : '—'}</td>
    <td>${ownerWords(lang, k)}</td>
    <td>${statusWords(lang, k)}</td>
    <td>${k.editable ? html`<a href="/kantor/kategori/${k.id}${langQuery(lang)}">${bi(lang, `Ubah ${k.name}`, `Change ${k.nameEn}`)}</a>` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, '/kantor/kategori', params, query.page, list.total)}`
}
${await createForm(deps, lang, principal, action, state.create)}`;
  return respondOffice(c, state.status ?? (bad ? 400 : 200), {
    lang,
    title: bi(lang, 'Kategori', 'Categories'),
    section: 'categories',
    url: pageUrl(c, '/kantor/kategori'),
    body,
  });
}

interface CategoryState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  rename?: FormState;
}

async function renderCategory(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, id: number, state: CategoryState = {}) {
  let k: AdminCategory;
  try {
    k = await getManagedCategory(deps.db, principal, id);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/kategori');
    if (err.code === 'forbidden') return forbidden(c, lang, principal, err.message);
    throw err;
  }
  const back = lang === 'en' ? '?lang=en' : '';
  const v = state.rename?.values ?? { name: k.name, nameEn: k.nameEn };
  const e = state.rename?.errors ?? {};
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<p><a href="/kantor/kategori${back}">${bi(lang, '← Semua kategori', '← All categories')}</a></p>
<h1>${named(lang, k)}</h1>
<dl class="facts">
  <dt>${bi(lang, 'Kode', 'Code')}</dt><dd class="mono">${k.code}</dd>
  <dt>${bi(lang, 'Di bawah', 'Under')}</dt><dd>${k.parent ? named(lang, k.parent) : bi(lang, '— kategori utama —', '— top level —')}</dd>
  <dt>${bi(lang, 'Milik', 'Owned by')}</dt><dd>${ownerWords(lang, k)}</dd>
  <dt>${bi(lang, 'Status', 'Status')}</dt><dd>${statusWords(lang, k)}</dd>
</dl>
${
  k.editable
    ? html`<div class="decide">
<form class="action" method="post" action="/kantor/kategori/${k.id}${raw(back)}" id="nama" novalidate>
  <h2>${bi(lang, 'Ubah nama', 'Rename')}</h2>
  ${formError(lang, e._)}
  ${field({ lang, id: 'nama-name', name: 'name', label: bi(lang, 'Nama (Bahasa Indonesia)', 'Name (Bahasa Indonesia)'), value: v.name, error: e.name, required: true, maxlength: 120 })}
  ${field({ lang, id: 'nama-nameEn', name: 'nameEn', label: bi(lang, 'Nama (bahasa Inggris)', 'Name (English)'), value: v.nameEn, error: e.nameEn, required: true, maxlength: 120 })}
  <button type="submit">${bi(lang, 'Simpan nama', 'Save the names')}</button>
</form>
<form class="action" method="post" action="/kantor/kategori/${k.id}/${k.active ? 'nonaktifkan' : 'aktifkan'}${raw(back)}" id="status">
  <h2>${k.active ? bi(lang, 'Nonaktifkan', 'Retire') : bi(lang, 'Aktifkan kembali', 'Restore')}</h2>
  <p class="hint">${
    k.active
      ? bi(
          lang,
          'Tidak lagi ditawarkan untuk laporan baru dan koreksi (begitu pula subkategorinya); laporan yang sudah memakainya tetap.',
          'No longer offered to new reports or corrections (nor are its sub-categories); the reports filed under it keep it.',
        )
      : bi(lang, 'Ditawarkan lagi.', 'Offered again.')
  }</p>
  <button type="submit">${k.active ? bi(lang, `Nonaktifkan ${k.name}`, `Retire ${k.nameEn}`) : bi(lang, `Aktifkan ${k.name}`, `Restore ${k.nameEn}`)}</button>
</form>
</div>`
    : html`<p class="hint">${bi(lang, 'Kategori nasional diatur oleh admin nasional.', 'National categories are managed by national admins.')}</p>`
}`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: named(lang, k),
    section: 'categories',
    url: pageUrl(c, `/kantor/kategori/${k.id}`),
    body,
  });
}

// ---------------------------------------------------------------------------------------------
// Routes

export function registerOfficeCategoryRoutes(app: App, deps: AppDeps): void {
  app.get('/kantor/kategori', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'categories');
    if (who instanceof Response) return who;
    return renderCategories(c, deps, lang, who);
  });

  app.post('/kantor/kategori', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'categories');
    if (who instanceof Response) return who;
    const form = await readForm(c);
    const values: Values = Object.fromEntries(['parentId', 'name', 'nameEn', 'code'].map((n) => [n, form.fields[n]?.slice(0, 400)]));
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', INVALID, form.problems);
      const parentText = form.fields.parentId?.trim() ?? '';
      const parentId = parentText === '' ? null : pathId(parentText);
      if (parentText !== '' && parentId === null)
        throw new AppError('invalid_input', INVALID, { parentId: 'Kategori induk tidak dikenal / Unknown parent category' });
      const made = await createCategory(deps.db, who, {
        code: form.fields.code ?? '',
        parentId,
        name: form.fields.name ?? '',
        nameEn: form.fields.nameEn ?? '',
      });
      return renderCategories(c, deps, lang, who, {
        notice: notice(
          bi(
            lang,
            `Kategori “${made.name}” (${made.code}) ditambahkan${made.parent ? ` di bawah ${made.parent.name}` : ' sebagai kategori utama'}${made.body ? `, milik ${made.body.name}` : ''}.`,
            `The category “${made.nameEn}” (${made.code}) is added${made.parent ? ` under ${made.parent.nameEn}` : ' at the top level'}${made.body ? `, owned by ${made.body.name}` : ''}.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return renderCategories(c, deps, lang, who, { create: { values, errors: fieldErrors(err) }, status: ERROR_STATUS[err.code] });
    }
  });

  app.get('/kantor/kategori/:id', async (c) => {
    const target = await adminTarget(c, 'categories', 'Nomor kategori tidak valid / Invalid category number', '/kantor/kategori');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    return renderCategory(c, deps, lang, who, id);
  });

  app.post('/kantor/kategori/:id', async (c) => {
    const target = await adminTarget(c, 'categories', 'Nomor kategori tidak valid / Invalid category number', '/kantor/kategori');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values: Values = { name: form.fields.name?.slice(0, 400), nameEn: form.fields.nameEn?.slice(0, 400) };
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', INVALID, form.problems);
      const { before, after } = await updateCategory(deps.db, who, id, { name: form.fields.name ?? '', nameEn: form.fields.nameEn ?? '' });
      return renderCategory(c, deps, lang, who, id, {
        notice: notice(
          bi(
            lang,
            `Nama diubah: “${before.name}” menjadi “${after.name}”, “${before.nameEn}” menjadi “${after.nameEn}”.`,
            `Renamed: “${before.name}” to “${after.name}”, “${before.nameEn}” to “${after.nameEn}”.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/kategori');
      if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
      return renderCategory(c, deps, lang, who, id, { rename: { values, errors: fieldErrors(err) }, status: ERROR_STATUS[err.code] });
    }
  });

  for (const [verb, active] of [
    ['nonaktifkan', false],
    ['aktifkan', true],
  ] as const) {
    app.post(`/kantor/kategori/:id/${verb}`, async (c) => {
      const lang = langOf(c);
      const who = await allowed(c, lang, 'categories');
      if (who instanceof Response) return who;
      const id = pathId(c.req.param('id'));
      if (id === null) return problemPage(c, lang, 400, 'Nomor kategori tidak valid / Invalid category number', '/kantor/kategori');
      await readForm(c);
      try {
        const { after } = await updateCategory(deps.db, who, id, { active });
        return renderCategory(c, deps, lang, who, id, {
          notice: notice(
            active
              ? bi(lang, `“${after.name}” diaktifkan kembali dan ditawarkan lagi.`, `“${after.nameEn}” is restored and offered again.`)
              : bi(
                  lang,
                  `“${after.name}” dinonaktifkan: tidak lagi ditawarkan untuk laporan baru; laporan yang sudah memakainya tetap.`,
                  `“${after.nameEn}” is retired: no longer offered to new reports; the reports filed under it keep it.`,
                ),
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/kategori');
        if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
        return renderCategory(c, deps, lang, who, id, { error: err.message, status: ERROR_STATUS[err.code] });
      }
    });
  }
}
