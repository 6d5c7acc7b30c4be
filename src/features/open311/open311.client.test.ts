/**
 * Open311 GeoReport v2 through a client we did not write: the npm `open311` package (Code for
 * America's node-open311) against the app over HTTP on 127.0.0.1, in JSON and in XML — service
 * discovery, the service list, a service definition, a request created, read by its ID, listed
 * with filters and by a list of IDs, a token. How the client is made to run on Node 24 is
 * test/support/open311-client.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Open311ApiKey } from '../../config.ts';
import type { TestUser } from '../../../test/support/app.ts';
import { type WebServer, startWebServer } from '../../../test/support/browser.ts';
import { Open311, type Open311Client, call } from '../../../test/support/open311-client.ts';
import { processInbound, storeInbound } from '../channels/intake.ts';
import { messageIdFor } from './open311.service.ts';

const KEY: Open311ApiKey = { name: 'gencil', secret: 'client-test-secret-0123456789abcdef', bodyCode: 'pemkot-61.71' };

let web: WebServer;
let national: TestUser;
let seq = 0;

before(async () => {
  web = await startWebServer({ config: { open311ApiKeys: [KEY] } });
  national = await web.t.user('national_admin');
});
after(() => web.close());

async function verify(id: string): Promise<void> {
  const res = await web.t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 5 } });
  assert.equal(res.status, 200, res.text);
}

/** What an app sends: every value a string, as a form carries it. */
function citizenRequest(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    service_code: 'infrastruktur.jalan',
    lat: '-0.0263',
    long: '109.3425',
    description: `Jalan berlubang di Jl. Ahmad Yani nomor ${seq}, sudah dua minggu tidak diperbaiki.`,
    email: `klien${seq}@example.com`,
    first_name: 'Dewi',
    ...overrides,
  };
}

interface ServiceRequest {
  service_request_id: string | number;
  status: string;
  service_code: string;
  description: string;
  requested_datetime: Date;
  updated_datetime: Date;
  agency_responsible: string | null;
  lat: number;
  long: number;
}

