/**
 * Open311 GeoReport v2, in-process: every endpoint in JSON and XML, the spec's error list for
 * bad input (never a 500), what the public may see (never a secret or unverified report, never a
 * reporter), the one intake (stored raw, a retry is one report), tokens. The npm client's run
 * over HTTP is open311.client.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Open311ApiKey, readOpen311Keys } from '../../config.ts';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { parseXmlDocument, toSpark } from '../../../test/support/open311-client.ts';
import { processInbound, storeInbound } from '../channels/intake.ts';
import { checkApiKeyBodies, messageIdFor } from './open311.service.ts';

const GENCIL: Open311ApiKey = { name: 'gencil', secret: 'gencil-test-secret-0123456789abcdef', bodyCode: 'pemkot-61.71' };
const NATIONAL_APP: Open311ApiKey = { name: 'nasional', secret: 'nasional-test-secret-0123456789abcd', bodyCode: null };

let t: TestApp;
let national: TestUser;
let seq = 0;

before(async () => {
  t = await startTestApp({ open311ApiKeys: [GENCIL, NATIONAL_APP] });
  national = await t.user('national_admin');
});
after(() => t.close());

type Fields = Record<string, string | string[]>;

function form(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
}

/** A request as an app posts it; each call differs (its description), unless `fields` says otherwise. */
function request(fields: Fields = {}): Fields {
  seq += 1;
  return {
    api_key: GENCIL.secret,
    service_code: 'infrastruktur.jalan',
    lat: '-0.0263',
    long: '109.3425',
    description: `Jalan berlubang besar di Jl. Gajah Mada nomor ${seq}, membahayakan pengendara motor.`,
    email: `warga${seq}@example.com`,
    first_name: 'Budi',
    last_name: 'Santoso',
    ...fields,
  };
}

function post(fields: Fields, format: 'json' | 'xml' = 'json') {
  return t.request('POST', `/open311/v2/requests.${format}`, {
    raw: form(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  });
}

/** An XML answer read by the Spark convention (the spec's JSON twin). */
function spark(text: string): any {
  return toSpark(parseXmlDocument(text));
}

async function count(table: string): Promise<number> {
  const [row] = await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

async function filed(fields: Fields = {}): Promise<string> {
  const res = await post(request(fields));
  assert.equal(res.status, 200, res.text);
  return res.body[0].service_request_id as string;
}

async function verify(id: string): Promise<void> {
  const res = await t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 5 } });
  assert.equal(res.status, 200, res.text);
}

function assertErrors(res: { status: number; body: any; headers: Headers }, status: number, pattern?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
  assert.ok(Array.isArray(res.body) && res.body.length > 0, JSON.stringify(res.body));
  for (const e of res.body) {
    assert.equal(e.code, status);
    assert.equal(typeof e.description, 'string');
  }
  if (pattern)
    assert.ok(
      res.body.some((e: { description: string }) => pattern.test(e.description)),
      JSON.stringify(res.body),
    );
}

