import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { AppError } from '../errors.ts';
import { CreateUserSchema } from '../features/accounts/accounts.schema.ts';
import {
  AGENCY_GRANTABLE_ROLES,
  type AccountEvent,
  type AdminUser,
  STAFF_ROLES as ACCOUNT_STAFF_ROLES,
  accountDetail,
  changeStaffRole,
  createStaffAccount,
  listUsers,
  setAccountDisabled,
} from '../features/accounts/accounts.service.ts';
import { findManagedBodyByCode, getManagedBody } from '../features/bodies/bodies.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS, parseInput } from '../http/errors.ts';
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
import { type Choice, field, formError, select } from './ui.ts';
import { dateWords, roleWords } from './words.ts';

/**
 * Users and roles (issue 10 §2): the accounts in the admin's scope with search and filters, a
 * form to make a staff account (no password typed: the owner gets a link by email to set one),
 * disable and enable, and a page per account with its role and body change and its events.
 * Everything goes through the accounts service, so the page allows exactly what the API does.
 */

type Values = Record<string, string | undefined>;

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

/** The roles this admin may give (as the accounts service checks them). */
const grantable = (principal: Principal): readonly Role[] =>
  principal.role === 'national_admin' ? ACCOUNT_STAFF_ROLES : AGENCY_GRANTABLE_ROLES;

/**
 * How the body of a new role is chosen. An agency admin picks from its own body and its units; a
 * national admin, whose choice is the whole directory, types the body's code (each body's page
 * shows it, and a unit's page links here with it filled in).
 */
interface BodyPicker {
  kind: 'choices' | 'code';
  choices: Choice[];
}

async function bodyPicker(deps: AppDeps, principal: Principal): Promise<BodyPicker> {
  if (principal.role !== 'agency_admin' || principal.bodyId === null) return { kind: 'code', choices: [] };
  const body = await getManagedBody(deps.db, principal, principal.bodyId);
  return {
    kind: 'choices',
    choices: [
      { value: String(body.id), label: body.name },
      ...body.units.filter((u) => u.active).map((u) => ({ value: String(u.id), label: `${'— '.repeat(u.depth)}${u.name}` })),
    ],
  };
}

/** The body a form names: an id from the choices, or a code typed; a field error otherwise. */
async function bodyOfForm(deps: AppDeps, principal: Principal, picker: BodyPicker, text: string): Promise<number | null> {
  const value = text.trim();
  if (value === '') return null;
  if (picker.kind === 'choices') {
    if (!picker.choices.some((ch) => ch.value === value))
      throw new AppError('invalid_input', 'Input tidak valid / Invalid input', { body: 'Instansi tidak dikenal / Unknown body' });
    return Number(value);
  }
  const body = await findManagedBodyByCode(deps.db, principal, value);
  if (!body) {
    throw new AppError('invalid_input', 'Input tidak valid / Invalid input', {
      body: 'Kode instansi tidak dikenal (lihat halaman Instansi) / Unknown body code (see the Bodies page)',
    });
  }
  return body.id;
}

/** A service's field errors for this form: the body is one field here, whichever way it was given. */
function formFields(err: AppError): Record<string, string> {
  const fields = { ...fieldErrors(err) };
  if (fields.bodyId) {
    fields.body ??= fields.bodyId;
    delete fields.bodyId;
  }
  return fields;
}

function roleField(lang: Lang, principal: Principal, id: string, value: string | undefined, error: string | undefined): Html {
  return select({
    lang,
    id,
    name: 'role',
    label: bi(lang, 'Peran', 'Role'),
    value,
    choices: grantable(principal).map((r) => ({ value: r, label: roleWords(lang, r) })),
    empty: bi(lang, '— pilih peran —', '— choose a role —'),
    error,
  });
}

