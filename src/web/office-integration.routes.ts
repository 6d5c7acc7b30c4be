import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../errors.ts';
import {
  type KeyJson,
  createKey,
  getApp,
  listAppDeliveries,
  listApps,
  removeAppWebhook,
  revokeKey,
  rotateKey,
  setAppWebhook,
} from '../features/integration/integration.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf } from './i18n.ts';
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
} from './office-admin-ui.ts';
import { respondOffice } from './office-layout.ts';
import { field, formError, select } from './ui.ts';

/**
 * Local government apps (issue 11 §4) for a body's admin: the body's apps (integrator accounts,
 * made on /kantor/pengguna), and per app its API keys — made, rotated (with an optional grace
 * period) and revoked here, each new key shown once on the page that made it — its webhook (the
 * signing secret shown once too) and the webhook's delivery log. Everything goes through the
 * integration service, so the page allows exactly what the API does; another body's app is a
 * 404 page.
 */

const BASE = '/kantor/integrasi';

const GRACE_CHOICES = [
  { minutes: 0, id: 'Langsung berhenti', en: 'Stops at once' },
  { minutes: 60, id: 'Tetap berlaku 1 jam', en: 'Keeps working for 1 hour' },
  { minutes: 24 * 60, id: 'Tetap berlaku 1 hari', en: 'Keeps working for 1 day' },
  { minutes: 7 * 24 * 60, id: 'Tetap berlaku 7 hari', en: 'Keeps working for 7 days' },
];

async function renderList(c: Context<AppEnv>, deps: AppDeps, lang: Lang, who: Principal) {
  const page = pageOf(c);
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, BASE);
  const list = await listApps(deps, who, { page, perPage: PER_PAGE });
  const params = new URLSearchParams();
  if (lang === 'en') params.set('lang', 'en');
  const body = html`<h1>${bi(lang, 'Integrasi aplikasi daerah', 'Local government apps')}</h1>
<p class="lead">${bi(
    lang,
    'Aplikasi milik instansi (mis. Gencil di Pontianak, METRO KITA di Metro) mengirim laporan warganya lewat API integrasi dengan kunci API, dan menerima setiap perubahan lewat webhook bertanda tangan. Buat akun aplikasinya di halaman Pengguna dengan peran Integrator sistem, lalu buat kuncinya di sini.',
    'A body’s own apps (Gencil in Pontianak, METRO KITA in Metro) push their citizens’ reports through the integration API with an API key, and hear of every change through a signed webhook. Make the app’s account on the Users page with the role System integrator, then make its key here.',
  )}</p>
<p><a href="/kantor/pengguna?role=integrator${langQuery(lang, '&')}">${bi(lang, 'Akun integrator di halaman Pengguna', 'Integrator accounts on the Users page')}</a> · <a href="/docs">${bi(lang, 'Dokumentasi API', 'API documentation')}</a></p>
<p role="status">${bi(lang, `${number(lang, list.total)} aplikasi`, `${number(lang, list.total)} apps`)}</p>
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Belum ada akun aplikasi.', 'No app accounts yet.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Aplikasi', 'Apps')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Aplikasi', 'App')}</th><th scope="col">${bi(lang, 'Instansi', 'Body')}</th><th scope="col">${bi(lang, 'Kunci aktif', 'Active keys')}</th><th scope="col">Webhook</th><th scope="col">${bi(lang, 'Terakhir dipakai', 'Last used')}</th></tr></thead>
  <tbody>${list.items.map(
    (a) => html`<tr>
    <td><a href="${BASE}/${a.id}${langQuery(lang)}">${a.name}</a>${a.disabled ? html` <span class="badge">${bi(lang, 'nonaktif', 'disabled')}</span>` : ''}</td>
    <td>${a.body.name}</td>
    <td>${number(lang, a.activeKeys)}</td>
    <td>${a.webhook?.active ? html`<span class="mono">${a.webhook.url}</span>` : '—'}</td>
    <td>${a.lastUsedAt ? html`<time datetime="${a.lastUsedAt}">${instantWords(lang, a.lastUsedAt)}</time>` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, BASE, params, page, list.total)}`;
  return respondOffice(c, 200, { lang, title: bi(lang, 'Integrasi', 'Integrations'), section: 'integration', url: pageUrl(c, BASE), body });
}

interface DetailState {
  notice?: Html;
  /** A key or a secret just made: shown once, here. */
  shownOnce?: { what: 'key' | 'secret'; value: string };
  failed?: { form: string; values: Record<string, string | undefined>; errors: Record<string, string> };
  status?: ContentfulStatusCode;
}

function shownOnceBox(lang: Lang, s: NonNullable<DetailState['shownOnce']>): Html {
  const what = s.what === 'key' ? bi(lang, 'Kunci API', 'API key') : bi(lang, 'Rahasia penandatangan webhook', 'Webhook signing secret');
  return html`<div class="notice" role="status" id="sekali">
  <p><strong>${what}:</strong> <code class="mono">${s.value}</code></p>
  <p>${bi(
    lang,
    'Salin sekarang dan simpan di aplikasi. Ini hanya ditampilkan sekali: LAPOR! hanya menyimpan sidiknya, jadi tidak dapat menampilkannya lagi. Bila hilang, buat yang baru.',
    'Copy it now into the app. It is shown this once: LAPOR! keeps only its fingerprint and cannot show it again. If it is lost, make a new one.',
  )}</p>
