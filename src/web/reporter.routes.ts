import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import { formatTrackingId } from '../domain/tracking-id.ts';
import type { Action } from '../domain/workflow.ts';
import { AppError } from '../errors.ts';
import {
  getEmailPreferences,
  listNotifications,
  markAllRead,
  setEmailPreferences,
} from '../features/notifications/notifications.service.ts';
import { myChannelIdentities, unlinkChannelIdentity } from '../features/accounts/accounts.service.ts';
import { performAction } from '../features/reports/report-actions.service.ts';
import { listOwn } from '../features/reports/reports.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { renderTrackingPage } from './portal.routes.ts';
import { REPORTER_ACTIONS } from './reporter-actions.ts';
import { type Lang, bi, langOf, pick } from './i18n.ts';
import { respond } from './layout.ts';
import { half } from './ui.ts';
import { dateWords } from './words.ts';

/**
 * What a reporter does in the portal: their own reports and notifications, and the actions the
 * lifecycle offers them on a report (reply, accept, rate, reopen, close, appeal), each a plain
 * form. What may be done is what the API's `availableActions` lists for this caller now.
 */

export function registerReporterPages(app: App, deps: AppDeps): void {
  const signedIn = (c: Context<AppEnv>, lang: Lang, next: string) => {
    if (c.get('principal')) return null;
    return c.redirect(`/masuk?next=${encodeURIComponent(next + (lang === 'en' ? '?lang=en' : ''))}`, 303);
  };

  app.get('/akun', async (c) => {
    const lang = langOf(c);
    const away = signedIn(c, lang, '/akun');
    if (away) return away;
    const principal = c.get('principal')!;
    const page = Math.max(1, Math.min(1000, Number(c.req.query('page')) || 1));
    const [mine, notes, prefs, identities] = await Promise.all([
      principal.role === 'reporter' ? listOwn(deps, principal, { page, perPage: 20 }) : Promise.resolve(null),
      listNotifications(deps, principal, { page: 1, perPage: 1 }),
      getEmailPreferences(deps, principal),
      principal.role === 'reporter' ? myChannelIdentities(deps.db, principal) : Promise.resolve([]),
    ]);
    const q = lang === 'en' ? '?lang=en' : '';
    const channelsPart = html`<h2 id="saluran">${bi(lang, 'Nomor dan akun saluran', 'Numbers and channel accounts')}</h2>
${c.req.query('saluran') === 'dilepas' ? html`<p class="notice" role="status">${bi(lang, 'Tautan dilepas: pesan dari nomor itu tidak lagi masuk ke akun ini.', 'Unlinked: messages from it no longer come to this account.')}</p>` : ''}
${
  identities.length === 0
    ? html`<p>${bi(
        lang,
        'Belum ada. Masuk dengan kode yang dikirim lewat SMS ke nomor Anda untuk menautkan laporan SMS Anda ke akun ini.',
        'None yet. Sign in with a code sent by SMS to your number to bring your SMS reports into this account.',
      )}</p>`
    : html`<p>${bi(lang, 'Laporan dan balasan dari saluran ini adalah milik akun ini.', 'Reports and replies from these are this account’s.')}</p>
<ul class="cards">${identities.map(
        (
          i,
        ) => html`<li class="card"><p>${i.channel.toUpperCase()} <strong>${i.handle}</strong> · ${bi(lang, 'sejak', 'since')} ${dateWords(lang, i.since)}</p>
<form method="post" action="/akun/saluran/${i.id}/lepas${q}"><button type="submit">${bi(lang, `Lepaskan ${i.handle}`, `Unlink ${i.handle}`)}</button></form></li>`,
      )}</ul>`
}`;
    const groups: { key: keyof typeof prefs.email; label: { id: string; en: string } }[] = [
      { key: 'report_updates', label: { id: 'Perkembangan laporan', en: 'Report updates' } },
      { key: 'deadlines', label: { id: 'Batas waktu', en: 'Deadlines' } },
      { key: 'ombudsman', label: { id: 'Ombudsman', en: 'Ombudsman' } },
    ];
    const emailForm = html`<h2 id="email">${bi(lang, 'Pemberitahuan lewat email', 'Email notifications')}</h2>
${c.req.query('email') === 'tersimpan' ? html`<p class="notice" role="status">${bi(lang, 'Pilihan email tersimpan.', 'Email choices saved.')}</p>` : ''}
<form method="post" action="/akun/email${lang === 'en' ? '?lang=en' : ''}" class="stack">
  <fieldset><legend>${bi(lang, 'Kirimi saya email tentang', 'Email me about')}</legend>
  ${groups.map(
    (g) =>
      html`<div class="choice"><input type="checkbox" id="email-${g.key}" name="${g.key}" value="true"${raw(prefs.email[g.key] ? ' checked' : '')}><label for="email-${g.key}">${pick(lang, g.label)}</label></div>`,
  )}
  <p class="hint">${bi(lang, 'Pemberitahuan di aplikasi selalu ada; kode masuk dan atur ulang kata sandi selalu dikirim.', 'In-app notifications always arrive; sign-in codes and password resets always go.')}</p>
  </fieldset>
  <button type="submit">${bi(lang, 'Simpan', 'Save')}</button>
</form>`;
    const body = html`<h1>${bi(lang, 'Akun saya', 'My account')}</h1>
<p><a href="/akun/pemberitahuan">${bi(lang, 'Pemberitahuan', 'Notifications')}</a>${
      notes.unreadCount > 0
        ? html` <span class="badge">${bi(lang, `${notes.unreadCount} belum dibaca`, `${notes.unreadCount} unread`)}</span>`
        : ''
    }</p>
${
  mine
    ? html`<h2>${bi(lang, 'Laporan saya', 'My reports')}</h2>
${
  mine.items.length === 0
    ? html`<p>${bi(lang, 'Belum ada laporan.', 'No reports yet.')} <a href="/lapor">${bi(lang, 'Buat laporan', 'File a report')}</a></p>`
    : html`<ul class="cards">${mine.items.map(
        (r) => html`<li class="card"><h3><a href="/laporan/${r.trackingId}">${r.title}</a></h3>
<p class="meta"><span class="badge">${pick(lang, r.statusLabel)}</span> · ${formatTrackingId(r.trackingId)} · ${dateWords(lang, r.createdAt)}${
          r.secret ? ` · ${bi(lang, 'Rahasia', 'Secret')}` : ''
        }${r.anonymous ? ` · ${bi(lang, 'Anonim', 'Anonymous')}` : ''}</p></li>`,
      )}</ul>`
}`
    : ''
}`;
    return respond(c, 200, {
      lang,
      title: bi(lang, 'Akun saya', 'My account'),
      section: null,
      url: new URL(c.req.url),
      body: html`${body}${emailForm}${principal.role === 'reporter' ? channelsPart : ''}`,
    });
  });

  app.post('/akun/email', async (c) => {
    const lang = langOf(c);
    const principal = c.get('principal');
    if (!principal) return c.redirect('/masuk?next=%2Fakun', 303);
    const form = await readForm(c);
    // An unticked box sends nothing: every group not ticked is turned off.
    await setEmailPreferences(deps, principal, {
      report_updates: form.fields.report_updates === 'true',
      deadlines: form.fields.deadlines === 'true',
      ombudsman: form.fields.ombudsman === 'true',
    });
    return c.redirect(`/akun?email=tersimpan${lang === 'en' ? '&lang=en' : ''}#email`, 303);
  });

  app.post('/akun/saluran/:id/lepas', async (c) => {
    const lang = langOf(c);
    const principal = c.get('principal');
    if (!principal) return c.redirect('/masuk?next=%2Fakun', 303);
    await readForm(c);
    const id = Number(c.req.param('id'));
    try {
      if (!Number.isSafeInteger(id) || id <= 0)
        throw new AppError('not_found', 'Identitas saluran tidak ditemukan / Channel identity not found');
      await unlinkChannelIdentity(deps.db, principal, id, deps.now());
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return respond(c, ERROR_STATUS[err.code], {
        lang,
        title: bi(lang, 'Tidak ditemukan', 'Not found'),
        section: null,
        url: new URL(c.req.url),
        body: html`<h1>${bi(lang, 'Tidak ditemukan', 'Not found')}</h1><p class="alert" role="alert">${half(lang, err.message)}</p><p><a href="/akun">${bi(lang, 'Kembali ke akun saya', 'Back to my account')}</a></p>`,
      });
    }
    return c.redirect(`/akun?saluran=dilepas${lang === 'en' ? '&lang=en' : ''}#saluran`, 303);
  });

  app.get('/akun/pemberitahuan', async (c) => {
    const lang = langOf(c);
    const away = signedIn(c, lang, '/akun/pemberitahuan');
    if (away) return away;
    const page = Math.max(1, Math.min(1000, Number(c.req.query('page')) || 1));
    const list = await listNotifications(deps, c.get('principal')!, { page, perPage: 30 });
    const body = html`<h1>${bi(lang, 'Pemberitahuan', 'Notifications')}</h1>
${
  list.unreadCount > 0
    ? html`<form method="post" action="/akun/pemberitahuan/baca"><button type="submit" class="secondary">${bi(lang, 'Tandai semua sudah dibaca', 'Mark all as read')}</button></form>`
    : ''
}
${
  list.items.length === 0
    ? html`<p>${bi(lang, 'Belum ada pemberitahuan.', 'No notifications yet.')}</p>`
    : html`<ul class="cards">${list.items.map(
        (n) => html`<li class="card${n.readAt ? '' : ' unread'}">
  <h2 class="h3">${n.readAt ? '' : html`<span class="visually-hidden">${bi(lang, 'Belum dibaca: ', 'Unread: ')}</span>`}${half(lang, n.title)}</h2>
  <p class="meta">${dateWords(lang, n.createdAt)}${n.trackingId ? html` · <a href="/laporan/${n.trackingId}">${bi(lang, 'Buka laporan', 'Open the report')} ${formatTrackingId(n.trackingId)}</a>` : ''}</p>
</li>`,
      )}</ul>`
}`;
    return respond(c, 200, { lang, title: bi(lang, 'Pemberitahuan', 'Notifications'), section: null, url: new URL(c.req.url), body });
  });

  app.post('/akun/pemberitahuan/baca', async (c) => {
    const principal = c.get('principal');
    if (!principal) return c.redirect('/masuk?next=%2Fakun%2Fpemberitahuan', 303);
    await markAllRead(deps, principal);
    return c.redirect('/akun/pemberitahuan', 303);
  });

  // One form post per action on the tracking page; the lifecycle decides whether it may happen.
  app.post('/laporan/:trackingId/tindakan', async (c) => {
    const lang = langOf(c);
    const trackingId = c.req.param('trackingId');
    const principal = c.get('principal');
    if (!principal) return c.redirect(`/masuk?next=${encodeURIComponent(`/laporan/${trackingId}`)}`, 303);
    const form = await readForm(c, deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024);
    const action = form.fields.aksi as Action;
    const back = (query: string) =>
      c.redirect(`/laporan/${encodeURIComponent(trackingId)}?${query}${lang === 'en' ? '&lang=en' : ''}`, 303);
    if (!REPORTER_ACTIONS.includes(action)) {
      return renderTrackingPage(c, deps, lang, trackingId, { action: '', message: 'Tindakan tidak dikenal / Unknown action' }, 400);
    }
    const rating = form.fields.rating ? Number(form.fields.rating) : undefined;
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      if (action === 'rate' && !(rating !== undefined && Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
        throw new AppError('invalid_input', 'Pilih nilai 1–5 / Choose a rating of 1–5', {
          rating: 'Pilih nilai 1–5 / Choose a rating of 1–5',
        });
      }
      const message = form.fields.message?.trim();
      await performAction(
        deps,
        principal,
        trackingId,
        action,
        { message: message || undefined, rating },
        action === 'reply' ? form.files : [],
      );
      return back(`selesai=${action}#riwayat`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      const errors = fieldErrors(err);
      const text = errors.message ?? errors.rating ?? errors._ ?? Object.values(errors)[0] ?? err.message;
      return renderTrackingPage(
        c,
        deps,
        lang,
        trackingId,
        { action, message: text, field: errors.message ? 'message' : undefined },
        ERROR_STATUS[err.code],
      );
    }
  });
}
