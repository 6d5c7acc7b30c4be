/**
 * Signing up, signing in and filing a report with plain forms (no JavaScript): every step a form
 * post, every error next to its field in the reader's language, and the report filed exactly as
 * the API would file it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../../test/support/app.ts';
import { pngOfSize } from '../../test/support/png.ts';

let t: TestApp;
const ORIGIN = 'http://localhost';

before(async () => {
  t = await startTestApp({ cookieSecure: false });
});
after(() => t.close());

/** A browser's form post: same-origin, with the cookies it holds. */
async function post(url: string, fields: Record<string, string> | FormData, cookie = '') {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields).toString();
  const headers: Record<string, string> = { origin: ORIGIN, ...(cookie ? { cookie } : {}) };
  if (!(fields instanceof FormData)) headers['content-type'] = 'application/x-www-form-urlencoded';
  return t.app.request(url, { method: 'POST', body, headers });
}
const get = (url: string, cookie = '') => t.app.request(url, { headers: cookie ? { cookie } : {} });
const sessionOf = (res: Response) => /lapor_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

describe('accounts with forms', () => {
  test('sign up: errors next to their fields in the reader’s language; then signed in with a cookie and sent on', async () => {
    const bad = await post('/daftar?lang=en', { name: '', email: 'bukan-email', phone: '', password: 'x', next: '/lapor' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /id="f-email-error"/);
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /value="bukan-email"/, 'what was typed is kept');
    assert.doesNotMatch(html, /Wajib diisi/, 'the English half only');

    const ok = await post('/daftar', {
      name: 'Siti Aminah',
      email: 'siti@example.test',
      phone: '',
      password: 'kata-sandi-panjang',
      next: '/lapor',
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/lapor');
    assert.ok(sessionOf(ok));
    assert.match(ok.headers.get('set-cookie') ?? '', /HttpOnly/i);
  });

  test('sign in: a wrong password is one message, no hint which part was wrong; an off-site `next` is ignored', async () => {
    await post('/daftar', { name: 'Budi', email: 'budi@example.test', phone: '', password: 'kata-sandi-panjang', next: '/' });
    const wrong = await post('/masuk', { login: 'budi@example.test', password: 'salah-sekali', next: '/lapor' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /role="alert">Login atau kata sandi salah</);
    const ok = await post('/masuk', { login: 'budi@example.test', password: 'kata-sandi-panjang', next: '//evil.example/x' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/');
    const session = sessionOf(ok)!;
    const home = await get('/', `lapor_session=${session}`);
    assert.match(await home.text(), /<a class="who" href="\/akun">Budi<\/a>/);
    assert.match(home.headers.get('cache-control') ?? '', /no-store/);
    const out = await post('/keluar', {}, `lapor_session=${session}`);
    assert.equal(out.status, 303);
    const after = await get('/lapor', `lapor_session=${session}`);
    assert.equal(after.status, 303, 'the session ended: filing asks to sign in again');
  });

  test('a form posted from another site is refused, and a body of the wrong kind is an error page, not a crash', async () => {
    await post('/daftar', { name: 'Rina', email: 'rina@example.test', phone: '', password: 'kata-sandi-panjang', next: '/' });
    const session = sessionOf(await post('/masuk', { login: 'rina@example.test', password: 'kata-sandi-panjang', next: '/' }))!;
    const cross = await t.app.request('/lapor', {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: `lapor_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'langkah=kirim&title=x',
    });
    assert.equal(cross.status, 403);
    assert.match(cross.headers.get('content-type') ?? '', /text\/html/);
    const json = await t.app.request('/masuk', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 415);
    const huge = await post('/masuk', { login: 'x'.repeat(100_000), password: 'y' });
    assert.equal(huge.status, 413);
  });
});

describe('a forgotten password, with forms', () => {
  test('the same answer whether or not the account exists; the emailed code sets a new password, and the old one stops working', async () => {
    await post('/daftar', { name: 'Lupa Sandi', email: 'lupa@example.test', phone: '', password: 'sandi-lama-panjang', next: '/' });
    const unknown = await post('/lupa-sandi', { login: 'tidak-ada@example.test' });
    const known = await post('/lupa-sandi', { login: 'lupa@example.test' });
    assert.equal(unknown.status, 200);
    assert.equal(known.status, 200);
    const strip = (html: string) => html.replace(/<a class="who"[^<]*<\/a>/, '');
    assert.equal(strip(await unknown.text()), strip(await known.text()), 'nothing tells who has an account');
    const rows = await t.deps.db.query<{ payload: { secret?: { token?: string } } }>(
      `SELECT o.payload FROM outbox o JOIN users u ON u.id = o.recipient_user_id
        WHERE o.template = 'account.password_reset' AND u.email = 'lupa@example.test'`,
    );
    const token = rows[0]?.payload.secret?.token;
    assert.ok(token, 'a reset code went to the account’s own address');
    const weak = await post('/atur-ulang-sandi?lang=en', { token, password: 'x' });
    assert.equal(weak.status, 400);
    assert.match(await weak.text(), /id="f-password-error"/);
    const wrong = await post('/atur-ulang-sandi', { token: 'bukan-kode-yang-benar', password: 'sandi-baru-panjang' });
    assert.equal(wrong.status, 400);
    const done = await post('/atur-ulang-sandi', { token, password: 'sandi-baru-panjang' });
    assert.equal(done.status, 303);
    assert.match(done.headers.get('location') ?? '', /^\/masuk\?sandi=baru/);
    assert.match(await (await get(done.headers.get('location')!)).text(), /Kata sandi baru tersimpan/);
    assert.equal((await post('/masuk', { login: 'lupa@example.test', password: 'sandi-lama-panjang', next: '/' })).status, 401);
    assert.equal((await post('/masuk', { login: 'lupa@example.test', password: 'sandi-baru-panjang', next: '/' })).status, 303);
    assert.equal((await post('/atur-ulang-sandi', { token, password: 'sandi-ketiga-panjang' })).status, 400, 'a code works once');
  });
});

describe('filing a report with forms', () => {
  let cookie = '';
  before(async () => {
    await post('/daftar', { name: 'Warga Pontianak', email: 'warga@example.test', phone: '', password: 'kata-sandi-panjang', next: '/' });
    cookie = `lapor_session=${sessionOf(await post('/masuk', { login: 'warga@example.test', password: 'kata-sandi-panjang', next: '/' }))}`;
  });

  const base = {
    classification: 'pengaduan',
    title: 'Lampu jalan mati di Gang Mawar',
    body: 'Sudah dua minggu lampu penerangan jalan di Gang Mawar mati dan jalan gelap.',
    incidentDate: '2026-11-20',
  };

  test('signed out, the form asks to sign in first and comes back to it', async () => {
    const res = await get('/lapor');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/masuk?next=%2Flapor');
  });

  test('the form: classification with a one-line help each, anonim and rahasia each explained, labels on every control', async () => {
    const html = await (await get('/lapor', cookie)).text();
    for (const k of ['pengaduan', 'aspirasi', 'permintaan_informasi']) assert.match(html, new RegExp(`id="f-cls-${k}-help"`));
    assert.match(html, /id="f-anonymous-help">Nama dan kontak Anda tidak ditampilkan/);
    assert.match(html, /id="f-secret-help">Laporan tidak ditampilkan kepada publik/);
    const ids = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*?\bid="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 10);
    for (const id of ids) assert.match(html, new RegExp(`<label for="${id}"`), `${id} has a label`);
    assert.match(html, /<select id="f-province" name="province"/);
    assert.doesNotMatch(html, /name="regency"/, 'the next level appears once a province is chosen');
  });

  test('location level by level without JavaScript: each "show" fills the next list, keeping what was typed', async () => {
    const one = await (await post('/lapor', { ...base, province: '61', langkah: 'wilayah' }, cookie)).text();
    assert.match(one, /<select id="f-regency" name="regency"/);
    assert.match(one, /<option value="61.71">KOTA PONTIANAK<\/option>|<option value="61.71">Kota Pontianak<\/option>/i);
    assert.match(one, /value="Lampu jalan mati di Gang Mawar"/);
    const two = await (await post('/lapor', { ...base, province: '61', regency: '61.71', langkah: 'wilayah' }, cookie)).text();
    assert.match(two, /<select id="f-district" name="district"/);
    // the suggested bodies now include the city's government
    assert.match(two, /Pemerintah Kota Pontianak/);
    // a regency outside the province is dropped, never trusted
    const mixed = await (await post('/lapor', { ...base, province: '61', regency: '18.72', langkah: 'wilayah' }, cookie)).text();
    assert.doesNotMatch(mixed, /name="district"/);
  });

  test('errors come back next to their fields, in the reader’s language, with the draft kept', async () => {
    const res = await post(
      '/lapor?lang=en',
      { ...base, title: 'abc', body: 'pendek', incidentDate: '2099-01-01', langkah: 'periksa' },
      cookie,
    );
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /id="f-title-error">At least 5 characters</);
    assert.match(html, /id="f-body-error">At least 20 characters</);
    assert.match(html, /id="f-incidentDate-error"/);
    assert.match(html, /aria-describedby="f-title-hint f-title-error"/);
    assert.match(html, /value="abc"/);
  });

  test('review names who will receive it; sending with a photo files the report and opens its tracking page', async () => {
    const pontianak = await t.bodyId('pemkot-61.71');
    const fields = { ...base, province: '61', regency: '61.71', suggestedBodyId: String(pontianak), anonymous: 'true', langkah: 'periksa' };
    const review = await post('/lapor', fields, cookie);
    assert.equal(review.status, 200);
    const html = await review.text();
    assert.match(html, /Siapa yang menerima/);
    assert.match(html, /diteruskan kepada Pemerintah Kota Pontianak/);
    assert.match(html, /Anonim: nama Anda tidak ditampilkan/);
    assert.match(html, /enctype="multipart\/form-data"/);
    assert.match(html, /<input type="hidden" name="regency" value="61.71">/);

    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, langkah: 'kirim' })) form.set(k, v);
    form.append('attachments', new File([pngOfSize(640, 480)], 'rumah-saya.png', { type: 'image/png' }));
    const sent = await post('/lapor', form, cookie);
    assert.equal(sent.status, 303, await sent.clone().text());
    const location = sent.headers.get('location') ?? '';
    const trackingId = /^\/laporan\/([A-Z0-9]{8})\?terkirim=1$/.exec(location)?.[1];
    assert.ok(trackingId, location);
    const report = await t.deps.db.query<{ is_anonymous: boolean; region_code: string; suggested_body_id: number; channel: string }>(
      'SELECT is_anonymous, region_code, suggested_body_id, channel FROM reports WHERE tracking_id = $1',
      [trackingId],
    );
    assert.deepEqual(report[0], { is_anonymous: true, region_code: '61.71', suggested_body_id: pontianak, channel: 'web' });
    const files = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.tracking_id = $1',
      [trackingId],
    );
    assert.equal(files[0]!.n, 1);
    const page = await (await get(location, cookie)).text();
    assert.match(page, /Laporan terkirim/);
    assert.ok(page.includes('Lampu jalan mati di Gang Mawar'));
  });

  test('optional coordinates: typed with a comma or a dot they are kept; one without the other, or words, are refused by the field', async () => {
    const bad = await post('/lapor', { ...base, latitude: 'utara', longitude: '', langkah: 'periksa' }, cookie);
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /id="f-latitude-error"|id="f-longitude-error"/);
    assert.match(badHtml, /<details open>/, 'the coordinates are shown open when they have an error');
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...base, latitude: '-0,0263', longitude: '109.3425', langkah: 'kirim' })) form.set(k, v);
    const sent = await post('/lapor', form, cookie);
    assert.equal(sent.status, 303, await sent.clone().text());
    const trackingId = /\/laporan\/([A-Z0-9]{8})/.exec(sent.headers.get('location') ?? '')![1];
    const rows = await t.deps.db.query<{ latitude: number; longitude: number }>(
      'SELECT latitude, longitude FROM reports WHERE tracking_id = $1',
      [trackingId],
    );
    assert.deepEqual(rows[0], { latitude: -0.0263, longitude: 109.3425 });
  });

  test('a file that is not what it claims stays on the review step with the error, the draft intact', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...base, langkah: 'kirim' })) form.set(k, v);
    form.append('attachments', new File([new TextEncoder().encode('MZ not a picture')], 'foto.jpg', { type: 'image/jpeg' }));
    const res = await post('/lapor', form, cookie);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /id="f-attachments-error"/);
    assert.match(html, /<input type="hidden" name="title" value="Lampu jalan mati di Gang Mawar">/);
  });

  test('staff cannot file; the page says why', async () => {
    const officer = await t.user('agency_admin', 'pemkot-61.71');
    const { openSession } = await import('../features/accounts/accounts.service.ts');
    const { token } = await openSession(t.deps.db, t.deps.config, officer.principal.userId, 'cookie', new Date());
    const res = await get('/lapor', `lapor_session=${token}`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Akun petugas tidak dapat mengirim laporan/);
  });
});

describe('the optional map (MAP_TILE_URL)', () => {
  const TILES = 'https://tiles.example.test/osm/{z}/{x}/{y}.png';
  let m: TestApp;
  let plainCookie = '';
  let mapCookie = '';
  const cookieIn = async (app: TestApp) => {
    const user = await app.user('reporter');
    const { openSession } = await import('../features/accounts/accounts.service.ts');
    return `lapor_session=${(await openSession(app.deps.db, app.deps.config, user.principal.userId, 'cookie', new Date())).token}`;
  };
  before(async () => {
    m = await startTestApp({
      cookieSecure: false,
      map: { tileUrl: TILES, tileOrigin: 'https://tiles.example.test', attribution: '© <Peta> "Kita"', attributionUrl: null },
    });
    plainCookie = await cookieIn(t);
    mapCookie = await cookieIn(m);
  });
  after(() => m?.close());

  const imgSrc = (res: Response) => /img-src ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];

  test('without it: no map button, and the page may load images from itself only', async () => {
    const res = await get('/lapor', plainCookie);
    const html = await res.text();
    assert.doesNotMatch(html, /data-map|f-map/);
    assert.match(html, /id="f-latitude"/);
    assert.equal(imgSrc(res), "'self' data: blob:");
  });

  test('with it: a labelled button (hidden until the script runs), a labelled panel with the instructions, nothing of the map loaded', async () => {
    for (const [lang, button, label, typed] of [
      ['id', 'Tampilkan peta', 'Peta lokasi kejadian', /tetap dapat diketik langsung/],
      ['en', 'Show map', 'Map of the place it happened', /can still be typed instead/],
    ] as const) {
      const res = await m.app.request(`/lapor?lang=${lang}`, { headers: { cookie: mapCookie } });
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(
        html,
        new RegExp(`<button type="button" class="secondary" data-map [^>]*aria-controls="f-map-panel"[^>]* hidden>${button}</button>`),
      );
      assert.match(html, new RegExp(`id="f-map" role="region" aria-label="${label}" aria-describedby="f-map-help"`));
      assert.match(html, typed);
      assert.match(html, /tiles\.example\.test/, 'the note names where the pictures come from');
      // the credit is an attribute's text, escaped: it reaches Leaflet as text, never as markup
      assert.match(html, /data-attribution="© &lt;Peta&gt; &quot;Kita&quot;"/);
      // the map's script and stylesheet are addresses on the button, not loaded by the page
      const js = /data-js="(\/assets\/map\.[0-9a-f]{10}\.js)"/.exec(html)?.[1];
      const css = /data-css="(\/assets\/map\.[0-9a-f]{10}\.css)"/.exec(html)?.[1];
      assert.ok(js && css);
      assert.doesNotMatch(html, /<script[^>]+map\.|<link[^>]+map\./);
      const script = await m.app.request(js);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
      const code = await script.text();
      assert.match(code, /Leaflet 1\.9\.4/, 'Leaflet, its licence comment kept');
      assert.match(code, /laporMap/, 'and the form’s map code');
      assert.doesNotMatch(code, /sourceMappingURL/);
      const sheet = await m.app.request(css);
      assert.match(sheet.headers.get('content-type') ?? '', /text\/css/);
      assert.match(await sheet.text(), /\.leaflet-container[\s\S]*\.map-pin/);
    }
  });

  test('the form’s policy adds exactly the tile origin to img-src; no other page gets it', async () => {
    const form = await m.app.request('/lapor', { headers: { cookie: mapCookie } });
    assert.equal(imgSrc(form), "'self' data: blob: https://tiles.example.test");
    assert.match(form.headers.get('content-security-policy') ?? '', /connect-src 'self';/);
    for (const path of ['/', '/tentang', '/laporan', '/lapor/x']) {
      const res = await m.app.request(path);
      assert.equal(imgSrc(res), "'self' data: blob:", path);
    }
  });
});