</div>`;
}

function keyStatus(lang: Lang, k: KeyJson): Html {
  if (k.active && k.revokedAt) {
    return html`${bi(lang, 'berlaku sampai', 'works until')} <time datetime="${k.revokedAt}">${instantWords(lang, k.revokedAt)}</time>`;
  }
  if (k.active) return html`${bi(lang, 'aktif', 'active')}`;
  return html`${bi(lang, 'dicabut', 'revoked')} <time datetime="${k.revokedAt!}">${instantWords(lang, k.revokedAt!)}</time>`;
}

function keyActions(lang: Lang, appId: number, k: KeyJson, state: DetailState): Html {
  if (!k.active || k.replacedBy !== null) return html``;
  const failed = state.failed?.form === `ganti-${k.id}` ? state.failed : undefined;
  return html`<form class="action" method="post" action="${BASE}/${appId}/kunci/${k.id}/ganti${langQuery(lang)}">
  ${formError(lang, failed?.errors._)}
  ${select({
    lang,
    id: `ganti-${k.id}-grace`,
    name: 'graceMinutes',
    label: bi(lang, 'Kunci lama setelah diganti', 'The old key after the rotation'),
    value: failed?.values.graceMinutes ?? '0',
    error: failed?.errors.graceMinutes,
    choices: GRACE_CHOICES.map((g) => ({ value: String(g.minutes), label: g[lang] })),
  })}
  <button type="submit">${bi(lang, `Ganti kunci “${k.name}”`, `Rotate key “${k.name}”`)}</button>
</form>
<form class="action" method="post" action="${BASE}/${appId}/kunci/${k.id}/cabut${langQuery(lang)}">
  <button type="submit" class="secondary">${bi(lang, `Cabut kunci “${k.name}” sekarang`, `Revoke key “${k.name}” now`)}</button>
</form>`;
}

async function renderDetail(c: Context<AppEnv>, deps: AppDeps, lang: Lang, who: Principal, id: number, state: DetailState = {}) {
  const page = pageOf(c);
  if (page === null) return problemPage(c, lang, 400, PAGE_ERROR, `${BASE}/${id}`);
  let detail: Awaited<ReturnType<typeof getApp>>;
  try {
    detail = await getApp(deps, who, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return problemPage(c, lang, 404, err.message, BASE);
    throw err;
  }
  const deliveries = await listAppDeliveries(deps, who, id, { page, perPage: PER_PAGE });
  const { app, keys, webhook } = detail;
  const f = (form: string) => (state.failed?.form === form ? state.failed : undefined);
  const newKey = f('kunci');
  const hook = f('webhook');
  const params = new URLSearchParams();
  if (lang === 'en') params.set('lang', 'en');
  const body = html`<h1>${app.name}</h1>
