import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { dispositionName, download, fixtureBytes, submitWithFiles } from '../../../test/support/files.ts';
import { contentDisposition } from './file-names.ts';

/**
 * Attack (and plain bug): a file name beyond Latin-1 used to make the download a 500, since a
 * header value must be Latin-1. The download now says the name with RFC 6266 `filename*`.
 */

const NAME = 'laporan-ñ-日本-📷.pdf';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

test('a Unicode file name downloads with 200: ASCII fallback and the exact name in filename*', async () => {
  const filed = await submitWithFiles(t, citizen.token, {}, [new File([fixtureBytes('document.pdf')], NAME, { type: 'application/pdf' })]);
  assert.equal(filed.status, 201, filed.text);
  assert.equal(filed.body.attachments[0].fileName, NAME);

  const own = await download(t, filed.body.attachments[0].url, citizen.token);
  assert.equal(own.status, 200);
  const header = own.headers.get('content-disposition')!;
  assert.match(header, /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
  assert.equal(dispositionName(header), NAME);
  assert.equal(/filename="([^"]*)"/.exec(header)![1], 'laporan-n-__-_.pdf');
  assert.equal(own.headers.get('content-type'), 'application/pdf');

  const staff = await download(t, filed.body.attachments[0].url, national.token);
  assert.equal(staff.status, 200);
  assert.equal(dispositionName(staff.headers.get('content-disposition')), 'lampiran-1.pdf');
});

test('contentDisposition: quotes, backslashes, percent signs and RFC 5987 specials cannot break the header', () => {
  for (const name of ['a"b.pdf', 'a\\b.pdf', '100%.pdf', "it's (1)*.pdf", 'ünïcödé.jpg', '📷.jpg', 'plain.pdf']) {
    const header = contentDisposition(name);
    assert.match(header, /^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/, name);
    assert.equal(dispositionName(header), name);
    assert.doesNotThrow(() => new Headers({ 'content-disposition': header }), name);
  }
  assert.equal(/filename="([^"]*)"/.exec(contentDisposition('📷.jpg'))![1], '_.jpg');
});