describe('discovery, services and service definitions', () => {
  test('discovery in JSON and XML names the GeoReport v2 endpoint and both formats', async () => {
    const json = await t.request('GET', '/open311/v2/discovery.json');
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type')!, /^application\/json; charset=utf-8/);
    assert.equal(json.body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.equal(json.body.endpoints[0].url, 'http://localhost/open311/v2');
    assert.deepEqual(json.body.endpoints[0].formats, ['text/xml', 'application/json']);
    for (const field of ['changeset', 'contact', 'key_service']) assert.equal(typeof json.body[field], 'string');

    const xml = await t.request('GET', '/open311/v2/discovery.xml');
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type')!, /^text\/xml; charset=utf-8/);
    assert.match(xml.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery>/);
    const doc = spark(xml.text);
    assert.equal(doc.endpoints[0].url, 'http://localhost/open311/v2');
    assert.deepEqual(doc.endpoints[0].formats, ['text/xml', 'application/json']);
  });

  test('services are the national categories a citizen may choose, grouped under their top-level category', async () => {
    const res = await t.request('GET', '/open311/v2/services.json');
    assert.equal(res.status, 200);
    const roads = res.body.find((s: { service_code: string }) => s.service_code === 'infrastruktur.jalan');
    assert.deepEqual(roads, {
      service_code: 'infrastruktur.jalan',
      service_name: 'Jalan Rusak',
      description: 'Jalan Rusak / Damaged roads',
      metadata: true,
      type: 'realtime',
      keywords: 'Damaged roads, Infrastruktur, Infrastructure',
      group: 'Infrastruktur',
    });
    assert.ok(res.body.some((s: { service_code: string; group: string }) => s.service_code === 'lainnya' && s.group === 'Lainnya'));

    const xml = await t.request('GET', '/open311/v2/services.xml');
    assert.equal(xml.status, 200);
    const services = spark(xml.text);
    assert.equal(services.length, res.body.length);
    assert.equal(services.find((s: { service_code: string }) => s.service_code === 'infrastruktur.jalan').group, 'Infrastruktur');
  });

  test("a retired category, and a body's own one, are not services", async () => {
    const bodyId = await t.bodyId('pemkot-61.71');
    const [parent] = await t.deps.db.query<{ id: number }>(`SELECT id FROM categories WHERE code = 'infrastruktur'`);
    await t.deps.db.query(
      `INSERT INTO categories (code, parent_id, body_id, name_id, name_en) VALUES ($1, $2, $3, 'Parit Kota', 'City ditches')`,
      ['pemkot-61.71:infrastruktur.parit', parent!.id, bodyId],
    );
    await t.deps.db.query(
      `INSERT INTO categories (code, parent_id, name_id, name_en, active) VALUES ('infrastruktur.lama', $1, 'Lama', 'Old', false)`,
      [parent!.id],
    );
    const codes = (await t.request('GET', '/open311/v2/services.json')).body.map((s: { service_code: string }) => s.service_code);
    assert.ok(!codes.includes('pemkot-61.71:infrastruktur.parit'));
    assert.ok(!codes.includes('infrastruktur.lama'));
    assertErrors(await t.request('GET', '/open311/v2/services/infrastruktur.lama.json'), 404);
    assert.equal((await post(request({ service_code: 'pemkot-61.71:infrastruktur.parit' }))).status, 404);
  });

  test('a service definition lists the attributes, in JSON and XML; an unknown service is 404 in both', async () => {
    const res = await t.request('GET', '/open311/v2/services/infrastruktur.jalan.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.service_code, 'infrastruktur.jalan');
    assert.deepEqual(
      res.body.attributes.map((a: { code: string }) => a.code),
      ['classification', 'title', 'incident_date', 'anonymous', 'secret'],
    );
    const classification = res.body.attributes[0];
    assert.equal(classification.datatype, 'singlevaluelist');
    assert.equal(classification.required, false);
    assert.deepEqual(
      classification.values.map((v: { key: string }) => v.key),
      ['pengaduan', 'aspirasi', 'permintaan_informasi'],
    );

    const xml = await t.request('GET', '/open311/v2/services/infrastruktur.jalan.xml');
    assert.equal(xml.status, 200);
    const doc = spark(xml.text);
    assert.equal(doc.service_code, 'infrastruktur.jalan');
    assert.equal(doc.attributes.length, 5);
    assert.equal(doc.attributes[2].datatype, 'datetime');

    assertErrors(await t.request('GET', '/open311/v2/services/tidak-ada.json'), 404, /service_code/);
    const xmlMissing = await t.request('GET', '/open311/v2/services/tidak-ada.xml');
    assert.equal(xmlMissing.status, 404);
    assert.match(xmlMissing.headers.get('content-type')!, /^text\/xml/);
    const errors = spark(xmlMissing.text);
    assert.equal(errors[0].code, 404);
    assert.match(errors[0].description, /service_code/);
  });
});

describe('POST requests: a report through the one intake', () => {
  test('a request becomes a report at once, its tracking ID the service_request_id; the raw form is stored first', async () => {
    const before = await count('reports');
    const fields = request({ 'attribute[classification]': 'aspirasi', address_string: 'Jl. Gajah Mada depan SDN 12' });
    const res = await post(fields);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.length, 1);
    const id: string = res.body[0].service_request_id;
    assert.match(id, /^[34679AFHKMNPRXY]{8}$/);
    assert.equal(res.body[0].token, undefined, 'a token only when there is no ID yet');
    assert.match(res.body[0].service_notice, /3 hari kerja/);
    assert.equal(await count('reports'), before + 1);

    const [report] = await t.deps.db.query<Record<string, any>>(
      `SELECT r.channel, r.classification, r.title, r.body, r.region_code, r.latitude, r.longitude, r.is_anonymous, r.is_secret,
              c.code AS category, sb.code AS suggested, u.name, u.email, u.phone, u.password_hash, r.channel_message, r.reporter_id
         FROM reports r JOIN users u ON u.id = r.reporter_id JOIN categories c ON c.id = r.category_id
         LEFT JOIN bodies sb ON sb.id = r.suggested_body_id
        WHERE r.tracking_id = $1`,
      [id],
    );
    assert.equal(report!.channel, 'open311');
    assert.equal(report!.classification, 'aspirasi');
    assert.equal(report!.category, 'infrastruktur.jalan');
    assert.equal(report!.suggested, 'pemkot-61.71', "the key's body");
    assert.equal(report!.region_code, '61.71', "the key's body lends its region");
    assert.equal(report!.latitude, -0.0263);
    assert.equal(report!.longitude, 109.3425);
    assert.equal(report!.title, `Jalan berlubang besar di Jl`);
    assert.match(report!.body, /\n\nLokasi \/ Location: Jl\. Gajah Mada depan SDN 12$/);
    assert.equal(report!.name, 'Budi Santoso');
    assert.equal(report!.email, null, 'an address an app typed is not taken as the account’s');
    assert.equal(report!.phone, null);
    assert.equal(report!.password_hash, null);
    assert.equal(report!.channel_message.email, fields.email);
    assert.equal(report!.channel_message.from, `gencil/email:${fields.email}`);

    const [identity] = await t.deps.db.query<{ channel: string; handle: string; user_id: number }>(
      `SELECT channel, handle, user_id FROM channel_identities WHERE user_id = $1`,
      [report!.reporter_id],
    );
    assert.deepEqual(identity, { channel: 'open311', handle: `gencil/email:${fields.email}`, user_id: report!.reporter_id });

    const [message] = await t.deps.db.query<Record<string, any>>(
      `SELECT m.channel, m.gateway, m.status, m.outcome, m.raw, m.text, m.sender, r.tracking_id
         FROM inbound_messages m JOIN reports r ON r.id = m.report_id WHERE r.tracking_id = $1`,
      [id],
    );
    assert.equal(message!.channel, 'open311');
    assert.equal(message!.gateway, 'gencil');
    assert.equal(message!.status, 'processed');
    assert.equal(message!.outcome, 'report');
    assert.equal(message!.raw.fields.api_key, undefined, 'the secret is never stored');
    assert.equal(message!.raw.fields.description, fields.description);
    assert.equal(message!.sender, `gencil/email:${fields.email}`);
  });

  test('the same citizen is one reporter; another app saying the same email is another', async () => {
    const email = 'sama@example.com';
    const a = await filed({ email });
    const b = await filed({ email });
    const c = await (async () => {
      const res = await post(request({ email, api_key: NATIONAL_APP.secret }));
      assert.equal(res.status, 200, res.text);
      return res.body[0].service_request_id as string;
    })();
    const rows = await t.deps.db.query<{
      tracking_id: string;
      reporter_id: number;
      suggested_body_id: number | null;
      region_code: string | null;
    }>('SELECT tracking_id, reporter_id, suggested_body_id, region_code FROM reports WHERE tracking_id = ANY($1::text[])', [[a, b, c]]);
    const by = new Map(rows.map((r) => [r.tracking_id, r]));
    assert.equal(by.get(a)!.reporter_id, by.get(b)!.reporter_id);
    assert.notEqual(by.get(a)!.reporter_id, by.get(c)!.reporter_id);
    assert.equal(by.get(c)!.suggested_body_id, null, 'a national app suggests no body');
    assert.equal(by.get(c)!.region_code, null);
  });

  test('the attributes: title, incident date, anonim and rahasia, address_id as a region code', async () => {
    const id = await filed({
      'attribute[title]': 'Lubang besar di Gajah Mada',
      'attribute[incident_date]': '2026-11-20T08:30:00+07:00',
      'attribute[anonymous]': 'true',
      'attribute[secret]': 'true',
      address_id: '61.71.01',
    });
    const [r] = await t.deps.db.query<Record<string, unknown>>(
      `SELECT title, incident_date::text AS incident_date, is_anonymous, is_secret, region_code FROM reports WHERE tracking_id = $1`,
      [id],
    );
    assert.deepEqual(r, {
      title: 'Lubang besar di Gajah Mada',
      incident_date: '2026-11-20',
      is_anonymous: true,
      is_secret: true,
      region_code: '61.71.01',
    });
    // without the attribute: the day it arrived, in WIB
    const today = await filed();
    const [d] = await t.deps.db.query<{ incident_date: string }>(
      `SELECT incident_date::text AS incident_date FROM reports WHERE tracking_id = $1`,
      [today],
    );
    assert.equal(d!.incident_date, '2026-11-24');
  });

  test('the answer in XML', async () => {
    const res = await post(request(), 'xml');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type')!, /^text\/xml; charset=utf-8/);
    const doc = spark(res.text);
    assert.match(String(doc[0].service_request_id), /^[34679AFHKMNPRXY]{8}$/);
  });

  test('the same POST sent again (a client retry) is one message and one report, answered with the same ID', async () => {
    const fields = request({ device_id: 'android-7f3a' });
    const reports = await count('reports');
    const first = await post(fields);
    const again = await post(fields);
    assert.equal(first.status, 200, first.text);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body[0].service_request_id, first.body[0].service_request_id);
    // at the same moment, too
    const twin = request({ device_id: 'android-7f3b' });
    const [x, y] = await Promise.all([post(twin), post(twin)]);
    assert.deepEqual([x.status, y.status], [200, 200]);
    const ids = [x.body[0].service_request_id ?? x.body[0].token, y.body[0].service_request_id ?? y.body[0].token];
    assert.equal(await count('reports'), reports + 2);
    const messages = await t.deps.db.query(
      `SELECT id FROM inbound_messages WHERE channel = 'open311' AND raw->'fields'->>'device_id' IN ('android-7f3a', 'android-7f3b')`,
    );
    assert.equal(messages.length, 2);
    assert.ok(ids.every(Boolean));
  });

  test('a request stored but not handled yet is answered with a token, which gives the ID once it is handled', async () => {
    const fields = request();
    const { api_key: _secret, ...kept } = fields;
    // stored by an earlier POST whose handling did not finish (a crash): pending
    const stored = await storeInbound(t.deps.db, {
      channel: 'open311',
      gateway: GENCIL.name,
      messageId: messageIdFor(GENCIL, fields),
      sender: null,
      receiver: null,
      text: String(fields.description),
      raw: { fields: kept },
      receivedAt: t.deps.now(),
    });
    const res = await post(fields);
    assert.equal(res.status, 200, res.text);
    const token: string = res.body[0].token;
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(res.body[0].service_request_id, undefined);

    const pending = await t.request('GET', `/open311/v2/tokens/${token}.json`);
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body, [{ token }]);

    await processInbound(t.deps, stored.id);
    const done = await t.request('GET', `/open311/v2/tokens/${token}.json`);
    assert.equal(done.status, 200);
    assert.match(done.body[0].service_request_id, /^[34679AFHKMNPRXY]{8}$/);
    assert.equal(done.body[0].token, token);
    const [xml] = spark((await t.request('GET', `/open311/v2/tokens/${token}.xml`)).text);
    assert.equal(String(xml.service_request_id), done.body[0].service_request_id);
    assert.equal(xml.token, token);

    assertErrors(await t.request('GET', `/open311/v2/tokens/${'0'.repeat(64)}.json`), 404);
    assertErrors(await t.request('GET', '/open311/v2/tokens/not-a-token.json'), 404);
  });
});

