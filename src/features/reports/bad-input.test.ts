import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { type Response, type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/attachments');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const MAX_ATTACHMENT_BYTES = 50_000;

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;
const ids = { pontianak: 0, metro: 0, pupr: 0, metroPupr: 0 };

before(async () => {
  t = await startTestApp({ maxAttachmentBytes: MAX_ATTACHMENT_BYTES });
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
  ids.pontianak = await t.bodyId('pemkot-61.71');
  ids.metro = await t.bodyId('pemkot-18.72');
  ids.pupr = await t.bodyId('pemkot-61.71/dinas-pupr');
  ids.metroPupr = await t.bodyId('pemkot-18.72/dinas-pupr');
});
after(() => t.close());

/** A real PNG of random pixels, too noisy to compress: about `bytes` long. */
function noisyPng(bytes: number): Buffer {
  const width = 256;
  const height = Math.ceil(bytes / (width * 3));
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 4xx with the one error shape, naming (at least) the given fields. */
function assertRefused(res: Response, status: number, code: string | null, fields: string[] = []) {
  assert.ok(res.status < 500, `a server error instead of a refusal: ${res.status} ${res.text}`);
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(typeof res.body?.error?.code, 'string', res.text);
  assert.equal(typeof res.body.error.message, 'string', res.text);
  assert.ok(res.body.error.message.length > 0);
  if (code) assert.equal(res.body.error.code, code, res.text);
  for (const field of fields) {
    assert.ok(res.body.error.fields && field in res.body.error.fields, `field ${field} not named: ${res.text}`);
    assert.equal(typeof res.body.error.fields[field], 'string');
  }
}

function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

async function stored() {
  const [r] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  const [a] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments');
  const [e] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM report_events');
  return { reports: r!.n, attachments: a!.n, events: e!.n, files: filesIn(t.deps.config.attachmentsDir) };
}

/** Sends a submission that must be refused, and checks that nothing at all was kept. */
async function refusedSubmission(
  send: () => Promise<Response>,
  status: number,
  code: string | null,
  fields: string[] = [],
): Promise<Response> {
  const before = await stored();
  const res = await send();
  // Nothing kept is checked first, so that a refusal with the wrong status still shows whether it left debris.
  const after = await stored();
  assert.equal(after.reports, before.reports, `no report row (${res.status} ${res.text})`);
  assert.equal(after.attachments, before.attachments, 'no attachment row');
  assert.equal(after.events, before.events, 'no event row');
  assert.deepEqual(after.files, before.files, 'no file left in the attachments folder');
  assertRefused(res, status, code, fields);
  return res;
}

const submitJson =
  (json: unknown, token = citizen.token) =>
  () =>
    t.request('POST', '/api/v1/reports', { token, json });

function reportForm(fields: Record<string, unknown> = reportInput(), files: { name: string; bytes: Uint8Array; type?: string }[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
  for (const f of files) form.append('attachments', new File([f.bytes], f.name, f.type ? { type: f.type } : {}));
  return form;
}
const submitForm = (form: FormData) => () => t.request('POST', '/api/v1/reports', { token: citizen.token, form });

async function newReport(): Promise<string> {
  const res = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ suggestedBodyId: ids.pontianak }) });
  assert.equal(res.status, 201, res.text);
  return res.body.trackingId;
}

async function act(user: TestUser, id: string, action: string, json: unknown) {
  const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}

