import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, startTestApp } from '../../test/support/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('/openapi.json is an OpenAPI 3.1 document generated from the validating schemas', async () => {
  const res = await t.request('GET', '/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
  for (const path of ['/api/v1/reports', '/api/v1/reports/{trackingId}', '/api/v1/reports/{trackingId}/answer', '/api/v1/auth/login']) {
    assert.ok(res.body.paths[path], `documents ${path}`);
  }
  // The submission schema in the document is the one that validates: its constraints appear there.
  const submit = res.body.components.schemas.SubmitReport;
  assert.deepEqual(submit.required.sort(), ['body', 'incidentDate', 'title'].sort());
  assert.equal(submit.properties.title.minLength, 5);
  assert.ok(res.body.paths['/api/v1/reports'].post.requestBody.content['multipart/form-data']);
});

test('/docs is a browsable UI served without any CDN', async () => {
  const page = await t.request('GET', '/docs');
  assert.equal(page.status, 200);
  assert.match(page.text, /swagger-ui-bundle\.js/);
  assert.doesNotMatch(page.text, /https?:\/\//, 'no external assets');
  const bundle = await t.app.request('/docs/swagger-ui-bundle.js');
  assert.equal(bundle.status, 200);
  assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
});

test('/healthz answers 200 when the database answers', async () => {
  const res = await t.request('GET', '/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
});

test('unknown routes get a JSON 404', async () => {
  const res = await t.request('GET', '/api/v1/nope');
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'not_found');
});

test('reference data: regions by Kemendagri code, bodies, categories', async () => {
  const provinces = await t.request('GET', '/api/v1/regions');
  assert.equal(provinces.body.length, 38);
  const districts = await t.request('GET', '/api/v1/regions?parent=61.71');
  assert.ok(districts.body.some((r: { code: string; name: string }) => r.code === '61.71.01'));
  const bad = await t.request('GET', '/api/v1/regions?parent=abc');
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error.fields.parent);
  const bodies = await t.request('GET', '/api/v1/bodies?q=Pontianak&kind=city');
  assert.deepEqual(
    bodies.body.map((b: { name: string }) => b.name),
    ['Pemerintah Kota Pontianak'],
  );
  const units = await t.request('GET', `/api/v1/bodies?parentId=${bodies.body[0].id}`);
  assert.ok(units.body.length >= 5);
  assert.ok(units.body.every((u: { kind: string }) => u.kind === 'unit'));
  const categories = await t.request('GET', '/api/v1/categories');
  assert.ok(categories.body.some((c: { code: string }) => c.code === 'infrastruktur'));
});