for (const format of ['json', 'xml'] as const) {
  describe(`the npm open311 client, ${format.toUpperCase()}`, () => {
    let client: Open311Client;
    before(() => {
      client = new Open311({ endpoint: `${web.baseUrl}/open311/v2/`, format, apiKey: KEY.secret });
    });

    test('service discovery points the client at our endpoint', async () => {
      const discovering = new Open311({ discovery: `${web.baseUrl}/open311/v2/discovery.${format}` });
      const found = await call<{ endpoints: { url: string; specification: string }[] }>((cb) =>
        discovering.serviceDiscovery({ cache: true }, cb),
      );
      assert.equal(found.endpoints[0]!.specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.equal(discovering.endpoint, `${web.baseUrl}/open311/v2/`);
    });

    test('the service list and a service definition', async () => {
      const services = await call<{ service_code: string; group: string; metadata: boolean; type: string }[]>((cb) =>
        client.serviceList(cb),
      );
      const roads = services.find((s) => s.service_code === 'infrastruktur.jalan');
      assert.ok(roads, 'our categories are its services');
      assert.equal(roads.group, 'Infrastruktur');
      assert.equal(roads.metadata, true);
      assert.equal(roads.type, 'realtime');

      const definition = await call<{ service_code: string; attributes: { code: string; values?: { key: string }[] }[] }>((cb) =>
        client.serviceDefinition('infrastruktur.jalan', cb),
      );
      assert.equal(definition.service_code, 'infrastruktur.jalan');
      assert.deepEqual(
        definition.attributes.map((a) => a.code),
        ['classification', 'title', 'incident_date', 'anonymous', 'secret'],
      );
      assert.deepEqual(
        definition.attributes[0]!.values!.map((v) => v.key),
        ['pengaduan', 'aspirasi', 'permintaan_informasi'],
      );
      await assert.rejects(
        call((cb) => client.serviceDefinition('tidak-ada', cb)),
        /404/,
      );
    });

    test('create a request, read it by its ID once verified, list it with filters', async () => {
      const created = await call<{ service_request_id: string | number; token?: string }[]>((cb) =>
        client.submitRequest({ ...citizenRequest(), attributes: { classification: 'aspirasi' } }, cb),
      );
      assert.equal(created.length, 1);
      const id = String(created[0]!.service_request_id);
      assert.match(id, /^[34679AFHKMNPRXY]{8}$/);
      const [stored] = await web.t.deps.db.query<{ channel: string; classification: string }>(
        'SELECT channel, classification FROM reports WHERE tracking_id = $1',
        [id],
      );
      assert.deepEqual(stored, { channel: 'open311', classification: 'aspirasi' });

      // not public before verification: the client gets the spec's 404
      await assert.rejects(
        call((cb) => client.serviceRequest(id, {}, cb)),
        /404/,
      );
      await verify(id);

      const [one] = await call<ServiceRequest[]>((cb) => client.serviceRequest(id, {}, cb));
      assert.equal(String(one!.service_request_id), id);
      assert.equal(one!.status, 'open');
      assert.equal(one!.service_code, 'infrastruktur.jalan');
      assert.match(one!.description, /^Jalan berlubang di Jl\. Ahmad Yani/);
      assert.ok(one!.requested_datetime instanceof Date);
      assert.equal(one!.requested_datetime.toISOString(), '2026-11-24T03:00:00.000Z');
      assert.equal(one!.lat, -0.0263);
      assert.equal(one!.long, 109.3425);

      const other = String(
        (
          await call<{ service_request_id: string | number }[]>((cb) =>
            client.submitRequest(citizenRequest({ service_code: 'lingkungan.sampah' }), cb),
          )
        )[0]!.service_request_id,
      );
      await verify(other);

      const ids = (list: ServiceRequest[]) => list.map((r) => String(r.service_request_id));
      const roads = await call<ServiceRequest[]>((cb) =>
        client.serviceRequests({ service_code: 'infrastruktur.jalan', status: 'open' }, cb),
      );
      assert.ok(ids(roads).includes(id));
      assert.ok(!ids(roads).includes(other));
      const dated = await call<ServiceRequest[]>((cb) =>
        client.serviceRequests({ start_date: '2026-11-24T00:00:00+07:00', end_date: '2026-11-24T23:59:59+07:00' }, cb),
      );
      assert.ok(ids(dated).includes(id) && ids(dated).includes(other));
      const none = await call<ServiceRequest[] | null>((cb) => client.serviceRequests({ status: 'closed' }, cb));
      assert.ok(none === null || (Array.isArray(none) && none.length === 0), JSON.stringify(none));
      const both = await call<ServiceRequest[]>((cb) => client.serviceRequests([id, other], {}, cb));
      assert.deepEqual(new Set(ids(both)), new Set([id, other]));
      await assert.rejects(
        call((cb) => client.serviceRequests({ start_date: 'kemarin' }, cb)),
        /400/,
      );
    });

    test('a POST without a valid key is refused with 403', async () => {
      const keyless = new Open311({ endpoint: `${web.baseUrl}/open311/v2/`, format, apiKey: 'x'.repeat(40) });
      await assert.rejects(
        call((cb) => keyless.submitRequest(citizenRequest(), cb)),
        /403/,
      );
    });

    test('a request stored but not yet handled comes back as a token, and the token gives the ID later', async () => {
      const fields = citizenRequest();
      // an earlier delivery of the same request, stored, whose handling did not finish
      const stored = await storeInbound(web.t.deps.db, {
        channel: 'open311',
        gateway: KEY.name,
        messageId: messageIdFor(KEY, { ...fields, api_key: KEY.secret }),
        sender: null,
        receiver: null,
        text: fields.description,
        raw: { fields },
        receivedAt: web.t.deps.now(),
      });
      const answered = await call<{ token?: string | number; service_request_id?: string }[]>((cb) => client.submitRequest(fields, cb));
      const token = String(answered[0]!.token);
      assert.match(token, /^[0-9a-f]{64}$/);
      assert.equal(answered[0]!.service_request_id, undefined);
      const pending = await call<{ token: string; service_request_id?: string }[]>((cb) => client.token(token, cb));
      assert.equal(String(pending[0]!.token), token);
      assert.equal(pending[0]!.service_request_id, undefined);

      await processInbound(web.t.deps, stored.id);
      const done = await call<{ token: string; service_request_id?: string | number }[]>((cb) => client.token(token, cb));
      assert.match(String(done[0]!.service_request_id), /^[34679AFHKMNPRXY]{8}$/);
      assert.equal(String(done[0]!.token), token);
    });
  });
}