describe('POST /api/v1/reports: fields', () => {
  test('an empty object names every required field', async () => {
    await refusedSubmission(submitJson({}), 400, 'invalid_input', ['title', 'body', 'incidentDate']);
  });

  for (const field of ['title', 'body', 'incidentDate']) {
    test(`a missing ${field} is named`, async () => {
      const input: Record<string, unknown> = reportInput();
      delete input[field];
      const res = await refusedSubmission(submitJson(input), 400, 'invalid_input', [field]);
      assert.deepEqual(Object.keys(res.body.error.fields), [field]);
    });
  }

  const wrong: [string, Record<string, unknown>, string][] = [
    ['title: 42', { title: 42 }, 'title'],
    ['title too short', { title: 'abc' }, 'title'],
    ['title only spaces', { title: '         ' }, 'title'],
    ['body too short', { body: 'rusak' }, 'body'],
    ['anonymous: "yes"', { anonymous: 'yes' }, 'anonymous'],
    ['secret: 1', { secret: 1 }, 'secret'],
    ['latitude: "north"', { latitude: 'north', longitude: 109.3 }, 'latitude'],
    ['latitude 91', { latitude: 91, longitude: 109.3 }, 'latitude'],
    ['longitude -181', { latitude: -0.03, longitude: -181 }, 'longitude'],
    ['latitude without longitude', { latitude: -0.03 }, 'longitude'],
    ['longitude without latitude', { longitude: 109.3 }, 'longitude'],
    ['classification bogus', { classification: 'keluhan' }, 'classification'],
    ['channel sms (not for web submissions)', { channel: 'sms' }, 'channel'],
    ['regionCode xx', { regionCode: 'xx' }, 'regionCode'],
    ['categoryId 1.5', { categoryId: 1.5 }, 'categoryId'],
    ['suggestedBodyId "1"', { suggestedBodyId: '1' }, 'suggestedBodyId'],
    ['incidentDate 20-11-2026', { incidentDate: '20-11-2026' }, 'incidentDate'],
    ['incidentDate 2026-02-30', { incidentDate: '2026-02-30' }, 'incidentDate'],
    ['incidentDate 2026-13-01', { incidentDate: '2026-13-01' }, 'incidentDate'],
    ['incidentDate with a time', { incidentDate: '2026-11-20T10:00:00Z' }, 'incidentDate'],
  ];
  for (const [name, override, field] of wrong) {
    test(`wrong value: ${name}`, async () => {
      await refusedSubmission(submitJson(reportInput(override)), 400, 'invalid_input', [field]);
    });
  }

  test('several wrong fields are all named at once', async () => {
    await refusedSubmission(submitJson(reportInput({ title: 42, anonymous: 'yes', latitude: 'north' })), 400, 'invalid_input', [
      'title',
      'anonymous',
      'latitude',
    ]);
  });

  // BUG: zod's ISO date accepts year 0000, which PostgreSQL cannot store → 500.
  test('incidentDate 0000-01-01 is refused, not a server error', async () => {
    await refusedSubmission(submitJson(reportInput({ incidentDate: '0000-01-01' })), 400, 'invalid_input', ['incidentDate']);
  });

  test('unknown regionCode, categoryId and suggestedBodyId are each named', async () => {
    await refusedSubmission(
      submitJson(reportInput({ regionCode: '99.99.99', categoryId: 999_999, suggestedBodyId: 999_999 })),
      400,
      'invalid_input',
      ['regionCode', 'categoryId', 'suggestedBodyId'],
    );
    // a unit is no destination for a suggestion
    await refusedSubmission(submitJson(reportInput({ suggestedBodyId: ids.pupr })), 400, 'invalid_input', ['suggestedBodyId']);
  });

  test('incidentDate in the future is refused, judged by the latest Indonesian date (WIT, UTC+9)', async () => {
    try {
      t.setNow('2026-11-24T03:00:00Z'); // 12:00 WIT on the 24th
      await refusedSubmission(submitJson(reportInput({ incidentDate: '2026-11-25' })), 400, 'invalid_input', ['incidentDate']);
      await refusedSubmission(submitJson(reportInput({ incidentDate: '2027-01-01' })), 400, 'invalid_input', ['incidentDate']);
      const today = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ incidentDate: '2026-11-24' }) });
      assert.equal(today.status, 201, today.text);

      // 16:30 UTC on the 24th is already 01:30 on the 25th in Jayapura: "tomorrow" in UTC is today there.
      t.setNow('2026-11-24T16:30:00Z');
      const papua = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ incidentDate: '2026-11-25' }) });
      assert.equal(papua.status, 201, papua.text);
      assert.equal(papua.body.incidentDate, '2026-11-25');
      await refusedSubmission(submitJson(reportInput({ incidentDate: '2026-11-26' })), 400, 'invalid_input', ['incidentDate']);

      // One second before midnight WIT the 25th is still the future.
      t.setNow('2026-11-24T14:59:59Z');
      await refusedSubmission(submitJson(reportInput({ incidentDate: '2026-11-25' })), 400, 'invalid_input', ['incidentDate']);
    } finally {
      t.setNow('2026-11-24T03:00:00Z');
    }
  });

  // BUG: PostgreSQL text cannot hold U+0000; the value reaches the INSERT and fails there → 500.
  test('a NUL character in a form field is refused, not a server error, and the photo sent with it is not kept', async () => {
    await refusedSubmission(
      submitForm(
        reportForm(reportInput({ body: `Jalan berlubang besar\u0000 di depan pasar sudah dua bulan.` }), [
          { name: 'foto.jpg', bytes: fixture('photo-gps.jpg'), type: 'image/jpeg' },
        ]),
      ),
      400,
      'invalid_input',
      ['body'],
    );
  });
});

