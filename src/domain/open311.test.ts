import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dateOf,
  open311Status,
  parseRequestFilters,
  parseServiceRequest,
  parseW3Instant,
  reporterHandle,
  reporterName,
} from './open311.ts';

const base = { service_code: 'infrastruktur.jalan', lat: '-0.02', long: '109.34', description: 'Jalan berlubang besar di depan pasar.' };

describe('POST Service Request fields', () => {
  test('the defaults a web form would have', () => {
    const { request } = parseServiceRequest(base);
    assert.ok(request);
    assert.equal(request.classification, 'pengaduan');
    assert.equal(request.anonymous, false);
    assert.equal(request.secret, false);
    assert.equal(request.incidentDate, null);
    assert.equal(request.latitude, -0.02);
  });

  test('an empty value is no value (the spec’s "optional")', () => {
    const { request } = parseServiceRequest({ ...base, email: '', phone: '  ', 'attribute[title]': '' });
    assert.ok(request);
    assert.equal(request.email, null);
    assert.equal(request.phone, null);
    assert.equal(request.title, null);
  });

  test('a location by address alone, or by region code alone', () => {
    assert.ok(parseServiceRequest({ ...base, lat: '', long: '', address_string: 'Jl. Gajah Mada 12' }).request);
    const { request } = parseServiceRequest({ ...base, lat: '', long: '', address_id: '61.71.01.1001' });
    assert.equal(request?.addressId, '61.71.01.1001');
    assert.equal(request?.latitude, null);
  });

  test('numbers as a form writes them, and nothing else', () => {
    for (const lat of ['0', '-0.5', '+12.25', '.5', '5.']) assert.ok(parseServiceRequest({ ...base, lat }).request, lat);
    for (const lat of ['0x10', 'NaN', 'Infinity', '1e1', '--1', '12,5'])
      assert.equal(parseServiceRequest({ ...base, lat }).request, null, lat);
  });

  test('a phone number as +62…, an email in lower case', () => {
    const { request } = parseServiceRequest({ ...base, phone: '0812-3456-7890', email: 'Budi@Example.COM' });
    assert.equal(request?.phone, '+6281234567890');
    assert.equal(request?.email, 'budi@example.com');
    assert.equal(parseServiceRequest({ ...base, phone: '+1 (415) 555 0100' }).request?.phone, '+14155550100');
  });

  test('every problem at once, each named', () => {
    const { errors } = parseServiceRequest({ lat: '100', description: 'pendek' });
    assert.deepEqual(errors.map((e) => e.field).sort(), ['description', 'lat', 'long', 'service_code'].sort());
  });

  test('attributes by their codes; multivalue brackets on a single-value attribute are one value too many', () => {
    const { request } = parseServiceRequest({ ...base, 'attribute[classification]': 'permintaan_informasi', 'attribute[secret]': 'true' });
    assert.equal(request?.classification, 'permintaan_informasi');
    assert.equal(request?.secret, true);
    const twice = parseServiceRequest({ ...base, 'attribute[classification][]': ['aspirasi', 'pengaduan'] });
    assert.equal(twice.request, null);
  });
});

describe('dates', () => {
  test('dateOf takes the date as written, in its own offset', () => {
    assert.equal(dateOf('2026-11-20'), '2026-11-20');
    assert.equal(dateOf('2026-11-20T23:30:00-05:00'), '2026-11-20');
    assert.equal(dateOf('2026-11-20T08:00Z'), '2026-11-20');
    for (const bad of ['2026-02-29', '2026-11-20T24:00:00Z', '20-11-2026', '2026-11-20T08:00:00', '']) assert.equal(dateOf(bad), null, bad);
  });

  test('w3 instants need a zone; a date alone is midnight in WIB', () => {
    assert.equal(parseW3Instant('2010-01-01T00:00:00Z')?.toISOString(), '2010-01-01T00:00:00.000Z');
    assert.equal(parseW3Instant('2026-11-24T10:00:00+07:00')?.toISOString(), '2026-11-24T03:00:00.000Z');
    assert.equal(parseW3Instant('2026-11-24')?.toISOString(), '2026-11-23T17:00:00.000Z');
    assert.equal(parseW3Instant('2026-11-24T10:00:00'), null);
  });
});

describe('GET requests filters', () => {
  const now = new Date('2026-11-24T03:00:00Z');
  test('without dates, the most recent 90 days', () => {
    const { filters } = parseRequestFilters({}, now);
    assert.equal(filters?.end.toISOString(), now.toISOString());
    assert.equal(filters?.start.toISOString(), '2026-08-26T03:00:00.000Z');
    assert.equal(filters?.ids, null);
  });
  test('a start alone runs 90 days from it; an end alone 90 days back', () => {
    assert.equal(parseRequestFilters({ start_date: '2026-01-01T00:00:00Z' }, now).filters?.end.toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(parseRequestFilters({ end_date: '2026-04-01T00:00:00Z' }, now).filters?.start.toISOString(), '2026-01-01T00:00:00.000Z');
  });
  test('IDs as typed, de-duplicated; what cannot be one is dropped', () => {
    assert.deepEqual(parseRequestFilters({ service_request_id: '7kmx-3pra, 7KMX3PRA,??' }, now).filters?.ids, ['7KMX3PRA']);
  });
  test('status lists', () => {
    assert.deepEqual(parseRequestFilters({ status: 'open,closed,open' }, now).filters?.statuses, ['open', 'closed']);
    assert.equal(parseRequestFilters({ status: 'done' }, now).filters, null);
  });
});

test('statuses: done with is closed', () => {
  assert.deepEqual(
    (['submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered', 'closed', 'archived'] as const).map(open311Status),
    ['open', 'open', 'open', 'open', 'open', 'closed', 'closed'],
  );
});

test('the reporter: the app’s account first, then email, phone, device; always scoped to the app', () => {
  const r = parseServiceRequest({
    ...base,
    email: 'a@b.id',
    phone: '081234567890',
    device_id: 'dev-1',
    account_id: '42',
    first_name: ' Budi ',
    last_name: 'Santoso',
  }).request!;
  assert.equal(reporterHandle('gencil', r), 'gencil/account:42');
  assert.equal(reporterHandle('gencil', { ...r, accountId: null }), 'gencil/email:a@b.id');
  assert.equal(reporterHandle('gencil', { ...r, accountId: null, email: null }), 'gencil/phone:+6281234567890');
  assert.equal(reporterHandle('gencil', { ...r, accountId: null, email: null, phone: null }), 'gencil/device:dev-1');
  assert.equal(reporterHandle('gencil', { ...r, accountId: null, email: null, phone: null, deviceId: null }), null);
  assert.equal(reporterName(r), 'Budi Santoso');
});