${state.notice ?? ''}
${state.shownOnce ? shownOnceBox(lang, state.shownOnce) : ''}
<dl class="facts">
  <dt>${bi(lang, 'Instansi', 'Body')}</dt><dd>${app.body.name}</dd>
  <dt>${bi(lang, 'Akun', 'Account')}</dt><dd><a href="/kantor/pengguna/${app.id}${langQuery(lang)}">${app.email ?? `#${app.id}`}</a>${app.disabled ? html` <span class="badge">${bi(lang, 'nonaktif', 'disabled')}</span>` : ''}</dd>
  <dt>${bi(lang, 'Terakhir dipakai', 'Last used')}</dt><dd>${app.lastUsedAt ? instantWords(lang, app.lastUsedAt) : '—'}</dd>
</dl>

<h2 id="kunci">${bi(lang, 'Kunci API', 'API keys')}</h2>
<p class="hint">${bi(
    lang,
    'Aplikasi mengirim kuncinya sebagai Authorization: Bearer lpr_live_… (atau X-Api-Key). Mengganti kunci membuat kunci baru dan mencabut yang lama, langsung atau setelah masa tenggang.',
    'The app sends its key as Authorization: Bearer lpr_live_… (or X-Api-Key). Rotating a key makes a new one and revokes the old one, at once or after a grace period.',
  )}</p>
${
  keys.length === 0
    ? html`<p>${bi(lang, 'Belum ada kunci.', 'No keys yet.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Kunci API', 'API keys')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Nama', 'Name')}</th><th scope="col">${bi(lang, 'Awalan', 'Prefix')}</th><th scope="col">${bi(lang, 'Dibuat', 'Created')}</th><th scope="col">${bi(lang, 'Terakhir dipakai', 'Last used')}</th><th scope="col">${bi(lang, 'Status', 'Status')}</th><th scope="col">${bi(lang, 'Tindakan', 'Actions')}</th></tr></thead>
  <tbody>${keys.map(
    (k) => html`<tr>
    <td>${k.name}</td>
    <td><span class="mono">${k.prefix}</span></td>
    <td><time datetime="${k.createdAt}">${instantWords(lang, k.createdAt)}</time>${k.createdBy ? html`<br><span class="hint">${k.createdBy}</span>` : ''}</td>
    <td>${k.lastUsedAt ? html`<time datetime="${k.lastUsedAt}">${instantWords(lang, k.lastUsedAt)}</time>` : '—'}</td>
    <td>${keyStatus(lang, k)}</td>
    <td>${keyActions(lang, app.id, k, state)}</td>
  </tr>`,
  )}</tbody>
</table>`
}
<form class="action" method="post" action="${BASE}/${app.id}/kunci${langQuery(lang)}">
  <h3>${bi(lang, 'Buat kunci baru', 'Make a new key')}</h3>
  ${formError(lang, newKey?.errors._)}
  ${field({ lang, name: 'name', id: 'kunci-name', label: bi(lang, 'Nama kunci', 'Key name'), hint: bi(lang, 'mis. server produksi', 'e.g. production server'), value: newKey?.values.name, error: newKey?.errors.name, required: true, maxlength: 100 })}
  <button type="submit">${bi(lang, 'Buat kunci', 'Make the key')}</button>
</form>

<h2 id="webhook">Webhook</h2>
<p class="hint">${bi(
    lang,
    'Setiap perubahan laporan aplikasi ini yang boleh dilihat pelapor dikirim sebagai POST JSON bertanda tangan HMAC-SHA256 (X-Lapor-Signature), dan dicoba ulang dengan jeda yang makin panjang bila gagal.',
    'Every change of this app’s reports that the reporter may see is sent as a JSON POST signed with HMAC-SHA256 (X-Lapor-Signature), and retried with growing waits when it fails.',
  )}</p>