describe('POST /api/v1/reports: the body itself', () => {
  test('malformed JSON', async () => {
    await refusedSubmission(
      () =>
        t.request('POST', '/api/v1/reports', {
          token: citizen.token,
          raw: '{"title": "Jalan',
          headers: { 'content-type': 'application/json' },
        }),
      400,
      'invalid_input',
    );
  });

  test('an empty JSON body', async () => {
    await refusedSubmission(
      () => t.request('POST', '/api/v1/reports', { token: citizen.token, raw: '', headers: { 'content-type': 'application/json' } }),
      400,
      'invalid_input',
    );
  });

  for (const [name, json] of [
    ['an array', [reportInput()]],
    ['a string', 'laporan'],
    ['null', null],
    ['a number', 42],
  ] as const) {
    test(`a JSON body that is ${name}`, async () => {
      await refusedSubmission(submitJson(json), 400, 'invalid_input');
    });
  }

  test('text/plain, or no content type at all → 415', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, {}, { 'content-type': 'application/xml' }] as Record<string, string>[]) {
      await refusedSubmission(
        // bytes, so that no content type is added for us
        () => t.request('POST', '/api/v1/reports', { token: citizen.token, raw: Buffer.from(JSON.stringify(reportInput())), headers }),
        415,
        'unsupported_media_type',
      );
    }
  });

  test('broken multipart bodies', async () => {
    for (const contentType of ['multipart/form-data; boundary=xyz', 'multipart/form-data']) {
      await refusedSubmission(
        () =>
          t.request('POST', '/api/v1/reports', {
            token: citizen.token,
            raw: 'not a form at all',
            headers: { 'content-type': contentType },
          }),
        400,
        'invalid_input',
      );
    }
  });

  test('a multipart form with bad fields names them', async () => {
    await refusedSubmission(
      submitForm(reportForm(reportInput({ anonymous: 'yes', latitude: 'north', longitude: '109.3' }))),
      400,
      'invalid_input',
      ['anonymous', 'latitude'],
    );
    const partial = reportForm({ title: 'Jalan rusak' });
    await refusedSubmission(submitForm(partial), 400, 'invalid_input', ['body', 'incidentDate']);
    await refusedSubmission(submitForm(reportForm(reportInput({ categoryId: 'satu' }))), 400, 'invalid_input', ['categoryId']);
    await refusedSubmission(submitForm(reportForm(reportInput({ latitude: '-0.03' }))), 400, 'invalid_input', ['longitude']);
    await refusedSubmission(submitForm(reportForm(reportInput({ incidentDate: '2099-01-01' }))), 400, 'invalid_input', ['incidentDate']);
    // attachments sent as text, not files
    const textAttachment = reportForm();
    textAttachment.set('attachments', 'foto.jpg');
    await refusedSubmission(submitForm(textAttachment), 400, 'invalid_input', ['attachments']);
  });

  test('a body beyond the request limit → 413', async () => {
    const limit = MAX_ATTACHMENT_BYTES * t.deps.config.maxAttachments + 1024 * 1024;
    const huge = JSON.stringify(reportInput({ body: 'x'.repeat(limit + 10) }));
    await refusedSubmission(
      () => t.request('POST', '/api/v1/reports', { token: citizen.token, raw: huge, headers: { 'content-type': 'application/json' } }),
      413,
      'payload_too_large',
    );
    await refusedSubmission(
      () =>
        t.request('POST', '/api/v1/reports', {
          token: citizen.token,
          raw: huge,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(huge)) },
        }),
      413,
      'payload_too_large',
    );
    const form = reportForm(reportInput(), [{ name: 'big.png', bytes: noisyPng(limit + 10_000), type: 'image/png' }]);
    await refusedSubmission(submitForm(form), 413, null);
  });
});

