import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';
import { JSON_BODY_LIMIT, TEXT_BODY_LIMIT } from './app.ts';

let t: TestApp;
let citizen: TestUser;

before(async () => {
  t = await startTestApp({ maxAttachmentBytes: 200_000, maxAttachments: 2 });
  citizen = await t.user('reporter');
});
after(() => t.close());

describe('unknown fields are refused, never ignored', () => {
  test('unknown fields on actions and query parameters too', async () => {
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    assert.equal(filed.status, 201, filed.text);
    const close = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/close`, {
      token: citizen.token,
      json: { message: 'Selesai', pesan: 'x' },
    });
    assert.equal(close.status, 400, close.text);
    assert.match(close.body.error.fields.pesan, /"message"/);
    const feed = await t.request('GET', '/api/v1/reports?statsu=closed');
    assert.equal(feed.status, 400, feed.text);
    assert.ok(feed.body.error.fields.statsu);
  });
});

describe('validation messages say what is wrong, in both languages', () => {
  test('a 201-character title is too long, not "must be text"', async () => {
    const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ title: 'a'.repeat(201) }) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.fields.title, 'Terlalu panjang: maksimal 200 karakter / Too long: at most 200 characters');
  });

  test('page=0 is too small, not "must be a number"; page=x is not a number', async () => {
    const zero = await t.request('GET', '/api/v1/reports?page=0');
    assert.equal(zero.status, 400);
    assert.equal(zero.body.error.fields.page, 'Terlalu kecil: minimal 1 / Too small: at least 1');
    const big = await t.request('GET', '/api/v1/reports?perPage=101');
    assert.equal(big.body.error.fields.perPage, 'Terlalu besar: maksimal 100 / Too large: at most 100');
    const word = await t.request('GET', '/api/v1/reports?page=x');
    assert.equal(word.body.error.fields.page, 'Harus angka / Must be a number');
  });

  test('wrong types, formats, options and ranges each get their own bilingual message', async () => {
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({ title: 42, classification: 'keluhan', latitude: 91, longitude: 0, incidentDate: '20-11-2026', anonymous: 'ya' }),
    });
    assert.equal(res.status, 400);
    const f = res.body.error.fields;
    assert.equal(f.title, 'Harus berupa teks / Must be text');
    assert.equal(
      f.classification,
      'Salah satu dari: pengaduan, aspirasi, permintaan_informasi / One of: pengaduan, aspirasi, permintaan_informasi',
    );
    assert.equal(f.latitude, 'Terlalu besar: maksimal 90 / Too large: at most 90');
    assert.match(f.incidentDate, /ISO/);
    assert.equal(f.anonymous, 'Harus berupa true atau false (bukan string) / Must be true or false (not string)');
    for (const message of Object.values(f) as string[]) assert.match(message, / \/ /, `bilingual: ${message}`);
  });
});

describe('invisible and bidirectional characters', () => {
  test('a title made only of invisible characters is refused', async () => {
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({ title: '\u200b\u200c\u200d\u2060\ufeff\u3164\u3164' }),
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.fields.title, /tak terlihat.*invisible/);
  });

  test('bidirectional controls and zero-width spaces are removed from what is stored, in JSON and in forms', async () => {
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({
        title: 'Jalan \u202erusak\u202c di\u200b pasar',
        body: 'Laporan \u2066uji\u2069 tentang jalan yang rusak parah sekali.',
      }),
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.title, 'Jalan rusak di pasar');
    assert.equal(res.body.body, 'Laporan uji tentang jalan yang rusak parah sekali.');

    const form = new FormData();
    for (const [k, v] of Object.entries(reportInput({ title: 'Lampu \u202ejalan\u202c mati' }))) form.set(k, String(v));
    const viaForm = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
    assert.equal(viaForm.status, 201, viaForm.text);
    assert.equal(viaForm.body.title, 'Lampu jalan mati');
  });

  test('text with visible content keeps its joiners (emoji sequences)', async () => {
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({ title: 'Banjir lagi 👨‍👩‍👧 di RT 05' }),
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.title, 'Banjir lagi 👨‍👩‍👧 di RT 05');
  });
});

describe('structure', () => {
  test('a "__proto__" field is an unknown field, not a way to set others', async () => {
    const raw = JSON.stringify(reportInput()).replace(/}$/, ',"__proto__":{"anonymous":true,"secret":true}}');
    const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, raw, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400, res.text);
    assert.ok(Object.hasOwn(res.body.error.fields, '__proto__'), res.text);
    const viaConstructor = JSON.stringify(reportInput({ constructor: { prototype: { anonymous: true } } }));
    const res2 = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      raw: viaConstructor,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res2.status, 400, res2.text);
    assert.equal(({} as { anonymous?: unknown }).anonymous, undefined, 'nothing reached Object.prototype');
  });

  test('JSON nested thousands of levels deep is a 400, never a 500', async () => {
    for (const depth of [40, 8_000, 40_000]) {
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      for (const raw of [arrays, objects]) {
        const res = await t.request('POST', '/api/v1/reports', {
          token: citizen.token,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.status, raw.length > TEXT_BODY_LIMIT ? 413 : 400, `${depth}: ${res.text.slice(0, 200)}`);
        if (res.status === 400) assert.match(res.body.error.fields._, /terlalu dalam.*nested too deeply/);
      }
    }
  });
});

describe('one rule for content types', () => {
  test('anything but JSON on a JSON route is 415, whatever the route', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/api/v1/auth/login', 'text/plain'],
      ['POST', '/api/v1/auth/login', 'application/x-www-form-urlencoded'],
      ['POST', '/api/v1/auth/register', 'multipart/form-data; boundary=x'],
      ['POST', '/api/v1/reports', 'text/plain'],
      ['POST', '/api/v1/reports', 'application/x-www-form-urlencoded'],
      ['POST', '/api/v1/reports/AAAAAAAA/verify', 'application/xml'],
    ];
    for (const [method, url, type] of cases) {
      const res = await t.request(method, url, { token: citizen.token, raw: 'login=a&password=b', headers: { 'content-type': type } });
      assert.equal(res.status, 415, `${method} ${url} ${type}: ${res.text}`);
      assert.equal(res.body.error.code, 'unsupported_media_type');
      assert.match(res.body.error.message, /application\/json/);
    }
    const none = await t.request('POST', '/api/v1/auth/login', { raw: '{"login":"a","password":"b"}', headers: { 'content-type': '' } });
    assert.equal(none.status, 415, none.text);
  });

  test('multipart is taken where files are taken, and the calendar takes its CSV', async () => {
    const form = new FormData();
    form.set('message', 'Tambahan informasi dari pelapor');
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    const closeForm = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/close`, { token: citizen.token, form });
    assert.equal(closeForm.status, 415, 'close takes no files, so no multipart');
  });
});