describe('bad input: the spec’s error list with a clear status, never a 500, and nothing stored', () => {
  const cases: [string, () => Promise<{ status: number; body: any; headers: Headers }>, number, RegExp][] = [
    ['no api_key', () => post(request({ api_key: '' })), 403, /api_key/],
    ['a wrong api_key', () => post(request({ api_key: 'x'.repeat(40) })), 403, /api_key/],
    ['an unknown service_code', () => post(request({ service_code: 'tidak-ada' })), 404, /service_code/],
    ['no service_code', () => post(request({ service_code: '' })), 400, /service_code/],
    ['no location', () => post(request({ lat: '', long: '' })), 400, /lat and long, address_string or address_id/],
    ['lat without long', () => post(request({ long: '' })), 400, /together/],
    ['lat out of range', () => post(request({ lat: '91' })), 400, /latitude/],
    ['lat not a number', () => post(request({ lat: 'utara' })), 400, /latitude/],
    ['long not a number', () => post(request({ long: '1e400' })), 400, /longitude/],
    ['long out of range', () => post(request({ long: '-181' })), 400, /longitude/],
    ['an unknown region as address_id', () => post(request({ address_id: '99.99' })), 400, /unknown region/],
    ['a malformed address_id', () => post(request({ address_id: 'Pontianak' })), 400, /region code/],
    ['no description', () => post(request({ description: '' })), 400, /description is required/],
    ['a description too short', () => post(request({ description: 'Jalan rusak' })), 400, /at least 20/],
    ['a description too long', () => post(request({ description: 'a'.repeat(4001) })), 400, /at most 4000/],
    ['an invalid email', () => post(request({ email: 'bukan-email' })), 400, /invalid email/],
    ['an invalid phone', () => post(request({ phone: 'telepon saya' })), 400, /phone/],
    ['a media_url that is not http(s)', () => post(request({ media_url: 'javascript:alert(1)' })), 400, /media_url/],
    ['an unknown attribute', () => post(request({ 'attribute[warna]': 'merah' })), 400, /unknown attribute/],
    ['an attribute value not in its list', () => post(request({ 'attribute[classification]': 'keluhan' })), 400, /one of/],
    ['an incident date in the future', () => post(request({ 'attribute[incident_date]': '2026-12-31' })), 400, /future/],
    ['an incident date that is no date', () => post(request({ 'attribute[incident_date]': '2026-02-30' })), 400, /YYYY-MM-DD/],
    ['a field given twice', () => post(request({ service_code: ['infrastruktur.jalan', 'lainnya'] })), 400, /only one value/],
    ['invisible characters only', () => post(request({ first_name: '\u3164\u3164' })), 400, /invisible/],
    [
      'JSON instead of a form',
      () => t.request('POST', '/open311/v2/requests.json', { json: request() }),
      400,
      /application\/x-www-form-urlencoded/,
    ],
    [
      'a body over the limit',
      () =>
        t.request('POST', '/open311/v2/requests.json', {
          raw: form(request({ description: 'x'.repeat(70_000) })),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      413,
      /too large/,
    ],
  ];
  for (const [name, send, status, pattern] of cases) {
    test(name, async () => {
      const [messages, reports] = [await count('inbound_messages'), await count('reports')];
      assertErrors(await send(), status, pattern);
      assert.equal(await count('inbound_messages'), messages, 'nothing stored');
      assert.equal(await count('reports'), reports);
    });
  }

  test('the same errors in XML', async () => {
    const res = await post(request({ api_key: '' }), 'xml');
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type')!, /^text\/xml/);
    assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>403<\/code><description>/);
    const bad = await post(request({ lat: '91', long: '200' }), 'xml');
    assert.equal(bad.status, 400);
    const errors = spark(bad.text);
    assert.deepEqual(
      errors.map((e: { code: number }) => e.code),
      [400, 400],
    );
  });

  test('GET requests: bad dates, too long a span, an unknown status', async () => {
    assertErrors(await t.request('GET', '/open311/v2/requests.json?start_date=kemarin'), 400, /start_date/);
    assertErrors(await t.request('GET', '/open311/v2/requests.json?end_date=2026-13-01T00:00:00Z'), 400, /end_date/);
    assertErrors(await t.request('GET', '/open311/v2/requests.json?start_date=2026-11-01T00:00:00'), 400, /w3/);
    assertErrors(
      await t.request('GET', '/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z'),
      400,
      /90 days/,
    );
    assertErrors(
      await t.request('GET', '/open311/v2/requests.json?start_date=2026-11-10T00:00:00Z&end_date=2026-11-01T00:00:00Z'),
      400,
      /before start_date/,
    );
    assertErrors(await t.request('GET', '/open311/v2/requests.json?status=pending'), 400, /open or closed/);
    const xml = await t.request('GET', '/open311/v2/requests.xml?start_date=kemarin');
    assert.equal(xml.status, 400);
    assert.equal(spark(xml.text)[0].code, 400);
  });

  test('an unknown address, format or method under /open311 is the spec’s 404', async () => {
    assertErrors(await t.request('GET', '/open311/v2/laporan.json'), 404);
    assertErrors(await t.request('GET', '/open311/v2/services.html'), 404);
    assertErrors(await t.request('GET', '/open311/v3/services.json'), 404);
    assertErrors(await t.request('DELETE', '/open311/v2/requests.json'), 404);
    assertErrors(await t.request('GET', '/open311/v2/requests/XXXXXXXX.json'), 404);
    const xml = await t.request('GET', '/open311/v2/nothing.xml');
    assert.equal(xml.status, 404);
    assert.equal(spark(xml.text)[0].code, 404);
  });

  test('a malformed Authorization header is the spec’s 403, not the API’s error body', async () => {
    const res = await t.request('GET', '/open311/v2/services.json', { headers: { authorization: 'Basic xyz' } });
    assertErrors(res, 403);
  });
});

describe('GET requests: what the public may see, with the standard filters', () => {
  let open = '';
  let anonymous = '';
  let secret = '';
  let unverified = '';
  let closed = '';
  let spam = '';
  let web = '';
  let webReporter: TestUser;

  before(async () => {
    open = await filed({ description: 'Lampu jalan di Jl. Tanjungpura mati sejak seminggu, gelap <dan> rawan & "sepi".' });
    anonymous = await filed({
      'attribute[anonymous]': 'true',
      service_code: 'lingkungan.sampah',
      first_name: 'Siti',
      last_name: 'Rahayu',
      phone: '081234567890',
    });
    secret = await filed({ 'attribute[secret]': 'true', first_name: 'Rahasia' });
    unverified = await filed();
    closed = await filed({ service_code: 'lingkungan.sampah' });
    spam = await filed();
    webReporter = await t.user('reporter');
    const created = await t.request('POST', '/api/v1/reports', {
      token: webReporter.token,
      json: reportInput({ title: 'Jalan rusak di depan pasar Flamboyan' }),
    });
    assert.equal(created.status, 201, created.text);
    web = created.body.trackingId;
    for (const id of [open, anonymous, secret, closed, spam, web]) await verify(id);
    const archive = async (id: string, reason: string) => {
      const res = await t.request('POST', `/api/v1/reports/${id}/archive`, { token: national.token, json: { reason } });
      assert.equal(res.status, 200, res.text);
    };
    await archive(closed, 'not_public_service');
    await archive(spam, 'spam_hoax');
  });

  const listed = async (query = '') => {
    const res = await t.request('GET', `/open311/v2/requests.json${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body as Record<string, any>[];
  };
  const ids = (list: Record<string, any>[]) => list.map((r) => r.service_request_id as string);

  test('a verified report, as the spec’s request', async () => {
    const list = await listed();
    const r = list.find((x) => x.service_request_id === open)!;
    assert.ok(r, 'listed');
    assert.equal(r.status, 'open');
    assert.equal(r.status_notes, 'Terverifikasi / Verified');
    assert.equal(r.service_code, 'infrastruktur.jalan');
    assert.equal(r.service_name, 'Jalan Rusak');
    assert.match(r.description, /^Lampu jalan di Jl\. Tanjungpura mati/);
    assert.equal(r.agency_responsible, null, 'not routed yet');
    assert.equal(r.requested_datetime, '2026-11-24T10:00:00+07:00');
    assert.equal(r.updated_datetime, '2026-11-24T10:00:00+07:00');
    assert.equal(r.address_id, '61.71');
    assert.match(r.address, /^Kota Pontianak, Kalimantan Barat$/i);
    assert.equal(r.lat, -0.0263);
    assert.equal(r.long, 109.3425);
    assert.equal(r.media_url, null, 'a citizen’s files are never public');
  });

  test('never an unverified, secret or spam-archived report: not listed, not by ID, not in an ID list', async () => {
    const list = ids(await listed());
    for (const id of [unverified, secret, spam]) {
      assert.ok(!list.includes(id), id);
      assertErrors(await t.request('GET', `/open311/v2/requests/${id}.json`), 404);
      assert.equal((await t.request('GET', `/open311/v2/requests/${id}.xml`)).status, 404);
    }
    assert.deepEqual(ids(await listed(`?service_request_id=${[unverified, secret, spam, open].join(',')}`)), [open]);
  });

  test('never anyone’s name, email or phone — an anonymous reporter’s least of all', async () => {
    for (const format of ['json', 'xml']) {
      const all = await t.request('GET', `/open311/v2/requests.${format}`);
      const one = await t.request('GET', `/open311/v2/requests/${anonymous}.${format}`);
      assert.equal(one.status, 200);
      for (const text of [all.text, one.text]) {
        for (const needle of [
          'Budi',
          'Santoso',
          'Siti',
          'Rahayu',
          'Rahasia',
          webReporter.name,
          webReporter.email,
          '@example.com',
          '081234567890',
          '+6281234567890',
          'gencil/',
        ]) {
          assert.ok(!text.includes(needle), `${format} shows ${needle}`);
        }
      }
    }
    assert.ok(ids(await listed()).includes(anonymous), 'an anonymous report is public, without its reporter');
  });

  test('a report filed on the web is a service request like any other', async () => {
    const r = (await listed(`?service_request_id=${web}`))[0]!;
    assert.equal(r.service_code, null);
    assert.equal(
      r.description,
      'Jalan rusak di depan pasar Flamboyan\n\nJalan berlubang besar di depan pasar sudah dua bulan dan membahayakan pengendara.',
    );
    assert.equal(r.address_id, '61.71.01');
    assert.match(r.address, /Pontianak/i);
  });

  test('archived is closed, with the reason; filters by status, service_code and dates', async () => {
    const c = (await listed(`?service_request_id=${closed}`))[0]!;
    assert.equal(c.status, 'closed');
    assert.equal(c.status_notes, 'Arsip / Archived: bukan pelayanan publik / not about a public service');
    const openOnes = ids(await listed('?status=open'));
    assert.ok(openOnes.includes(open) && !openOnes.includes(closed));
    assert.deepEqual(ids(await listed('?status=closed')), [closed]);
    assert.deepEqual(new Set(ids(await listed('?status=open,closed'))), new Set(ids(await listed())));
    const waste = ids(await listed('?service_code=lingkungan.sampah'));
    assert.deepEqual(new Set(waste), new Set([anonymous, closed]));
    assert.deepEqual(
      new Set(ids(await listed('?service_code=lingkungan.sampah&service_code=infrastruktur.jalan&status=closed'))),
      new Set([closed]),
    );
    assert.deepEqual(ids(await listed('?start_date=2026-11-25T00:00:00%2B07:00')), [], 'after today');
    assert.ok(ids(await listed('?start_date=2026-11-24T00:00:00%2B07:00&end_date=2026-11-24T23:59:59%2B07:00')).includes(open));
    assert.deepEqual(ids(await listed('?end_date=2026-11-23T00:00:00Z')), [], 'before today');
    // service_request_id overrides every other argument
    assert.deepEqual(
      ids(await listed(`?service_request_id=${open}&status=closed&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z`)),
      [open],
    );
  });

  test('routed: the body responsible, and when it can be expected done', async () => {
    const res = await t.request('POST', `/api/v1/reports/${open}/route`, {
      token: national.token,
      json: { bodyId: await t.bodyId('pemkot-61.71') },
    });
    assert.equal(res.status, 200, res.text);
    const r = (await t.request('GET', `/open311/v2/requests/${open}.json`)).body[0];
    assert.equal(r.agency_responsible, 'Pemerintah Kota Pontianak');
    assert.equal(r.status_notes, 'Terdisposisi – Belum Ditindaklanjuti / Routed – not yet followed up');
    assert.match(r.expected_datetime, /^2026-12-\d{2}T23:59:59\+07:00$/);
  });

  test('one request in XML, every character escaped and read back as it was', async () => {
    const res = await t.request('GET', `/open311/v2/requests/${open}.xml`);
    assert.equal(res.status, 200);
    assert.match(res.text, /gelap &lt;dan&gt; rawan &amp; &quot;sepi&quot;/);
    const [r] = spark(res.text);
    assert.equal(r.service_request_id, open);
    assert.equal(r.description, 'Lampu jalan di Jl. Tanjungpura mati sejak seminggu, gelap <dan> rawan & "sepi".');
    assert.equal(r.status, 'open');
    assert.equal(r.media_url, null);
    const list = spark((await t.request('GET', '/open311/v2/requests.xml?status=closed')).text);
    assert.equal(list.length, 1);
    assert.equal(list[0].service_request_id, closed);
  });
});

describe('junk never makes a 500', () => {
  const junk: [string, string, string][] = [
    ['application/x-www-form-urlencoded', '%%%&&==&%E0%A4%A', 'broken percent-encoding'],
    ['application/x-www-form-urlencoded', `__proto__=x&constructor=y&api_key=${GENCIL.secret}`, 'prototype names'],
    ['application/x-www-form-urlencoded', `attribute%5B__proto__%5D=1&api_key=${GENCIL.secret}`, 'a prototype attribute'],
    ['application/x-www-form-urlencoded', `attribute%5B%5D=1&attribute=2&api_key=${GENCIL.secret}`, 'attribute without a code'],
    ['application/x-www-form-urlencoded', `${'a'.repeat(5000)}=1&api_key=${GENCIL.secret}`, 'a long field name'],
    [
      'application/x-www-form-urlencoded',
      `description=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00&api_key=${GENCIL.secret}`,
      'NUL',
    ],
    ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', 'a broken multipart body'],
    ['multipart/form-data', 'no boundary at all', 'multipart without a boundary'],
    ['text/plain', 'service_code=x', 'plain text'],
  ];
  for (const [type, body, name] of junk) {
    test(name, async () => {
      for (const format of ['json', 'xml']) {
        const res = await t.request('POST', `/open311/v2/requests.${format}`, { raw: body, headers: { 'content-type': type } });
        assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${res.text}`);
        if (format === 'json') assert.ok(Array.isArray(res.body) && res.body[0].code === res.status, res.text);
        else assert.equal(spark(res.text)[0].code, res.status);
      }
    });
  }

  test('GET with junk in the query', async () => {
    for (const query of [
      `service_request_id=${Array.from({ length: 101 }, () => 'AAAAAAAA').join(',')}`,
      'start_date=2026-11-24T25:00:00Z',
      'start_date=%E0%A4%A',
      'status=open&status=%00',
      `service_code=${'x'.repeat(300)}`,
      'start_date=99999-01-01T00:00:00Z',
    ]) {
      const res = await t.request('GET', `/open311/v2/requests.json?${query}`);
      assert.ok(res.status === 400, `${query}: ${res.status} ${res.text}`);
    }
    // what cannot be an ID is simply not found
    const res = await t.request('GET', '/open311/v2/requests.json?service_request_id=%00,zzz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
  });
});