describe('POST /api/v1/reports: attachments', () => {
  test('an attachment over the size limit → 413 attachment_too_large, naming the file', async () => {
    const png = noisyPng(MAX_ATTACHMENT_BYTES + 20_000);
    assert.ok(png.length > MAX_ATTACHMENT_BYTES);
    const res = await refusedSubmission(
      submitForm(
        reportForm(reportInput(), [
          { name: 'foto.jpg', bytes: fixture('photo-gps.jpg'), type: 'image/jpeg' },
          { name: 'besar.png', bytes: png, type: 'image/png' },
        ]),
      ),
      413,
      'attachment_too_large',
      ['attachments.1'],
    );
    assert.equal(res.body.error.fields['attachments.1'], 'besar.png');
  });

  // BUG: report-files.ts floors the limit to whole megabytes, so a 50 kB limit reads "max 0 MB".
  test('the size error states the real limit', async () => {
    const res = await refusedSubmission(
      submitForm(reportForm(reportInput(), [{ name: 'besar.png', bytes: noisyPng(MAX_ATTACHMENT_BYTES + 20_000), type: 'image/png' }])),
      413,
      'attachment_too_large',
    );
    assert.doesNotMatch(res.body.error.message, /max 0 MB/);
  });

  test('just under the limit is taken', async () => {
    const png = noisyPng(MAX_ATTACHMENT_BYTES - 2_000);
    assert.ok(png.length <= MAX_ATTACHMENT_BYTES, String(png.length));
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      form: reportForm(reportInput(), [{ name: 'foto.png', bytes: png, type: 'image/png' }]),
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.attachments.length, 1);
  });

  test('more attachments than allowed', async () => {
    const pdf = fixture('document.pdf');
    const files = Array.from({ length: t.deps.config.maxAttachments + 1 }, (_, i) => ({
      name: `dok-${i}.pdf`,
      bytes: pdf,
      type: 'application/pdf',
    }));
    await refusedSubmission(submitForm(reportForm(reportInput(), files)), 400, 'invalid_input', ['attachments']);
  });

  for (const name of ['text-as.jpg', 'elf-as.jpg']) {
    test(`${name}: content that does not match its name → 415 attachment_type_mismatch`, async () => {
      for (const type of ['image/jpeg', undefined]) {
        await refusedSubmission(
          submitForm(reportForm(reportInput(), [{ name, bytes: fixture(name), type }])),
          415,
          'attachment_type_mismatch',
          ['attachments.0'],
        );
      }
    });
  }

  test('a PDF declared as a JPEG → 415 attachment_type_mismatch', async () => {
    await refusedSubmission(
      submitForm(reportForm(reportInput(), [{ name: 'foto.jpg', bytes: fixture('document.pdf'), type: 'image/jpeg' }])),
      415,
      'attachment_type_mismatch',
    );
  });

  for (const [name, type] of [
    ['drawing.svg', 'image/svg+xml'],
    ['archive.zip', 'application/zip'],
  ] as const) {
    test(`${name}: a type that is not allowed → 415`, async () => {
      await refusedSubmission(
        submitForm(reportForm(reportInput(), [{ name, bytes: fixture(name), type }])),
        415,
        'attachment_type_not_allowed',
        ['attachments.0'],
      );
    });
  }

  test('one bad file among good ones: nothing is kept, not even the good files', async () => {
    await refusedSubmission(
      submitForm(
        reportForm(reportInput(), [
          { name: 'foto.jpg', bytes: fixture('photo-gps.jpg'), type: 'image/jpeg' },
          { name: 'dok.pdf', bytes: fixture('document.pdf'), type: 'application/pdf' },
          { name: 'virus.jpg', bytes: fixture('elf-as.jpg'), type: 'image/jpeg' },
        ]),
      ),
      415,
      'attachment_type_mismatch',
      ['attachments.2'],
    );
  });

  test('an empty file is refused', async () => {
    await refusedSubmission(
      submitForm(reportForm(reportInput(), [{ name: 'kosong.jpg', bytes: new Uint8Array(0), type: 'image/jpeg' }])),
      400,
      'invalid_input',
      ['attachments.0'],
    );
  });

  test('a file that passes the checks but whose report is refused leaves no file behind', async () => {
    await refusedSubmission(
      submitForm(
        reportForm(reportInput({ regionCode: '99.99' }), [{ name: 'foto.jpg', bytes: fixture('photo-gps.jpg'), type: 'image/jpeg' }]),
      ),
      400,
      'invalid_input',
      ['regionCode'],
    );
  });
});