${webhook?.active ? html`<p>${bi(lang, 'Alamat sekarang', 'Current URL')}: <span class="mono">${webhook.url}</span></p>` : html`<p>${bi(lang, 'Belum ada webhook.', 'No webhook.')}</p>`}
<form class="action" method="post" action="${BASE}/${app.id}/webhook${langQuery(lang)}">
  ${formError(lang, hook?.errors._)}
  ${field({ lang, name: 'url', id: 'webhook-url', label: bi(lang, 'URL webhook', 'Webhook URL'), hint: bi(lang, 'http:// atau https://, mis. https://gencil.pontianak.go.id/lapor/webhook', 'http:// or https://, e.g. https://gencil.pontianak.go.id/lapor/webhook'), value: hook?.values.url ?? (webhook?.active ? webhook.url : ''), error: hook?.errors.url, required: true, maxlength: 2000 })}
  ${webhook ? html`<div class="choice"><input type="checkbox" id="webhook-rotate" name="rotateSecret" value="true"><label for="webhook-rotate">${bi(lang, 'Buat rahasia penandatangan baru (yang lama langsung berhenti)', 'Make a new signing secret (the old one stops at once)')}</label></div>` : ''}
  <button type="submit">${bi(lang, 'Simpan webhook', 'Save the webhook')}</button>
</form>
${
  webhook?.active
    ? html`<form class="action" method="post" action="${BASE}/${app.id}/webhook/hapus${langQuery(lang)}"><button type="submit" class="secondary">${bi(lang, 'Hentikan webhook', 'Stop the webhook')}</button></form>`
    : ''
}

