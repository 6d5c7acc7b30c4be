import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { AppError } from '../errors.ts';
import {
  authenticate as checkPassword,
  closeSession,
  completePasswordReset,
  openSession,
  register,
  requestPasswordReset,
} from '../features/accounts/accounts.service.ts';
import { LoginSchema, RegisterSchema, ResetCompleteSchema, ResetRequestSchema } from '../features/accounts/accounts.schema.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { ERROR_STATUS, parseInput } from '../http/errors.ts';
import { clientAddress } from '../http/client-address.ts';
import { fieldErrors, readForm, safeNext } from './forms.ts';
import { type Lang, bi, langOf } from './i18n.ts';
import { type Html, respond } from './layout.ts';
import { field, formError } from './ui.ts';

/**
 * Signing up, in and out with plain forms. The session is the API's own HttpOnly cookie; a form
 * post counts only from this site (auth.ts checks the Origin of every cookie request that changes
 * something), and the sign-in is throttled exactly like the API's.
 */
export function registerAccountPages(app: App, deps: AppDeps): void {
  const now = () => deps.now();

  async function startSession(c: Context<AppEnv>, userId: number): Promise<void> {
    const { token, expiresAt } = await openSession(deps.db, deps.config, userId, 'cookie', now());
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: deps.config.cookieSecure,
      sameSite: 'Lax',
      path: '/',
      expires: expiresAt,
    });
  }

  app.get('/masuk', (c) => {
    const lang = langOf(c);
    return signInPage(c, lang, { next: safeNext(c.req.query('next')), newPassword: c.req.query('sandi') === 'baru' });
  });

  app.post('/masuk', async (c) => {
    const lang = langOf(c);
    const form = await readForm(c);
    const next = safeNext(form.fields.next);
    try {
      const input = parseInput(LoginSchema, { login: form.fields.login ?? '', password: form.fields.password ?? '' });
      const user = await checkPassword(deps.db, deps.config, { ...input, clientAddress: clientAddress(c, deps.config.trustProxy) }, now());
      await startSession(c, user.id);
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
      return signInPage(c, lang, { next, login: form.fields.login, errors: fieldErrors(err) }, ERROR_STATUS[err.code]);
    }
  });

  app.get('/daftar', (c) => registerPage(c, langOf(c), { next: safeNext(c.req.query('next')) }));

  app.post('/daftar', async (c) => {
    const lang = langOf(c);
    const form = await readForm(c);
    const next = safeNext(form.fields.next);
    const f = form.fields;
    try {
      if (Object.keys(form.problems).length > 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', form.problems);
      const input = parseInput(RegisterSchema, {
        name: f.name ?? '',
        email: f.email?.trim() ? f.email : null,
        phone: f.phone?.trim() ? f.phone : null,
        password: f.password ?? '',
      });
      const user = await register(deps.db, deps.config, input, clientAddress(c, deps.config.trustProxy), now());
      await startSession(c, user.id);
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return registerPage(
        c,
        lang,
        { next, values: { name: f.name, email: f.email, phone: f.phone }, errors: fieldErrors(err) },
        ERROR_STATUS[err.code],
      );
    }
  });

  app.get('/lupa-sandi', (c) => forgotPage(c, langOf(c), {}));

  app.post('/lupa-sandi', async (c) => {
    const lang = langOf(c);
    const form = await readForm(c);
    try {
      const input = parseInput(ResetRequestSchema, { login: form.fields.login ?? '' });
      await requestPasswordReset(deps.db, deps.config, { ...input, clientAddress: clientAddress(c, deps.config.trustProxy) }, now());
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
      return forgotPage(c, lang, { login: form.fields.login, errors: fieldErrors(err) }, ERROR_STATUS[err.code]);
    }
    // The same answer whether or not the account exists: this page tells no one who has an account.
    return forgotPage(c, lang, { sent: true });
  });

  app.get('/atur-ulang-sandi', (c) => resetPage(c, langOf(c), {}));

  app.post('/atur-ulang-sandi', async (c) => {
    const lang = langOf(c);
    const form = await readForm(c);
    try {
      const input = parseInput(ResetCompleteSchema, { token: (form.fields.token ?? '').trim(), password: form.fields.password ?? '' });
      await completePasswordReset(deps.db, input, now());
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return resetPage(c, lang, { token: form.fields.token, errors: fieldErrors(err) }, ERROR_STATUS[err.code]);
    }
    return c.redirect(`/masuk?sandi=baru${lang === 'en' ? '&lang=en' : ''}`, 303);
  });

  app.post('/keluar', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await closeSession(deps.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });
}

function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

function signInPage(
  c: Context<AppEnv>,
  lang: Lang,
  o: { next: string; login?: string; errors?: Record<string, string>; newPassword?: boolean },
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const e = o.errors ?? {};
  const body = html`<h1>${bi(lang, 'Masuk', 'Sign in')}</h1>
${o.newPassword ? html`<p class="notice" role="status">${bi(lang, 'Kata sandi baru tersimpan. Silakan masuk.', 'Your new password is saved. Please sign in.')}</p>` : ''}
${formError(lang, e._)}
<form method="post" action="/masuk${lang === 'en' ? '?lang=en' : ''}" class="stack" novalidate>
  ${hidden('next', o.next)}
  ${field({ lang, name: 'login', label: bi(lang, 'Email atau nomor HP', 'Email or mobile number'), value: o.login, error: e.login, required: true, autocomplete: 'username', maxlength: 200 })}
  ${field({ lang, name: 'password', type: 'password', label: bi(lang, 'Kata sandi', 'Password'), error: e.password, required: true, autocomplete: 'current-password', maxlength: 200 })}
  <button type="submit">${bi(lang, 'Masuk', 'Sign in')}</button>
</form>
<p>${bi(lang, 'Belum punya akun?', 'No account yet?')} <a href="/daftar?next=${encodeURIComponent(o.next)}">${bi(lang, 'Daftar', 'Sign up')}</a></p>
<p><a href="/lupa-sandi">${bi(lang, 'Lupa kata sandi?', 'Forgot your password?')}</a></p>`;
  return respond(c, status, { lang, title: bi(lang, 'Masuk', 'Sign in'), section: null, url: new URL(c.req.url), body });
}