describe('unknown reports and attachments', () => {
  const ACTION_BODIES: Record<string, unknown> = {
    verify: { resolutionClass: 5 },
    hold: { message: 'Mohon lengkapi.' },
    archive: { reason: 'incomplete' },
    route: { bodyId: 1 },
    disposition: { unitId: 1 },
    forward: { toNational: true, message: 'Bukan wewenang kami.' },
    'follow-ups': { message: 'Sedang ditinjau.' },
    answer: { message: 'Jalan sudah diaspal ulang pada 23 November 2026 oleh Dinas PUPR.' },
    reply: { message: 'Tambahan informasi.' },
    reopen: { message: 'Belum selesai.' },
    accept: {},
    rate: { rating: 5 },
    close: {},
  };
  const REPORTER_ACTIONS = new Set(['reply', 'reopen', 'accept', 'rate', 'close']);
  const UNKNOWN = ['34679AFH', '3467-9afh', 'O0I1S5LB', 'abc', '12345678', 'K7MX3PRA%20extra'];

  test('GET and /timeline of an unknown tracking ID → 404, for anyone', async () => {
    for (const id of UNKNOWN) {
      for (const token of [undefined, citizen.token, national.token]) {
        assertRefused(await t.request('GET', `/api/v1/reports/${id}`, { token }), 404, 'not_found');
        assertRefused(await t.request('GET', `/api/v1/reports/${id}/timeline`, { token }), 404, 'not_found');
      }
    }
  });

  test('every action on an unknown tracking ID → 404', async () => {
    for (const id of UNKNOWN) {
      for (const [action, json] of Object.entries(ACTION_BODIES)) {
        const user = REPORTER_ACTIONS.has(action) ? citizen : national;
        const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
        assertRefused(res, 404, 'not_found');
      }
      assertRefused(
        await t.request('POST', `/api/v1/reports/${id}/identity`, {
          token: national.token,
          json: { reason: 'Pemeriksaan pengaduan berulang.' },
        }),
        404,
        'not_found',
      );
    }
  });

  test('an unknown attachment → 404; a malformed attachment id → 400; another report’s attachment → 404', async () => {
    const withFile = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      form: reportForm(reportInput(), [{ name: 'dok.pdf', bytes: fixture('document.pdf'), type: 'application/pdf' }]),
    });
    assert.equal(withFile.status, 201, withFile.text);
    const attachmentId: number = withFile.body.attachments[0].id;
    const other = await newReport();
    assertRefused(
      await t.request('GET', `/api/v1/reports/${withFile.body.trackingId}/attachments/999999`, { token: citizen.token }),
      404,
      'not_found',
    );
    assertRefused(
      await t.request('GET', `/api/v1/reports/${other}/attachments/${attachmentId}`, { token: citizen.token }),
      404,
      'not_found',
    );
    assertRefused(
      await t.request('GET', `/api/v1/reports/34679AFH/attachments/${attachmentId}`, { token: citizen.token }),
      404,
      'not_found',
    );
    for (const bad of ['abc', '0', '-1', '1.5']) {
      assertRefused(
        await t.request('GET', `/api/v1/reports/${withFile.body.trackingId}/attachments/${bad}`, { token: citizen.token }),
        400,
        'invalid_input',
        ['attachmentId'],
      );
    }
    // the reporter's own file is not public
    assertRefused(await t.request('GET', `/api/v1/reports/${withFile.body.trackingId}/attachments/${attachmentId}`), 404, 'not_found');
  });
});