function bodyField(lang: Lang, picker: BodyPicker, id: string, value: string | undefined, error: string | undefined): Html {
  const hint =
    picker.kind === 'choices'
      ? bi(
          lang,
          'Admin instansi: instansi Anda; petugas unit: salah satu unitnya.',
          'Body admin: your body; unit officer: one of its units.',
        )
      : bi(
          lang,
          'Admin instansi: K/L/D; petugas unit: sebuah unit; Ombudsman: kantornya. Kosongkan untuk admin nasional dan pemantau.',
          'Body admin: a ministry, agency or government; unit officer: a unit; Ombudsman: its office. Leave empty for national admins and monitors.',
        );
  return picker.kind === 'choices'
    ? select({
        lang,
        id,
        name: 'body',
        label: bi(lang, 'Instansi atau unit', 'Body or unit'),
        hint,
        value,
        choices: picker.choices,
        empty: '—',
        error,
      })
    : field({
        lang,
        id,
        name: 'body',
        label: bi(lang, 'Kode instansi atau unit', 'Code of the body or unit'),
        hint: `${hint} ${bi(lang, 'Contoh: pemkot-61.71/dinas-pupr', 'For example: pemkot-61.71/dinas-pupr')}`,
        value,
        error,
        maxlength: 300,
        attrs: 'spellcheck="false" autocapitalize="none"',
      });
}

interface UsersState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  create?: { values: Values; errors: Record<string, string> };
}

function userRow(lang: Lang, principal: Principal, u: AdminUser, action: string): Html {
  const disabled = u.disabledAt !== null;
  const verb = disabled ? 'aktifkan' : 'nonaktifkan';
  return html`<tr>
  <td><a href="/kantor/pengguna/${u.id}${langQuery(lang)}">${u.name}</a><br><span class="meta">${[u.email, u.phone].filter(Boolean).join(' · ') || '—'}</span></td>
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

function createForm(lang: Lang, principal: Principal, picker: BodyPicker, action: string, state: UsersState['create']): Html {
  const v = state?.values ?? {};
  const e = state?.errors ?? {};
  return html`<section aria-labelledby="buat-akun">
<h2 id="buat-akun">${bi(lang, 'Buat akun staf', 'Make a staff account')}</h2>
<p>${bi(
    lang,
    'Tidak ada kata sandi yang Anda ketik: pemilik akun menerima tautan sekali pakai di emailnya untuk membuat kata sandinya sendiri.',
    'You type no password: the account’s owner gets a single-use link by email to set their own.',
  )}</p>
<form class="action" method="post" action="/kantor/pengguna${raw(action)}" id="buat" novalidate>
  ${formError(lang, e._)}
  ${field({ lang, id: 'buat-name', name: 'name', label: bi(lang, 'Nama', 'Name'), value: v.name, error: e.name, required: true, autocomplete: 'off', maxlength: 120 })}
  ${field({ lang, id: 'buat-email', name: 'email', type: 'email', label: bi(lang, 'Email', 'Email'), hint: bi(lang, 'Tautan untuk membuat kata sandi dikirim ke sini.', 'The link to set a password goes here.'), value: v.email, error: e.email, required: true, autocomplete: 'off', maxlength: 254 })}
  ${field({ lang, id: 'buat-phone', name: 'phone', type: 'tel', label: bi(lang, 'Nomor HP (tidak wajib)', 'Mobile number (optional)'), value: v.phone, error: e.phone, autocomplete: 'off', maxlength: 20 })}
  ${roleField(lang, principal, 'buat-role', v.role, e.role)}
  ${bodyField(lang, picker, 'buat-body', v.body, e.body)}
  <button type="submit">${bi(lang, 'Buat akun', 'Make the account')}</button>
</form>
</section>`;
}

/** The list's filters as a query string (for the forms that post back to it and for the pager). */
function listParams(query: UserQuery, lang: Lang): { params: URLSearchParams; action: string } {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.role) params.set('role', query.role);
  if (query.status) params.set('status', query.status);
  if (lang === 'en') params.set('lang', 'en');
  const keep = new URLSearchParams(params);
  if (query.page > 1) keep.set('page', String(query.page));
  return { params, action: keep.size > 0 ? `?${keep.toString().replace(/&/g, '&amp;')}` : '' };
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
  const { params, action } = listParams(query, lang);
  const picker = await bodyPicker(deps, principal);
  // a unit's page links here with its body filled in
  const preset = state.create ? undefined : await presetBody(deps, principal, c.req.query('bodyId'));
  const roleChoices: Choice[] = ROLES.map((r) => ({ value: r, label: roleWords(lang, r) }));
  const raw_ = (name: string) => c.req.query(name) ?? '';
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<h1>${bi(lang, 'Pengguna dan peran', 'Users and roles')}</h1>
<p class="lead">${
    principal.role === 'national_admin'
      ? bi(lang, 'Semua akun LAPOR!.', 'Every LAPOR! account.')
      : bi(lang, 'Akun instansi Anda dan unit-unit di bawahnya.', 'The accounts of your body and the units below it.')
  } <a href="#buat-akun">${bi(lang, 'Buat akun staf', 'Make a staff account')}</a></p>
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
}
${createForm(lang, principal, picker, action, state.create ?? (preset ? { values: preset, errors: {} } : undefined))}`;
  return respondOffice(c, state.status ?? (bad ? 400 : 200), {
    lang,
    title: bi(lang, 'Pengguna', 'Users'),
    section: 'users',
    url: pageUrl(c, '/kantor/pengguna'),
    body,
  });
}