describe('request bodies are limited per route', () => {
  test('sign-in and registration take a few kilobytes, refused from Content-Length before reading', async () => {
    const big = JSON.stringify({ login: 'a@b.id', password: 'x'.repeat(JSON_BODY_LIMIT) });
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/session']) {
      const res = await t.request('POST', url, { raw: big, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 413, `${url}: ${res.text}`);
      assert.equal(res.body.error.code, 'payload_too_large');
    }
  });

  test('a long message fits an action, a body past the text limit does not', async () => {
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    const reply = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/close`, {
      token: citizen.token,
      json: { message: 'é'.repeat(10_000) },
    });
    assert.notEqual(reply.status, 413, 'a 10,000-character message is within the limit');
    const tooBig = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/close`, {
      token: citizen.token,
      json: { message: 'x'.repeat(TEXT_BODY_LIMIT) },
    });
    assert.equal(tooBig.status, 413);
  });

  test('only uploads take megabytes', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(reportInput())) form.set(k, String(v));
    form.append('attachments', new File([new Uint8Array(150_000)], 'a.bin'));
    const upload = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
    assert.notEqual(upload.status, 413, `a 150 kB upload is within the upload limit: ${upload.text}`);
    const json = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: reportInput({ body: 'x'.repeat(150_000) }),
    });
    assert.equal(json.status, 413, 'the same size as JSON is not');
  });

  test('a chunked body without Content-Length is counted as it is read', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= JSON_BODY_LIMIT * 4) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await t.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.ok(sent < JSON_BODY_LIMIT * 4, 'reading stopped at the limit');
  });
});