describe('list query parameters', () => {
  const BAD: [string, string][] = [
    ['perPage=1000', 'perPage'],
    ['perPage=0', 'perPage'],
    ['perPage=abc', 'perPage'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['status=bogus', 'status'],
    ['status=submitted,bogus', 'status'],
    ['from=notadate', 'from'],
    ['to=2026-13-01', 'to'],
    ['regionCode=xx', 'regionCode'],
    ['regionCode=61.7', 'regionCode'],
    ['classification=keluhan', 'classification'],
    ['bodyId=abc', 'bodyId'],
    ['categoryId=-3', 'categoryId'],
  ];

  test('the public feed refuses each bad parameter, naming it', async () => {
    for (const [query, field] of BAD) {
      assertRefused(await t.request('GET', `/api/v1/reports?${query}`), 400, 'invalid_input', [field]);
    }
    assertRefused(
      await t.request('GET', '/api/v1/reports?perPage=1000&page=0&status=bogus&from=notadate&regionCode=xx'),
      400,
      'invalid_input',
      ['perPage', 'page', 'status', 'from', 'regionCode'],
    );
  });

  test('my reports and the inbox refuse them too', async () => {
    assertRefused(await t.request('GET', '/api/v1/me/reports?perPage=1000&status=bogus', { token: citizen.token }), 400, 'invalid_input', [
      'perPage',
      'status',
    ]);
    assertRefused(await t.request('GET', '/api/v1/inbox?page=0&from=notadate', { token: agency.token }), 400, 'invalid_input', [
      'page',
      'from',
    ]);
    assertRefused(await t.request('GET', '/api/v1/me/reports'), 401, 'unauthenticated');
    assertRefused(await t.request('GET', '/api/v1/inbox', { token: citizen.token }), 403, 'forbidden');
  });

  // BUG: year 0000 passes the ISO-date check and PostgreSQL fails on the cast → 500.
  test('from=0000-01-01 is refused, not a server error', async () => {
    assertRefused(await t.request('GET', '/api/v1/reports?from=0000-01-01'), 400, 'invalid_input', ['from']);
  });

  test('reference lists refuse bad parameters', async () => {
    assertRefused(await t.request('GET', '/api/v1/regions?parent=xx'), 400, 'invalid_input', ['parent']);
    assertRefused(await t.request('GET', '/api/v1/bodies?limit=0'), 400, 'invalid_input', ['limit']);
    assertRefused(await t.request('GET', '/api/v1/bodies?parentId=abc'), 400, 'invalid_input', ['parentId']);
  });
});

describe('lifecycle actions with missing or invalid fields', () => {
  /** Sends one refused action and checks the report and its timeline did not move. */
  async function refusedAction(user: TestUser, id: string, action: string, json: unknown, fields: string[], status = 400) {
    const before = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
    const eventsBefore = (await stored()).events;
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, { token: user.token, json });
    assertRefused(res, status, status === 400 ? 'invalid_input' : null, fields);
    const afterReport = await t.request('GET', `/api/v1/reports/${id}`, { token: national.token });
    assert.equal(afterReport.body.status, before.body.status);
    assert.equal(afterReport.body.updatedAt, before.body.updatedAt);
    assert.equal((await stored()).events, eventsBefore, `${action} wrote an event`);
    return res;
  }

  test('verify: resolutionClass missing, 7, or "5"; a bad category; trying to lift anonymity', async () => {
    const id = await newReport();
    await refusedAction(national, id, 'verify', {}, ['resolutionClass']);
    await refusedAction(national, id, 'verify', { resolutionClass: 7 }, ['resolutionClass']);
    await refusedAction(national, id, 'verify', { resolutionClass: '5' }, ['resolutionClass']);
    await refusedAction(national, id, 'verify', { resolutionClass: 5, categoryId: 999_999 }, ['categoryId']);
    await refusedAction(national, id, 'verify', { resolutionClass: 5, title: 'abc' }, ['title']);
    await refusedAction(national, id, 'verify', { resolutionClass: 5, classification: 'keluhan' }, ['classification']);
    const anonymous = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ anonymous: true }) });
    await refusedAction(national, anonymous.body.trackingId, 'verify', { resolutionClass: 5, anonymous: false }, ['anonymous']);
  });

  test('archive: an unknown reason; a duplicate without, or with a bad, original; duplicateOf without duplicate', async () => {
    const id = await newReport();
    const original = await newReport();
    await refusedAction(national, id, 'archive', {}, ['reason']);
    await refusedAction(national, id, 'archive', { reason: 'bogus' }, ['reason']);
    await refusedAction(national, id, 'archive', { reason: 'duplicate' }, ['duplicateOf']);
    await refusedAction(national, id, 'archive', { reason: 'duplicate', duplicateOf: 'O0O0O0O0' }, ['duplicateOf']);
    await refusedAction(national, id, 'archive', { reason: 'duplicate', duplicateOf: '34679AFH' }, ['duplicateOf']);
    await refusedAction(national, id, 'archive', { reason: 'spam_hoax', duplicateOf: original }, ['duplicateOf']);
  });

  test('hold and other messages: missing, empty or blank', async () => {
    const id = await newReport();
    for (const json of [{}, { message: '' }, { message: '    ' }, { message: 42 }]) {
      await refusedAction(national, id, 'hold', json, ['message']);
    }
    await refusedAction(citizen, id, 'reply', { message: 'x'.repeat(10_001) }, ['message']);
  });

  test('route: to a unit, an unknown body, a body id that is not a number', async () => {
    const id = await newReport();
    await act(national, id, 'verify', { resolutionClass: 5 });
    await refusedAction(national, id, 'route', { bodyId: ids.pupr }, ['bodyId']);
    await refusedAction(national, id, 'route', { bodyId: 999_999 }, ['bodyId']);
    await refusedAction(national, id, 'route', { bodyId: 'pemkot-61.71' }, ['bodyId']);
    await refusedAction(national, id, 'route', {}, ['bodyId']);
    await refusedAction(national, id, 'route', { bodyId: 0 }, ['bodyId']);
  });

  test('disposition: to a unit of another body, to a body, to nothing', async () => {
    const id = await newReport();
    await act(national, id, 'verify', { resolutionClass: 5 });
    await act(national, id, 'route', { bodyId: ids.pontianak });
    await refusedAction(agency, id, 'disposition', { unitId: ids.metroPupr }, ['unitId']);
    await refusedAction(agency, id, 'disposition', { unitId: ids.metro }, ['unitId']);
    await refusedAction(agency, id, 'disposition', { unitId: 999_999 }, ['unitId']);
    await refusedAction(agency, id, 'disposition', {}, ['unitId']);
  });

  test('forward: with neither body nor reason, without a body, with both a body and toNational, to its own body', async () => {
    const id = await newReport();
    await act(national, id, 'verify', { resolutionClass: 5 });
    await act(national, id, 'route', { bodyId: ids.pontianak });
    await refusedAction(agency, id, 'forward', {}, ['message']);
    await refusedAction(agency, id, 'forward', { bodyId: ids.metro }, ['message']);
    await refusedAction(agency, id, 'forward', { message: 'Bukan wewenang kami.' }, ['bodyId']);
    await refusedAction(agency, id, 'forward', { message: 'Bukan wewenang kami.', bodyId: ids.metro, toNational: true }, ['bodyId']);
    await refusedAction(agency, id, 'forward', { message: 'Bukan wewenang kami.', bodyId: ids.pontianak }, ['bodyId']);
    await refusedAction(agency, id, 'forward', { message: 'Bukan wewenang kami.', bodyId: ids.metroPupr }, ['bodyId']);
  });

  test('rate: 0, 6, "five", 2.5, missing', async () => {
    const id = await newReport();
    await act(citizen, id, 'close', {});
    for (const rating of [0, 6, 'five', 2.5, null]) await refusedAction(citizen, id, 'rate', { rating }, ['rating']);
    await refusedAction(citizen, id, 'rate', {}, ['rating']);
  });

  test('follow-ups sent as a form with a bad flag, and an action body that is not an object', async () => {
    const id = await newReport();
    await act(national, id, 'verify', { resolutionClass: 5 });
    await act(national, id, 'route', { bodyId: ids.pontianak });
    const form = new FormData();
    form.set('message', 'Sedang ditinjau.');
    form.set('internal', 'maybe');
    const res = await t.request('POST', `/api/v1/reports/${id}/follow-ups`, { token: agency.token, form });
    assertRefused(res, 400, 'invalid_input', ['internal']);
    for (const json of [[], 'hold', null]) {
      assertRefused(await t.request('POST', `/api/v1/reports/${id}/hold`, { token: national.token, json }), 400, 'invalid_input');
    }
    assertRefused(
      await t.request('POST', `/api/v1/reports/${id}/hold`, {
        token: national.token,
        raw: '{"message":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'invalid_input',
    );
    assertRefused(
      await t.request('POST', `/api/v1/reports/${id}/hold`, {
        token: national.token,
        raw: 'message=x',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    );
  });

  test('identity: a reason that is too short', async () => {
    const id = await newReport();
    assertRefused(
      await t.request('POST', `/api/v1/reports/${id}/identity`, { token: national.token, json: { reason: 'cek' } }),
      400,
      'invalid_input',
      ['reason'],
    );
    assertRefused(await t.request('POST', `/api/v1/reports/${id}/identity`, { token: national.token, json: {} }), 400, 'invalid_input', [
      'reason',
    ]);
  });
});

describe('authentication', () => {
  test('a malformed Authorization header → 401, on public and private endpoints alike', async () => {
    const id = await newReport();
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer ',
      'Bearer short',
      `Bearer ${'a'.repeat(300)}`,
      'Token abcdefghijkl',
      'Bearer a b c d e f g h',
    ]) {
      for (const [method, url] of [
        ['GET', '/api/v1/me'],
        ['GET', '/api/v1/reports'],
        ['GET', `/api/v1/reports/${id}`],
        ['POST', `/api/v1/reports/${id}/close`],
      ] as const) {
        const res = await t.request(method, url, { headers: { authorization }, ...(method === 'POST' ? { json: {} } : {}) });
        assertRefused(res, 401, 'unauthenticated');
      }
    }
  });

  test('a well-formed but unknown token → 401; no token where one is needed → 401', async () => {
    assertRefused(await t.request('GET', '/api/v1/me', { token: 'x'.repeat(43) }), 401, 'unauthenticated');
    await refusedSubmission(() => t.request('POST', '/api/v1/reports', { json: reportInput() }), 401, 'unauthenticated');
    await refusedSubmission(submitJson(reportInput(), national.token), 403, 'forbidden');
  });
});

