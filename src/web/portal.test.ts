/**
 * The citizen portal over HTTP, without a browser: every page is whole HTML, in both languages,
 * and shows exactly what the API's public projection shows — never a secret report, an unverified
 * one, or an anonim reporter's identity. (Browser tests: portal.browser.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { openSession } from '../features/accounts/accounts.service.ts';

let t: TestApp;
let citizen: TestUser;
let anon: TestUser;
let national: TestUser;
let pontianak = 0;
const ids = { open: '', secret: '', unverified: '', anonymous: '', script: '' };

async function file(user: TestUser, overrides: Record<string, unknown>, verify = true): Promise<string> {
  const res = await t.request('POST', '/api/v1/reports', { token: user.token, json: reportInput(overrides) });
  assert.equal(res.status, 201, res.text);
  const id = res.body.trackingId as string;
  if (verify) {
    const v = await t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 14 } });
    assert.equal(v.status, 200, v.text);
  }
  return id;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await t.request('GET', url, { headers });
  return { ...res, html: res.text };
}

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  anon = await t.user('reporter');
  national = await t.user('national_admin');
  pontianak = await t.bodyId('pemkot-61.71');
  ids.open = await file(citizen, { title: 'Jembatan gantung Sungai Jawi rusak', suggestedBodyId: pontianak });
  const r = await t.request('POST', `/api/v1/reports/${ids.open}/route`, { token: national.token, json: { bodyId: pontianak } });
  assert.equal(r.status, 200, r.text);
  ids.secret = await file(citizen, { title: 'Pungutan liar di kantor kelurahan', secret: true });
  ids.unverified = await file(citizen, { title: 'Sampah menumpuk di pasar belum diverifikasi' }, false);
  ids.anonymous = await file(anon, { title: 'Antrean BPJS terlalu lama', anonymous: true });
  ids.script = await file(citizen, { title: 'Judul <script>alert(1)</script> aneh' });
});
after(() => t.close());

describe('home', () => {
  test('Bahasa Indonesia first: the search box with its label, the counters and "Buat laporan"', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.html, /<html lang="id">/);
    assert.match(res.html, /<h1>Sampaikan laporan Anda<\/h1>/);
    assert.match(res.html, /<form class="search" action="\/laporan" method="get"/);
    assert.match(res.html, /<label for="q">Nomor pelacakan atau kata kunci/);
    assert.match(res.html, /<input id="q" name="q"/);
    assert.match(res.html, /href="\/lapor">Buat laporan</);
    // No inline script: the one script is the island's file, deferred; the page is whole without it.
    const scripts = res.html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]!, /^<script src="\/assets\/portal\.[0-9a-f]{10}\.js" defer>$/);
  });

  test('the counters count public reports only: not the secret one, not the unverified one', async () => {
    const res = await get('/');
    const received = /<li><strong>(\d+)<\/strong>Diterima<\/li>/.exec(res.html)?.[1];
    // open, anonymous, script: three public reports; secret and unverified are not counted
    assert.equal(received, '3');
    assert.ok(!res.html.includes('Pungutan liar'));
  });

  test('English one click away, remembered in a cookie; the switch link keeps the page', async () => {
    const res = await get('/?lang=en');
    assert.match(res.html, /<html lang="en">/);
    assert.match(res.html, /<h1>Tell us what went wrong<\/h1>/);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /lapor_lang=en/);
    const again = await get('/laporan', { cookie: 'lapor_lang=en' });
    assert.match(again.html, /<html lang="en">/);
    assert.match(again.html, /href="\/laporan\?lang=id"[^>]*>Bahasa Indonesia</);
    const bogus = await get('/?lang=xx');
    assert.match(bogus.html, /<html lang="id">/);
  });
});

describe('the public feed', () => {
  test('lists public reports only, newest first, with status in words', async () => {
    const res = await get('/laporan');
    assert.equal(res.status, 200);
    assert.ok(res.html.includes('Jembatan gantung Sungai Jawi rusak'));
    assert.ok(res.html.includes('Antrean BPJS terlalu lama'));
    assert.ok(!res.html.includes('Pungutan liar'), 'a secret report never appears');
    assert.ok(!res.html.includes('belum diverifikasi'), 'an unverified report is not public yet');
    assert.ok(res.html.includes('Terdisposisi – Belum Ditindaklanjuti'));
    assert.match(res.html, /3 laporan/);
  });

  test('keyword search and filters; malformed filters are ignored, never a 500', async () => {
    const q = await get('/laporan?q=jembatan');
    assert.ok(q.html.includes('Jembatan gantung'));
    assert.ok(!q.html.includes('Antrean BPJS'));
    assert.match(q.html, /value="jembatan"/);
    const status = await get('/laporan?status=dispositioned');
    assert.ok(status.html.includes('Jembatan gantung') && !status.html.includes('Antrean BPJS'));
    assert.match(status.html, /<option value="dispositioned" selected>/);
    for (const bad of ['?status=nope', '?page=-3', '?page=abc', '?categoryId=1e9', '?regionCode=%27%3B', `?q=${'x'.repeat(5000)}`]) {
      const res = await get(`/laporan${bad}`);
      assert.equal(res.status, 200, bad);
    }
  });

  test('filter by body, typed by part of its name; an unknown name says so and filters nothing', async () => {
    const res = await get('/laporan?instansi=kota%20pontianak');
    assert.ok(res.html.includes('Jembatan gantung'), 'the routed report');
    assert.ok(!res.html.includes('Antrean BPJS'), 'reports no body holds yet are left out');
    assert.match(res.html, /Disaring: Pemerintah Kota Pontianak/);
    const none = await get('/laporan?instansi=tidak%20ada%20sama%20sekali');
    assert.match(none.html, /Tidak ada instansi dengan nama itu/);
    assert.match(none.html, /3 laporan/);
  });

  test('a tracking ID in the search box opens the report (any case, with a dash); a secret one is not found', async () => {
    const dashed = `${ids.open.slice(0, 4).toLowerCase()}-${ids.open.slice(4).toLowerCase()}`;
    const res = await get(`/laporan?q=${dashed}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/laporan/${ids.open}`);
    const secret = await get(`/laporan?q=${ids.secret}`);
    assert.equal(secret.status, 200, 'searched as words instead: the secret report does not exist for the public');
    assert.ok(!secret.html.includes('Pungutan liar'));
  });

  test('a title is text, never markup', async () => {
    const res = await get('/laporan');
    assert.ok(!res.html.includes('<script>alert(1)</script>'));
    assert.ok(res.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});

describe('the tracking page', () => {
  test('status in words, who holds it, the running deadline and what is left, the timeline', async () => {
    const res = await get(`/laporan/${ids.open}`);
    assert.equal(res.status, 200);
    assert.match(res.html, /<h1>Jembatan gantung Sungai Jawi rusak<\/h1>/);
    assert.ok(res.html.includes('Terdisposisi – Belum Ditindaklanjuti'));
    assert.ok(res.html.includes('Pemerintah Kota Pontianak'));
    assert.match(res.html, /Batas tindak lanjut pertama|tindak lanjut/i);
    assert.match(res.html, /sisa \d+ hari kerja/);
    assert.ok(res.html.includes('Laporan diterima') && res.html.includes('Diteruskan ke instansi'));
    const en = await get(`/laporan/${ids.open}?lang=en`);
    assert.match(en.html, /\d+ working days left/);
    assert.ok(en.html.includes('Report received'));
  });

  test('an anonim reporter is never named; the public reads neutral file names', async () => {
    const res = await get(`/laporan/${ids.anonymous}`);
    assert.equal(res.status, 200);
    assert.ok(!res.html.includes(anon.name), 'the anonim reporter’s name is not on the page');
    assert.ok(!res.html.includes(anon.email));
    assert.ok(res.html.includes('Pelapor anonim'));
    const named = await get(`/laporan/${ids.open}`);
    assert.ok(named.html.includes(citizen.name), 'a reporter who is not anonim is named to the public');
    assert.ok(!named.html.includes(citizen.email), 'but never their email');
  });

  test('a secret or unverified report is not found for the public, and is there for its own reporter', async () => {
    for (const id of [ids.secret, ids.unverified]) {
      const res = await get(`/laporan/${id}`);
      assert.equal(res.status, 404);
      assert.match(res.html, /Laporan tidak ditemukan/);
      assert.ok(!res.html.includes('Pungutan liar') && !res.html.includes('Sampah menumpuk'));
    }
    const { token } = await openSession(t.deps.db, t.deps.config, citizen.principal.userId, 'cookie', new Date());
    const own = await get(`/laporan/${ids.secret}`, { cookie: `lapor_session=${token}` });
    assert.equal(own.status, 200);
    assert.ok(own.html.includes('Pungutan liar di kantor kelurahan'));
    const other = await openSession(t.deps.db, t.deps.config, anon.principal.userId, 'cookie', new Date());
    assert.equal((await get(`/laporan/${ids.secret}`, { cookie: `lapor_session=${other.token}` })).status, 404);
  });

  test('nonsense tracking IDs are a 404 page, never a 500', async () => {
    for (const id of ['x', 'ZZZZZZZZ', '%00', 'a'.repeat(300), '..%2f..%2fetc']) {
      const res = await get(`/laporan/${id}`);
      assert.equal(res.status, 404, id);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    }
  });
});

describe('statistics', () => {
  test('public reports only, each chart a table with a caption; the secret report is not counted', async () => {
    const res = await get('/statistik');
    assert.equal(res.status, 200);
    assert.match(res.html, /3 laporan publik/);
    assert.match(res.html, /<caption>Menurut status<\/caption>/);
    assert.match(res.html, /<caption>Menurut provinsi<\/caption>/);
    assert.match(
      res.html,
      /<th scope="row">KALIMANTAN BARAT<\/th><td class="num">3<\/td>|<th scope="row">Kalimantan Barat<\/th><td class="num">3<\/td>/i,
    );
    assert.doesNotMatch(res.html, /style=/, 'no inline style: the policy forbids it');
    const en = await get('/statistik?lang=en');
    assert.match(en.html, /<caption>By classification<\/caption>/);
  });
});

describe('the portal and the API side by side', () => {
  test('an unknown page is an HTML 404 in the reader’s language; an unknown API path stays JSON', async () => {
    const page = await get('/tidak-ada?lang=en');
    assert.equal(page.status, 404);
    assert.match(page.html, /<html lang="en">/);
    assert.match(page.html, /Page not found/);
    const api = await get('/api/v1/tidak-ada');
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'not_found');
  });

  test('pages carry a policy that allows only their own stylesheet and scripts; the stylesheet is cached for good', async () => {
    const res = await get('/tentang');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    const css = /href="(\/assets\/portal\.[0-9a-f]{10}\.css)"/.exec(res.html)?.[1];
    assert.ok(css);
    const sheet = await get(css);
    assert.equal(sheet.status, 200);
    assert.match(sheet.headers.get('cache-control') ?? '', /immutable/);
    assert.match(sheet.headers.get('content-type') ?? '', /text\/css/);
    assert.equal((await get('/assets/portal.0000000000.css')).status, 404);
    const js = /src="(\/assets\/portal\.[0-9a-f]{10}\.js)"/.exec(res.html)?.[1];
    assert.ok(js);
    const script = await get(js);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    const worker = await get('/sw.js');
    assert.equal(worker.status, 200);
    assert.match(worker.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(worker.headers.get('cache-control'), 'no-cache', 'the browser checks the worker for a new version');
  });

  test('pages and the stylesheet are sent gzipped to a browser that takes it', async () => {
    for (const url of ['/', '/laporan']) {
      const res = await t.app.request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(res.headers.get('content-encoding'), 'gzip', url);
    }
    const plain = await t.app.request('/');
    assert.equal(plain.headers.get('content-encoding'), null, 'and plain to one that does not');
  });

  test('the about page explains the journey and its deadlines in both languages', async () => {
    const id = await get('/tentang');
    assert.match(id.html, /paling lama 3 hari kerja/);
    assert.match(id.html, /Anonim/);
    const en = await get('/tentang?lang=en');
    assert.match(en.html, /within 3 working days/);
  });
});