<h2 id="pengiriman">${bi(lang, 'Log pengiriman webhook', 'Webhook delivery log')}</h2>
<p role="status">${bi(lang, `${number(lang, deliveries.total)} percobaan, terbaru lebih dulu`, `${number(lang, deliveries.total)} attempts, newest first`)}</p>
${
  deliveries.items.length === 0
    ? html`<p>${bi(lang, 'Belum ada pengiriman.', 'No deliveries yet.')}</p>`
    : html`<table class="inbox">
  <caption class="visually-hidden">${bi(lang, 'Log pengiriman', 'Delivery log')}</caption>
  <thead><tr><th scope="col">${bi(lang, 'Waktu', 'When')}</th><th scope="col">${bi(lang, 'Peristiwa', 'Event')}</th><th scope="col">${bi(lang, 'Percobaan', 'Attempt')}</th><th scope="col">HTTP</th><th scope="col">${bi(lang, 'Lama', 'Latency')}</th><th scope="col">${bi(lang, 'Galat', 'Error')}</th></tr></thead>
  <tbody>${deliveries.items.map(
    (d) => html`<tr>
    <td><time datetime="${d.at}">${instantWords(lang, d.at)}</time></td>
    <td>${d.eventId ?? '—'}</td>
    <td>${d.attempt}</td>
    <td>${d.httpStatus ?? '—'}</td>
    <td>${d.latencyMs === null ? '—' : `${number(lang, d.latencyMs)} ms`}</td>
    <td>${d.error ?? ''}${d.messageStatus === 'failed' ? html` <span class="badge">${bi(lang, 'dihentikan', 'given up')}</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pager(lang, `${BASE}/${app.id}`, params, page, deliveries.total)}
<p><a href="${BASE}${langQuery(lang)}">${bi(lang, 'Kembali ke daftar aplikasi', 'Back to the apps')}</a></p>`;
  return respondOffice(c, state.status ?? 200, {
    lang,
    title: app.name,
    section: 'integration',
    url: pageUrl(c, `${BASE}/${app.id}`),
    body,
  });
}

/** Runs a form's action; the refusals come back as the page again, each error at its field. */
async function act(
  c: Context<AppEnv>,
  deps: AppDeps,
  form: string,
  run: (who: Principal, id: number, fields: Record<string, string>) => Promise<DetailState>,
): Promise<Response> {
  const lang = langOf(c);
  const who = await allowed(c, lang, 'integration');
  if (who instanceof Response) return who;
  const id = pathId(c.req.param('id') ?? '');
  if (id === null) return problemPage(c, lang, 400, 'Nomor aplikasi tidak valid / Invalid app number', BASE);
  const posted = await readForm(c);
  const values = Object.fromEntries(Object.entries(posted.fields).map(([k, v]) => [k, v.slice(0, 2000)]));
  try {
    if (Object.keys(posted.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', posted.problems);
    return renderDetail(c, deps, lang, who, id, await run(who, id, posted.fields));
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'not_found') return problemPage(c, lang, 404, err.message, BASE);
    if (err.code === 'forbidden') return forbidden(c, lang, who, err.message);
    return renderDetail(c, deps, lang, who, id, { failed: { form, values, errors: fieldErrors(err) }, status: ERROR_STATUS[err.code] });
  }
}

function keyIdOf(c: Context): number {
  const keyId = pathId(c.req.param('keyId') ?? '');
  if (keyId === null) throw new AppError('not_found', 'Kunci tidak ditemukan / Key not found');
  return keyId;
}

export function registerOfficeIntegrationRoutes(app: App, deps: AppDeps): void {
  app.get(BASE, async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'integration');
    if (who instanceof Response) return who;
    return renderList(c, deps, lang, who);
  });

  app.get(`${BASE}/:id`, async (c) => {
    const lang = langOf(c);
    const who = await allowed(c, lang, 'integration');
    if (who instanceof Response) return who;
    const id = pathId(c.req.param('id'));
    if (id === null) return problemPage(c, lang, 400, 'Nomor aplikasi tidak valid / Invalid app number', BASE);
    return renderDetail(c, deps, lang, who, id);
  });

  app.post(`${BASE}/:id/kunci`, (c) =>
    act(c, deps, 'kunci', async (who, id, fields) => {
      const lang = langOf(c);
      const made = await createKey(deps, who, id, fields.name ?? '');
      return {
        notice: notice(bi(lang, `Kunci “${made.key.name}” dibuat.`, `Key “${made.key.name}” made.`)),
        shownOnce: { what: 'key', value: made.token },
      };
    }),
  );

  app.post(`${BASE}/:id/kunci/:keyId/ganti`, (c) => {
    const keyId = pathId(c.req.param('keyId'));
    return act(c, deps, `ganti-${keyId ?? 0}`, async (who, id, fields) => {
      const lang = langOf(c);
      const text = fields.graceMinutes ?? '0';
      const grace = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
      const made = await rotateKey(deps, who, id, keyIdOf(c), { graceMinutes: grace });
      const until = made.replaced.revokedAt;
      return {
        notice: notice(
          grace > 0 && until
            ? bi(
                lang,
                `Kunci baru dibuat. Kunci lama (${made.replaced.prefix}) tetap berlaku sampai ${instantWords(lang, until)}.`,
                `A new key is made. The old key (${made.replaced.prefix}) keeps working until ${instantWords(lang, until)}.`,
              )
            : bi(
                lang,
                `Kunci baru dibuat; kunci lama (${made.replaced.prefix}) dicabut.`,
                `A new key is made; the old key (${made.replaced.prefix}) is revoked.`,
              ),
        ),
        shownOnce: { what: 'key', value: made.token },
      };
    });
  });

  app.post(`${BASE}/:id/kunci/:keyId/cabut`, (c) =>
    act(c, deps, 'cabut', async (who, id) => {
      const lang = langOf(c);
      const key = await revokeKey(deps, who, id, keyIdOf(c));
      return {
        notice: notice(
          bi(
            lang,
            `Kunci “${key.name}” (${key.prefix}) dicabut; permintaan dengannya ditolak.`,
            `Key “${key.name}” (${key.prefix}) is revoked; requests with it are refused.`,
          ),
        ),
      };
    }),
  );

  app.post(`${BASE}/:id/webhook`, (c) =>
    act(c, deps, 'webhook', async (who, id, fields) => {
      const lang = langOf(c);
      const set = await setAppWebhook(deps, who, id, { url: fields.url ?? '', rotateSecret: fields.rotateSecret === 'true' });
      return {
        notice: notice(bi(lang, `Webhook disimpan: ${set.webhook.url}.`, `Webhook saved: ${set.webhook.url}.`)),
        ...(set.secret ? { shownOnce: { what: 'secret' as const, value: set.secret } } : {}),
      };
    }),
  );

  app.post(`${BASE}/:id/webhook/hapus`, (c) =>
    act(c, deps, 'webhook-hapus', async (who, id) => {
      const lang = langOf(c);
      const done = await removeAppWebhook(deps, who, id);
      return {
        notice: notice(
          done.removed
            ? bi(
                lang,
                'Webhook dihentikan; perubahan masih dapat diambil lewat API.',
                'The webhook is stopped; changes can still be pulled through the API.',
              )
            : bi(lang, 'Tidak ada webhook yang berjalan.', 'No webhook was running.'),
        ),
      };
    }),
  );
}
