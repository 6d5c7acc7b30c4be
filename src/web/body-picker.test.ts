/**
 * The back office's body picker (body-picker.ts): a typed name or code resolves to one body, or to
 * a field error that says why (none, several, too long, a choice that is not on the list), for any
 * input at all; the suggestions come first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BodyOption, MAX_CANDIDATES, bodyPicker, pickBody, suggestedBodies } from './body-picker.ts';

const BODIES: BodyOption[] = [
  { id: 1, code: 'pemprov-61', name: 'Pemerintah Provinsi Kalimantan Barat', regionCode: '61' },
  { id: 2, code: 'pemkot-61.71', name: 'Pemerintah Kota Pontianak', regionCode: '61.71' },
  { id: 3, code: 'pemkot-61.72', name: 'Pemerintah Kota Singkawang', regionCode: '61.72' },
  { id: 4, code: 'pemkab-61.12', name: 'Pemerintah Kabupaten Kubu Raya', regionCode: '61.12' },
  { id: 5, code: 'kemenkes', name: 'Kementerian Kesehatan', regionCode: null },
  { id: 6, code: 'kemendagri', name: 'Kementerian Dalam Negeri', regionCode: null },
  { id: 7, code: 'pemprov-62', name: 'Pemerintah Provinsi Kalimantan Tengah', regionCode: '62' },
];

const found = (input: Parameters<typeof pickBody>[0], first: number[] = []) => {
  const r = pickBody(input, BODIES, first);
  return r.kind === 'found' ? r.body.id : r.kind;
};

describe('pickBody', () => {
  test('a whole name, in any case and spacing, or a code, is that body', () => {
    assert.equal(found({ text: 'Pemerintah Kota Pontianak' }), 2);
    assert.equal(found({ text: '  pemerintah   KOTA pontianak ' }), 2);
    assert.equal(found({ text: 'pemkot-61.71' }), 2);
    assert.equal(found({ text: 'KEMENKES' }), 5);
  });

  test('part of a name, or its words in any order, is the one body it fits', () => {
    assert.equal(found({ text: 'pontianak' }), 2);
    assert.equal(found({ text: 'Kota Pontian' }), 2);
    assert.equal(found({ text: 'kubu raya kabupaten' }), 4);
    assert.equal(found({ text: 'kesehatan' }), 5);
    assert.equal(found({ text: '61.72' }), 3, 'part of a code');
  });

  test('nothing typed and nothing chosen is "none": the caller decides whether it is required', () => {
    for (const text of [undefined, '', '   ', '\n\t']) assert.equal(found({ text }), 'none');
    assert.equal(found({ text: '', id: '' }), 'none');
  });

  test('several matches: an error and the matches to choose from, the suggestions first', () => {
    const r = pickBody({ text: 'kalimantan' }, BODIES, [7]);
    assert.equal(r.kind, 'error');
    if (r.kind !== 'error') return;
    assert.match(r.error, /^2 instansi cocok: pilih satu di bawah \/ 2 bodies match: choose one below$/);
    assert.deepEqual(
      r.candidates.map((b) => b.id),
      [7, 1],
    );
    assert.equal(r.more, 0);
  });

  test('more matches than can be listed: the first few, and how many more', () => {
    const many: BodyOption[] = Array.from({ length: 40 }, (_, i) => ({
      id: 100 + i,
      code: `b-${i}`,
      name: `Dinas Contoh ${i}`,
      regionCode: null,
    }));
    const r = pickBody({ text: 'dinas' }, many);
    assert.equal(r.kind, 'error');
    if (r.kind !== 'error') return;
    assert.equal(r.candidates.length, MAX_CANDIDATES);
    assert.equal(r.more, 40 - MAX_CANDIDATES);
    assert.match(r.error, /ketik lebih lengkap/);
  });

  test('a choice from the list of matches wins over the text; one not on the list is refused', () => {
    assert.equal(found({ text: 'kalimantan', id: '7' }), 7);
    assert.equal(found({ text: 'pontianak', id: ' 3 ' }), 3);
    for (const id of ['999', '0', '-1', '1e3', '12abc', '99999999999999999999', '2; DROP TABLE bodies', '٣']) {
      const r = pickBody({ text: 'pontianak', id }, BODIES);
      assert.equal(r.kind, 'error', id);
      if (r.kind === 'error') assert.equal(r.error, 'Pilihan tidak valid / Invalid choice');
    }
  });

  test('bad input of every kind is a field error or "none", never an exception', () => {
    const hostile = [
      'x'.repeat(201),
      'x'.repeat(100_000),
      '%',
      '_',
      '.*',
      '(',
      '[a-z]+',
      '\\',
      '\u0000',
      '\u202e',
      'ß',
      '\ud800',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      'Pemerintah Kota Pontianak / Pemerintah Kota Singkawang',
      '🙂',
      'ｐｏｎｔｉａｎａｋ',
    ];
    for (const text of hostile) {
      const r = pickBody({ text }, BODIES);
      assert.ok(['error', 'none', 'found'].includes(r.kind), text);
      if (r.kind === 'error') assert.match(r.error, / \/ /, 'bilingual');
    }
    assert.equal(pickBody({ text: 'x'.repeat(201) }, BODIES).kind, 'error');
    assert.equal(found({ text: 'ｐｏｎｔｉａｎａｋ' }), 2, 'full-width letters are the same letters (NFKC)');
    const none = pickBody({ text: 'Dinas Perikanan Atlantis' }, BODIES);
    assert.equal(none.kind, 'error');
    if (none.kind === 'error') {
      assert.match(none.error, /^Tidak ada instansi yang cocok/);
      assert.deepEqual(none.candidates, []);
    }
    assert.equal(pickBody({ text: 'pontianak' }, []).kind, 'error', 'an empty directory');
  });
});

describe('suggestedBodies', () => {
  test('the reporter’s suggestion, then the government of the regency or city, then of the province; none twice', () => {
    assert.deepEqual(
      suggestedBodies(BODIES, { suggestedBodyId: 5, regionCode: '61.71.01.1001' }).map((s) => [s.body.id, s.reason]),
      [
        [5, 'reporter'],
        [2, 'region'],
        [1, 'region'],
      ],
    );
    assert.deepEqual(
      suggestedBodies(BODIES, { suggestedBodyId: 2, regionCode: '61.71' }).map((s) => s.body.id),
      [2, 1],
    );
    assert.deepEqual(suggestedBodies(BODIES, { suggestedBodyId: null, regionCode: null }), []);
    assert.deepEqual(suggestedBodies(BODIES, { suggestedBodyId: 999, regionCode: '99' }), []);
  });
});

describe('bodyPicker', () => {
  test('a labelled text field with a datalist of every body, the suggestions first; matches as labelled radio buttons', async () => {
    const suggestions = suggestedBodies(BODIES, { suggestedBodyId: 5, regionCode: '61.71' });
    const html = String(
      await bodyPicker({
        lang: 'id',
        id: 'route-body',
        label: 'Instansi',
        value: 'Kementerian Kesehatan',
        error: '2 instansi cocok: pilih satu di bawah / 2 bodies match: choose one below',
        bodies: BODIES,
        suggestions,
        candidates: [BODIES[0]!, BODIES[6]!],
      }),
    );
    assert.match(html, /<label for="route-body">Instansi<\/label>/);
    assert.match(html, /<input id="route-body" name="instansi" type="text" list="route-body-list" value="Kementerian Kesehatan"/);
    assert.match(html, /aria-describedby="route-body-hint route-body-error" aria-invalid="true"/);
    assert.match(html, /id="route-body-error">2 instansi cocok: pilih satu di bawah</);
    const options = [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(options.slice(0, 3), ['Kementerian Kesehatan', 'Pemerintah Kota Pontianak', 'Pemerintah Provinsi Kalimantan Barat']);
    assert.equal(options.length, BODIES.length, 'each body once');
    assert.match(html, /Usulan: Kementerian Kesehatan \(usulan pelapor\); Pemerintah Kota Pontianak \(wilayah laporan\)/);
    assert.match(
      html,
      /<input type="radio" id="route-body-1" name="bodyId" value="1"><label for="route-body-1">Pemerintah Provinsi Kalimantan Barat<\/label>/,
    );
  });
});
