import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../test/support/app.ts';

/**
 * Attack (or an honest slip): the privacy flag sent under another name. Once, "anonim": true was
 * ignored and the report filed under the reporter's name in public. A field the API does not
 * know is refused, never ignored, and nothing is filed.
 */

let t: TestApp;
let citizen: TestUser;
let national: TestUser;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

async function myReportCount(): Promise<number> {
  const res = await t.request('GET', '/api/v1/me/reports?perPage=1', { token: citizen.token });
  assert.equal(res.status, 200, res.text);
  return res.body.total;
}

describe('a misspelled privacy flag', () => {
  test('the Indonesian "anonim" instead of "anonymous": 400 naming it, with a hint, and nothing filed', async () => {
    const before = await myReportCount();
    const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ anonim: true }) });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(Object.keys(res.body.error.fields), ['anonim']);
    assert.match(res.body.error.fields.anonim, /Kolom tidak dikenal.*"anonymous".*Unknown field.*"anonymous"/);
    assert.equal(await myReportCount(), before);
  });

  test('"rahasia" in a multipart form, and a file under an unknown field name, are refused', async () => {
    const before = await myReportCount();
    const form = new FormData();
    for (const [k, v] of Object.entries(reportInput())) form.set(k, String(v));
    form.set('rahasia', 'true');
    const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, form });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.fields.rahasia, /"secret"/);

    const withFile = new FormData();
    for (const [k, v] of Object.entries(reportInput())) withFile.set(k, String(v));
    withFile.append('foto', new File([new Uint8Array([1, 2, 3])], 'x.jpg', { type: 'image/jpeg' }));
    const refused = await t.request('POST', '/api/v1/reports', { token: citizen.token, form: withFile });
    assert.equal(refused.status, 400, refused.text);
    assert.ok(refused.body.error.fields.foto, refused.text);
    assert.equal(await myReportCount(), before);
  });

  test('a flag of the wrong type is refused, not read as false', async () => {
    const before = await myReportCount();
    for (const value of ['true', 'ya', 1, null]) {
      const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ anonymous: value }) });
      assert.equal(res.status, 400, `${JSON.stringify(value)}: ${res.text}`);
      assert.ok(res.body.error.fields.anonymous);
    }
    assert.equal(await myReportCount(), before);
  });

  test('at verification too: "rahasia" instead of "secret" is refused and the report stays as it was', async () => {
    const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
    assert.equal(filed.status, 201);
    const res = await t.request('POST', `/api/v1/reports/${filed.body.trackingId}/verify`, {
      token: national.token,
      json: { resolutionClass: 5, rahasia: true },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.fields.rahasia, /"secret"/);
    const view = await t.request('GET', `/api/v1/reports/${filed.body.trackingId}`, { token: national.token });
    assert.equal(view.body.verifiedAt, null, 'not verified by a refused request');
  });
});