/** `?bodyId=` from a unit's page: the form's body, and the role that body takes. */
async function presetBody(deps: AppDeps, principal: Principal, text: string | undefined): Promise<Values | undefined> {
  const id = text ? pathId(text) : null;
  if (id === null) return undefined;
  try {
    const body = await getManagedBody(deps.db, principal, id);
    if (!body.active) return undefined;
    const role = body.kind === 'unit' ? 'unit_officer' : 'agency_admin';
    return { body: principal.role === 'agency_admin' ? String(body.id) : body.code, role };
  } catch (err) {
    if (err instanceof AppError) return undefined;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// One account

const EVENT_WORDS: Record<string, { id: string; en: string }> = {
  created: { id: 'Dibuat', en: 'Made' },
  role_changed: { id: 'Peran diubah', en: 'Role changed' },
  disabled: { id: 'Dinonaktifkan', en: 'Disabled' },
  enabled: { id: 'Diaktifkan kembali', en: 'Enabled again' },
  password_changed: { id: 'Kata sandi diubah', en: 'Password changed' },
  password_reset: { id: 'Kata sandi diatur lewat tautan email', en: 'Password set with the emailed link' },
  signed_out_everywhere: { id: 'Keluar dari semua perangkat', en: 'Signed out everywhere' },
  profile_changed: { id: 'Profil diubah', en: 'Profile changed' },
};

function placementWords(lang: Lang, at: unknown, bodyNames: Record<string, string>): string {
  const p = (at ?? {}) as { role?: unknown; bodyId?: unknown };
  const role = typeof p.role === 'string' ? roleWords(lang, p.role) : '?';
  const body = typeof p.bodyId === 'number' ? (bodyNames[p.bodyId] ?? `#${p.bodyId}`) : null;
  return body ? `${role} (${body})` : role;
}

function eventDetail(lang: Lang, e: AccountEvent, bodyNames: Record<string, string>): string {
  const d = e.data as Record<string, unknown>;
  const sessions = typeof d.sessions === 'number' ? d.sessions : null;
  const ended = sessions === null ? '' : bi(lang, `; ${sessions} sesi berakhir`, `; ${sessions} sessions ended`);
  switch (e.action) {
    case 'created':
      return `${placementWords(lang, d, bodyNames)}${d.invited ? bi(lang, '; tautan kata sandi dikirim ke emailnya', '; a link to set the password was emailed') : ''}`;
    case 'role_changed':
      return `${placementWords(lang, d.from, bodyNames)} → ${placementWords(lang, d.to, bodyNames)}${ended}`;
    case 'disabled':
    case 'signed_out_everywhere':
      return ended.replace(/^; /, '');
    case 'profile_changed':
      return Array.isArray(d.fields) ? d.fields.join(', ') : '';
    default:
      return '';
  }
}

interface AccountState {
  notice?: Html;
  error?: string;
  status?: ContentfulStatusCode;
  role?: { values: Values; errors: Record<string, string> };
}

async function renderAccount(c: Context<AppEnv>, deps: AppDeps, lang: Lang, principal: Principal, id: number, state: AccountState = {}) {
  const page = pageOf(c);
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, `/kantor/pengguna/${id}`);
  let detail: Awaited<ReturnType<typeof accountDetail>>;
  try {
    detail = await accountDetail(deps.db, principal, id, { page, perPage: PER_PAGE });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pengguna');
    if (err.code === 'forbidden') return forbidden(c, lang, principal, err.message);
    throw err;
  }
  const { user: u, events } = detail;
  const own = u.id === principal.userId;
  const disabled = u.disabledAt !== null;
  const picker = await bodyPicker(deps, principal);
  const back = lang === 'en' ? '?lang=en' : '';
  const currentBody =
    u.bodyId === null ? '' : picker.kind === 'choices' ? String(u.bodyId) : ((await bodyCode(deps, principal, u.bodyId)) ?? '');
  const v = state.role?.values ?? { role: u.role, body: currentBody };
  const e = state.role?.errors ?? {};
  const params = new URLSearchParams();
  if (lang === 'en') params.set('lang', 'en');
  const body = html`${state.notice ?? ''}${state.error ? formError(lang, state.error) : ''}
<p><a href="/kantor/pengguna${back}">${bi(lang, '← Semua pengguna', '← All users')}</a></p>
<h1>${u.name}</h1>
<dl class="facts">
  <dt>${bi(lang, 'Peran', 'Role')}</dt><dd>${roleWords(lang, u.role)}</dd>
  <dt>${bi(lang, 'Instansi', 'Body')}</dt><dd>${u.bodyName ?? '—'}</dd>
  <dt>${bi(lang, 'Email', 'Email')}</dt><dd>${u.email ?? '—'}</dd>
  <dt>${bi(lang, 'Nomor HP', 'Mobile number')}</dt><dd>${u.phone ?? '—'}</dd>
  <dt>${bi(lang, 'Status', 'Status')}</dt><dd>${disabled ? html`<span class="badge late">${bi(lang, 'Nonaktif', 'Disabled')}</span> ${dateWords(lang, u.disabledAt!)}` : bi(lang, 'Aktif', 'Active')}</dd>
  <dt>${bi(lang, 'Dibuat', 'Made')}</dt><dd><time datetime="${u.createdAt}">${instantWords(lang, u.createdAt)}</time></dd>
</dl>
${
  own
    ? html`<p class="hint">${bi(lang, 'Ini akun Anda: peran dan statusnya hanya dapat diubah oleh admin lain.', 'This is your account: only another admin can change its role or status.')}</p>`
    : u.role === 'reporter'
      ? html`<p class="hint">${bi(lang, 'Akun pelapor: perannya tidak diubah di sini.', 'A reporter’s account: its role is not changed here.')}</p>`
      : html`<div class="decide">
<form class="action" method="post" action="/kantor/pengguna/${u.id}/peran${raw(back)}" id="peran" novalidate>
  <h2>${bi(lang, 'Ubah peran atau instansi', 'Change the role or body')}</h2>
  ${formError(lang, e._)}
  ${roleField(lang, principal, 'peran-role', v.role, e.role)}
  ${bodyField(lang, picker, 'peran-body', v.body, e.body)}
  <p class="hint">${bi(lang, 'Semua sesi akun ini berakhir; pemiliknya masuk lagi dengan peran barunya.', 'Every session of this account ends; its owner signs in again in the new role.')}</p>
  <button type="submit">${bi(lang, 'Simpan peran', 'Save the role')}</button>
</form>
<form class="action" method="post" action="/kantor/pengguna/${u.id}/${disabled ? 'aktifkan' : 'nonaktifkan'}${raw(back)}" id="status">
  <h2>${disabled ? bi(lang, 'Aktifkan kembali', 'Enable again') : bi(lang, 'Nonaktifkan', 'Disable')}</h2>
  <input type="hidden" name="back" value="akun">
  <p class="hint">${disabled ? bi(lang, 'Akun ini dapat masuk lagi.', 'The account can sign in again.') : bi(lang, 'Akun ini tidak dapat masuk, dan semua sesinya berakhir.', 'The account cannot sign in, and every session of it ends.')}</p>
  <button type="submit">${disabled ? bi(lang, `Aktifkan ${u.name}`, `Enable ${u.name}`) : bi(lang, `Nonaktifkan ${u.name}`, `Disable ${u.name}`)}</button>
</form>
</div>`
}
<h2>${bi(lang, 'Riwayat akun', 'Account history')}</h2>
<p role="status">${bi(lang, `${number(lang, events.total)} catatan, terbaru lebih dulu`, `${number(lang, events.total)} entries, newest first`)}</p>
${
  events.items.length === 0
    ? html`<p>${bi(lang, 'Belum ada catatan.', 'No entries yet.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Riwayat akun', 'Account history')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Waktu', 'When')}</th><th scope="col">${bi(lang, 'Apa', 'What')}</th><th scope="col">${bi(lang, 'Rincian', 'Details')}</th><th scope="col">${bi(lang, 'Oleh', 'By')}</th></tr></thead>
  <tbody>${events.items.map(
    (ev) => html`<tr>
    <td><time datetime="${ev.at}">${instantWords(lang, ev.at)}</time></td>
    <td>${EVENT_WORDS[ev.action]?.[lang] ?? ev.action}</td>
    <td>${eventDetail(lang, ev, events.bodyNames) || '—'}</td>
    <td>${ev.actor ? `${ev.actor.name} (${roleWords(lang, ev.actor.role)})` : bi(lang, 'Sistem', 'System')}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, `/kantor/pengguna/${u.id}`, params, page, events.total)}`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: u.name,
    section: 'users',
    url: pageUrl(c, `/kantor/pengguna/${u.id}`),
    body,
  });
}

async function bodyCode(deps: AppDeps, principal: Principal, bodyId: number): Promise<string | null> {
  try {
    return (await getManagedBody(deps.db, principal, bodyId)).code;
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

const text = (form: { fields: Record<string, string> }, name: string) => form.fields[name]?.trim() ?? '';
const CANNOT_GIVE = 'Peran ini tidak dapat Anda berikan / You cannot give this role';

export function registerOfficeUserRoutes(app: App, deps: AppDeps): void {
  app.get('/kantor/pengguna', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'users');
    if (who instanceof Response) return who;
    return renderUsers(c, deps, lang, who);
  });

  app.post('/kantor/pengguna', async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'users');
    if (who instanceof Response) return who;
    const form = await readForm(c);
    const values: Values = Object.fromEntries(['name', 'email', 'phone', 'role', 'body'].map((n) => [n, form.fields[n]?.slice(0, 400)]));
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const picker = await bodyPicker(deps, who);
      const errors: Record<string, string> = {};
      if (!text(form, 'email')) errors.email = 'Wajib diisi: tautan kata sandi dikirim ke sini / Required: the password link goes here';
      if (!text(form, 'role')) errors.role = 'Pilih peran / Choose a role';
      else if (!(grantable(who) as readonly string[]).includes(text(form, 'role'))) errors.role = CANNOT_GIVE;
      let input: ReturnType<typeof CreateUserSchema.parse> | null = null;
      try {
        input = parseInput(CreateUserSchema, {
          name: text(form, 'name'),
          email: text(form, 'email') || null,
          phone: text(form, 'phone') || null,
          role: text(form, 'role') || undefined,
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        for (const [k, m] of Object.entries(fieldErrors(err))) errors[k] ??= m;
      }
      let bodyId: number | null = null;
      try {
        bodyId = await bodyOfForm(deps, who, picker, text(form, 'body'));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        Object.assign(errors, fieldErrors(err));
      }
      if (Object.keys(errors).length > 0 || !input) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', errors);
      const { user, invitation } = await createStaffAccount(deps.db, deps.config, who, { ...input, bodyId }, deps.now());
      const where = bodyId === null ? '' : ` · ${(await getManagedBody(deps.db, who, bodyId)).name}`;
      return renderUsers(c, deps, lang, who, {
        notice: html`<p class="notice" role="status">${bi(
          lang,
          `Akun ${user.name} dibuat: ${roleWords('id', user.role)}${where}. Tautan untuk membuat kata sandi dikirim ke ${user.email}, berlaku sampai ${instantWords('id', invitation!.expiresAt.toISOString())}.`,
          `${user.name}’s account is made: ${roleWords('en', user.role)}${where}. A link to set the password was sent to ${user.email}; it works until ${instantWords('en', invitation!.expiresAt.toISOString())}.`,
        )} <a href="/kantor/pengguna/${user.id}${langQuery(lang)}">${bi(lang, 'Lihat akun', 'See the account')}</a></p>`,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden' && !err.fields) {
        // a role or body outside what this admin may give: said at the role, the form kept
        return renderUsers(c, deps, lang, who, { create: { values, errors: { role: err.message } }, status: 403 });
      }
      return renderUsers(c, deps, lang, who, { create: { values, errors: formFields(err) }, status: ERROR_STATUS[err.code] });
    }
  });

  app.get('/kantor/pengguna/:id', async (c) => {
    const target = await adminTarget(c, 'users', 'Nomor akun tidak valid / Invalid account number', '/kantor/pengguna');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    return renderAccount(c, deps, lang, who, id);
  });

  app.post('/kantor/pengguna/:id/peran', async (c) => {
    const target = await adminTarget(c, 'users', 'Nomor akun tidak valid / Invalid account number', '/kantor/pengguna');
    if (target instanceof Response) return target;
    const { lang, who, id } = target;
    const form = await readForm(c);
    const values: Values = { role: form.fields.role?.slice(0, 100), body: form.fields.body?.slice(0, 400) };
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const role = text(form, 'role');
      if (!(grantable(who) as readonly string[]).includes(role)) {
        throw new AppError('invalid_input', 'Input tidak valid / Invalid input', {
          role: role === '' ? 'Pilih peran / Choose a role' : CANNOT_GIVE,
        });
      }
      const bodyId = await bodyOfForm(deps, who, await bodyPicker(deps, who), text(form, 'body'));
      const done = await changeStaffRole(deps.db, who, id, { role: role as Role, bodyId }, deps.now());
      const from = `${roleWords(lang, done.before.role)}${done.before.bodyName ? ` (${done.before.bodyName})` : ''}`;
      const to = `${roleWords(lang, done.after.role)}${done.after.bodyName ? ` (${done.after.bodyName})` : ''}`;
      return renderAccount(c, deps, lang, who, id, {
        notice: notice(
          bi(
            lang,
            `Peran ${done.after.name} diubah dari ${from} menjadi ${to}; ${done.sessionsEnded} sesinya berakhir.`,
            `${done.after.name}’s role changed from ${from} to ${to}; ${done.sessionsEnded} of its sessions ended.`,
          ),
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, '/kantor/pengguna');
      if (err.code === 'forbidden' && !err.fields) {
        // one's own account has no role form: the refusal is said above the page
        const own = id === who.userId;
        return renderAccount(
          c,
          deps,
          lang,
          who,
          id,
          own ? { error: err.message, status: 403 } : { role: { values, errors: { role: err.message } }, status: 403 },
        );
      }
      if (err.code === 'invalid_input')
        return renderAccount(c, deps, lang, who, id, { role: { values, errors: formFields(err) }, status: 400 });
      return renderAccount(c, deps, lang, who, id, { error: err.message, status: ERROR_STATUS[err.code] });
    }
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
      const form = await readForm(c);
      // from the account's own page, back to it; from the list, the list
      const render = (state: UsersState & AccountState) =>
        form.fields.back === 'akun' ? renderAccount(c, deps, lang, who, id, state) : renderUsers(c, deps, lang, who, state);
      try {
        const user = await setAccountDisabled(deps.db, who, id, disable, deps.now());
        return render({
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
        return render({ error: err.message, status: ERROR_STATUS[err.code] });
      }
    });
  }
}