describe('no text can crash the server', () => {
  // BUG: U+0000 passes every schema and reaches PostgreSQL, which refuses it → 500 on every endpoint that stores or searches text.
  test('a NUL character gets a 4xx on every endpoint that takes text', async () => {
    const id = await newReport();
    const attempts: [string, () => Promise<Response>][] = [
      [
        'report title',
        () => t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput({ title: 'Jalan\u0000rusak parah' }) }),
      ],
      [
        'reply message',
        () => t.request('POST', `/api/v1/reports/${id}/reply`, { token: citizen.token, json: { message: 'Tambahan\u0000info' } }),
      ],
      ['feed search', () => t.request('GET', '/api/v1/reports?q=jalan%00rusak')],
      ['body directory search', () => t.request('GET', '/api/v1/bodies?q=kota%00')],
      ['login', () => t.request('POST', '/api/v1/auth/login', { json: { login: 'warga\u0000@x.id', password: 'kata-sandi-123' } })],
      [
        'register name',
        () =>
          t.request('POST', '/api/v1/auth/register', {
            json: { name: 'Budi\u0000', email: 'nul@test.lapor.go.id', password: 'kata-sandi-123' },
          }),
      ],
    ];
    const crashed: string[] = [];
    for (const [name, send] of attempts) {
      const res = await send();
      if (res.status >= 500) crashed.push(`${name} → ${res.status}`);
      else assertRefused(res, 400, 'invalid_input');
    }
    assert.deepEqual(crashed, []);
  });
});
