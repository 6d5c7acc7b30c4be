import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { assertCleanJpeg, dispositionName, download, fixtureBytes, submitWithFiles } from '../../../test/support/files.ts';

/**
 * Attack: an anonim report whose photo is named after its sender ("KTP Budi Santoso.jpg").
 * The handling body must learn the name neither from the report, nor from its inbox, nor from
 * the download, nor from the file itself. Only the reporter sees the original name.
 */

const NAME = 'KTP Budi Santoso.jpg';
const LEAKS = ['Budi', 'Santoso', 'KTP'];

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
let unit: TestUser;
let monitor: TestUser;
let trackingId: string;
let attachmentUrl: string;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  unit = await t.user('unit_officer', 'pemkot-61.71/dinas-pupr');
  monitor = await t.user('monitor');
  const pontianak = await t.bodyId('pemkot-61.71');
  const pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
  const filed = await submitWithFiles(t, citizen.token, { anonymous: true, suggestedBodyId: pontianak }, [
    new File([fixtureBytes('photo-gps.jpg')], NAME, { type: 'image/jpeg' }),
    new File([fixtureBytes('photo-gps.jpg')], 'Budi di rumah.jpeg', { type: 'image/jpeg' }),
  ]);
  assert.equal(filed.status, 201, filed.text);
  trackingId = filed.body.trackingId;
  attachmentUrl = filed.body.attachments[0].url;
  const act = async (user: TestUser, action: string, json: Record<string, unknown>) => {
    const res = await t.request('POST', `/api/v1/reports/${trackingId}/${action}`, { token: user.token, json });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
  };
  await act(national, 'verify', { resolutionClass: 14 });
  await act(national, 'route', { bodyId: pontianak });
  await act(agency, 'disposition', { unitId: pupr });
});
after(() => t.close());

function assertNoName(text: string, where: string): void {
  for (const leak of LEAKS) assert.ok(!text.includes(leak), `${where}: "${leak}" from the file name is visible`);
}

test('the reporter sees the original names, in the report, the list and the download', async () => {
  const own = await t.request('GET', `/api/v1/reports/${trackingId}`, { token: citizen.token });
  assert.deepEqual(
    own.body.attachments.map((a: { fileName: string }) => a.fileName),
    [NAME, 'Budi di rumah.jpeg'],
  );
  const list = await t.request('GET', '/api/v1/me/reports', { token: citizen.token });
  assert.equal(list.body.items[0].attachments[0].fileName, NAME);
  const file = await download(t, attachmentUrl, citizen.token);
  assert.equal(file.status, 200);
  assert.equal(dispositionName(file.headers.get('content-disposition')), NAME);
});

for (const [who, user] of [
  ['agency_admin of the handling body', () => agency],
  ['unit_officer of the unit', () => unit],
  ['monitor', () => monitor],
  ['national_admin', () => national],
] as const) {
  test(`${who} sees lampiran-N.<ext>, never the original name: report JSON, inbox JSON, download`, async () => {
    const token = user().token;
    const report = await t.request('GET', `/api/v1/reports/${trackingId}`, { token });
    assert.equal(report.status, 200);
    assert.deepEqual(
      report.body.attachments.map((a: { fileName: string }) => a.fileName),
      ['lampiran-1.jpg', 'lampiran-2.jpg'],
    );
    assertNoName(report.text, 'report JSON');

    const inbox = await t.request('GET', '/api/v1/inbox', { token });
    assert.equal(inbox.status, 200);
    const item = inbox.body.items.find((i: { trackingId: string }) => i.trackingId === trackingId);
    assert.ok(item, 'the report is in the inbox');
    assert.equal(item.attachments[0].fileName, 'lampiran-1.jpg');
    assertNoName(inbox.text, 'inbox JSON');

    const timeline = await t.request('GET', `/api/v1/reports/${trackingId}/timeline`, { token });
    assertNoName(timeline.text, 'timeline JSON');

    const file = await download(t, attachmentUrl, token);
    assert.equal(file.status, 200);
    const disposition = file.headers.get('content-disposition')!;
    assert.equal(dispositionName(disposition), 'lampiran-1.jpg');
    assertNoName(disposition, 'Content-Disposition');
    // And the photo itself no longer names its owner, camera or place (EXIF, XMP, IPTC, GPS).
    assertCleanJpeg(file.bytes, 'downloaded photo');
  });
}

test('nothing stored on disk or in the storage key carries the name', async () => {
  const rows = await t.deps.db.query<{ storage_key: string }>('SELECT storage_key FROM attachments');
  for (const { storage_key } of rows) assertNoName(storage_key, 'storage key');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [e.name]));
  for (const name of walk(t.deps.config.attachmentsDir)) assertNoName(name, 'file on disk');
});

test('a body’s answer evidence is public, under a neutral name; its uploader’s own name for it stays inside', async () => {
  const form = new FormData();
  form.set('message', 'Jalan sudah diperbaiki pada 25 November; foto terlampir.');
  form.append('attachments', new File([fixtureBytes('document.pdf')], 'Bukti Kerja Pak Andi Wijaya.pdf', { type: 'application/pdf' }));
  const answered = await t.request('POST', `/api/v1/reports/${trackingId}/answer`, { token: unit.token, form });
  assert.equal(answered.status, 200, answered.text);
  const pub = await t.request('GET', `/api/v1/reports/${trackingId}`);
  assert.equal(pub.status, 200);
  assert.deepEqual(
    pub.body.attachments.map((a: { fileName: string }) => a.fileName),
    ['lampiran-1.pdf'],
    'only the evidence, numbered among what the public sees',
  );
  assert.ok(!pub.text.includes('Andi') && !pub.text.includes('Budi'));
  const file = await download(t, pub.body.attachments[0].url);
  assert.equal(file.status, 200);
  assert.equal(dispositionName(file.headers.get('content-disposition')), 'lampiran-1.pdf');
  const staff = await t.request('GET', `/api/v1/reports/${trackingId}`, { token: agency.token });
  assert.deepEqual(
    staff.body.attachments.map((a: { fileName: string }) => a.fileName),
    ['lampiran-1.jpg', 'lampiran-2.jpg', 'lampiran-3.pdf'],
  );
});