describe('a stored request refused when it is handled', () => {
  test('it stays in the store for an admin, and its token answers with the reason', async () => {
    const fields = request({ lat: '91' });
    const { api_key: _secret, ...kept } = fields;
    const token = messageIdFor(GENCIL, fields);
    const stored = await storeInbound(t.deps.db, {
      channel: 'open311',
      gateway: GENCIL.name,
      messageId: token,
      sender: null,
      receiver: null,
      text: String(fields.description),
      raw: { fields: kept },
      receivedAt: t.deps.now(),
    });
    const handled = await processInbound(t.deps, stored.id);
    assert.equal(handled?.status, 'unparsed');
    assert.match(handled?.reason ?? '', /^invalid_input: lat: /);
    assertErrors(await t.request('GET', `/open311/v2/tokens/${token}.json`), 400, /latitude/);
  });
});

describe('OPEN311_API_KEYS', () => {
  const secret = 'a'.repeat(24);
  test('entries name:secret[:body code], by commas or white space; each problem said', () => {
    const problems: string[] = [];
    const keys = readOpen311Keys(
      { OPEN311_API_KEYS: `gencil:${secret}:pemkot-61.71, nasional:${'b'.repeat(30)}\nmetro:${'c'.repeat(24)}:pemkot-18.72` },
      problems,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(keys, [
      { name: 'gencil', secret, bodyCode: 'pemkot-61.71' },
      { name: 'nasional', secret: 'b'.repeat(30), bodyCode: null },
      { name: 'metro', secret: 'c'.repeat(24), bodyCode: 'pemkot-18.72' },
    ]);
    const bad: string[] = [];
    readOpen311Keys(
      { OPEN311_API_KEYS: `Gencil:${secret},short:abc,x:${secret},x:${'d'.repeat(24)},y:${secret},z:${'e'.repeat(24)}:Bad_Code` },
      bad,
    );
    assert.equal(bad.length, 5, bad.join('\n'));
    assert.match(bad.join('\n'), /name:secret/);
    assert.match(bad.join('\n'), /24 to 200/);
    assert.match(bad.join('\n'), /used twice/);
    assert.match(bad.join('\n'), /another entry's/);
    assert.ok(!bad.join('\n').includes(secret), 'a secret is never printed');
    assert.deepEqual(readOpen311Keys({}, []), []);
  });

  test('at start, a key naming a body the directory does not have is a problem', async () => {
    const problems = await checkApiKeyBodies(t.deps.db, {
      open311ApiKeys: [
        GENCIL,
        NATIONAL_APP,
        { name: 'unit', secret, bodyCode: 'pemkot-61.71/dinas-pupr' },
        { name: 'gone', secret, bodyCode: 'pemkot-99.99' },
      ],
    });
    assert.deepEqual(problems.length, 2);
    assert.match(problems[0]!, /"unit" names body "pemkot-61.71\/dinas-pupr"/);
    assert.match(problems[1]!, /"gone"/);
  });

  test('without keys, POST is refused and GET still answers', async () => {
    const bare = await startTestApp();
    try {
      const res = await bare.request('POST', '/open311/v2/requests.json', {
        raw: form(request()),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 403);
      assert.equal((await bare.request('GET', '/open311/v2/services.json')).status, 200);
    } finally {
      await bare.close();
    }
  });
});