function registerPage(
  c: Context<AppEnv>,
  lang: Lang,
  o: { next: string; values?: Record<string, string | undefined>; errors?: Record<string, string> },
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const e = o.errors ?? {};
  const v = o.values ?? {};
  const body = html`<h1>${bi(lang, 'Daftar', 'Sign up')}</h1>
<p>${bi(lang, 'Dengan akun Anda dapat mengirim laporan dan mengikuti penanganannya.', 'With an account you can file reports and follow how they are handled.')}</p>
${formError(lang, e._)}
<form method="post" action="/daftar${lang === 'en' ? '?lang=en' : ''}" class="stack" novalidate>
  ${hidden('next', o.next)}
  ${field({ lang, name: 'name', label: bi(lang, 'Nama', 'Name'), value: v.name, error: e.name, required: true, autocomplete: 'name', maxlength: 200 })}
  ${field({ lang, name: 'email', type: 'email', label: bi(lang, 'Email', 'Email'), hint: bi(lang, 'Isi email atau nomor HP, atau keduanya.', 'Give an email or a mobile number, or both.'), value: v.email, error: e.email, autocomplete: 'email', maxlength: 254 })}
  ${field({ lang, name: 'phone', type: 'tel', label: bi(lang, 'Nomor HP', 'Mobile number'), hint: bi(lang, 'Contoh: 0812 3456 7890', 'For example: 0812 3456 7890'), value: v.phone, error: e.phone, autocomplete: 'tel', maxlength: 30 })}
  ${field({ lang, name: 'password', type: 'password', label: bi(lang, 'Kata sandi', 'Password'), hint: bi(lang, 'Minimal 8 karakter.', 'At least 8 characters.'), error: e.password, required: true, autocomplete: 'new-password', maxlength: 200 })}
  <button type="submit">${bi(lang, 'Daftar', 'Sign up')}</button>
</form>
<p>${bi(lang, 'Sudah punya akun?', 'Have an account?')} <a href="/masuk?next=${encodeURIComponent(o.next)}">${bi(lang, 'Masuk', 'Sign in')}</a></p>
`;
  return respond(c, status, { lang, title: bi(lang, 'Daftar', 'Sign up'), section: null, url: new URL(c.req.url), body });
}

function forgotPage(
  c: Context<AppEnv>,
  lang: Lang,
  o: { login?: string; sent?: boolean; errors?: Record<string, string> },
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const e = o.errors ?? {};
  const body = o.sent
    ? html`<h1>${bi(lang, 'Periksa email Anda', 'Check your email')}</h1>
<p class="notice" role="status">${bi(
        lang,
        'Bila akun itu ada dan punya email, tautan dan kode untuk membuat kata sandi baru telah dikirim. Berlaku 60 menit.',
        'If that account exists and has an email, a link and a code to set a new password have been sent. They work for 60 minutes.',
      )}</p>
<p><a href="/atur-ulang-sandi">${bi(lang, 'Saya punya kodenya', 'I have the code')}</a></p>`
    : html`<h1>${bi(lang, 'Lupa kata sandi', 'Forgot your password')}</h1>
${formError(lang, e._)}
<form method="post" action="/lupa-sandi${lang === 'en' ? '?lang=en' : ''}" class="stack" novalidate>
  ${field({ lang, name: 'login', label: bi(lang, 'Email atau nomor HP akun Anda', 'Your account’s email or mobile number'), value: o.login, error: e.login, required: true, autocomplete: 'username', maxlength: 200 })}
  <button type="submit">${bi(lang, 'Kirim tautan', 'Send the link')}</button>
</form>`;
  return respond(c, status, {
    lang,
    title: bi(lang, 'Lupa kata sandi', 'Forgot your password'),
    section: null,
    url: new URL(c.req.url),
    body,
  });
}

function resetPage(
  c: Context<AppEnv>,
  lang: Lang,
  o: { token?: string; errors?: Record<string, string> },
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const e = o.errors ?? {};
  const body = html`<h1>${bi(lang, 'Buat kata sandi baru', 'Set a new password')}</h1>
${formError(lang, e._)}
<form method="post" action="/atur-ulang-sandi${lang === 'en' ? '?lang=en' : ''}" class="stack" novalidate>
  ${field({ lang, name: 'token', label: bi(lang, 'Kode dari email', 'The code from the email'), hint: bi(lang, 'Bila Anda membuka tautan di email, kode ini sudah terisi.', 'If you opened the link in the email, it is already filled in.'), value: o.token, error: e.token, required: true, autocomplete: 'one-time-code', maxlength: 100 })}
  ${field({ lang, name: 'password', type: 'password', label: bi(lang, 'Kata sandi baru', 'New password'), hint: bi(lang, 'Minimal 8 karakter. Semua sesi akun Anda akan berakhir.', 'At least 8 characters. Every session of your account will end.'), error: e.password, required: true, autocomplete: 'new-password', maxlength: 200 })}
  <button type="submit">${bi(lang, 'Simpan kata sandi', 'Save the password')}</button>
</form>`;
  return respond(c, status, {
    lang,
    title: bi(lang, 'Buat kata sandi baru', 'Set a new password'),
    section: null,
    url: new URL(c.req.url),
    body,
  });
}
