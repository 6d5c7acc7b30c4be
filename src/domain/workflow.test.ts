import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../errors.ts';
import { classifyClause, isPromiseOnly } from './answer-check.ts';
import { normalizePhone } from './phone.ts';
import { ROLES } from './roles.ts';
import { TRACKING_ID_LENGTH, formatTrackingId, generateTrackingId, normalizeTrackingId } from './tracking-id.ts';
import {
  ACTIONS,
  type Action,
  type Actor,
  STATUSES,
  STATUS_LABELS,
  type Status,
  type TransitionContext,
  TRANSITIONS,
  availableActions,
  decideTransition,
} from './workflow.ts';

const ACTORS: readonly Actor[] = [...ROLES, 'system'];

/** Runs fn and returns the AppError it throws (fails the test when it throws nothing or something else). */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected decideTransition to throw');
}

/**
 * The context under which a row of the table is the one that applies. Rows with a `when` are
 * conditional; each one must be listed here, so a new conditional row fails this test until it is covered.
 */
function contextFor(row: (typeof TRANSITIONS)[number]): TransitionContext {
  const base: TransitionContext = { verified: true, alreadyRated: false };
  if (row.action === 'forward') return { ...base, toNational: row.to === 'submitted' };
  if (row.action === 'rate') return { ...base, rating: row.to === 'in_progress' ? 2 : 3 };
  if (row.action === 'follow_up') return { ...base, internal: row.event === 'internal_note' };
  // verified once: the only row that needs a report not yet verified
  if (row.action === 'verify') return { ...base, verified: false };
  // deciding needs something to decide: a body's archive request, a pending appeal
  if (row.action === 'confirm_archive' || row.action === 'reject_archive') return { ...base, archiveRequested: true };
  if (row.action === 'grant_appeal' || row.action === 'reject_appeal') return { ...base, appealPending: true, appealed: true };
  assert.equal(row.when, undefined, `row ${row.action}→${row.to} has a condition this test does not know`);
  return base;
}

describe('the transition table', () => {
  test('every row, from every status and for every actor it names, gives its target, event and visibility', () => {
    let checked = 0;
    for (const row of TRANSITIONS) {
      assert.ok(row.from.length > 0 && row.actors.length > 0, `${row.action} has no from or no actors`);
      for (const from of row.from) {
        for (const actor of row.actors) {
          const d = decideTransition(from, row.action, actor, contextFor(row));
          const label = `${from} --${row.action}(${actor})-->`;
          assert.equal(d.from, from, label);
          assert.equal(d.to, row.to === 'same' ? from : row.to, label);
          assert.equal(d.event, row.event, label);
          assert.equal(d.visibility, row.visibility, label);
          checked++;
        }
      }
    }
    assert.equal(
      checked,
      TRANSITIONS.reduce((n, r) => n + r.from.length * r.actors.length, 0),
    );
    assert.ok(checked > 40, `only ${checked} combinations checked`);
  });

  test('every status × action × actor that no row allows is refused: forbidden for a wrong role, illegal otherwise', () => {
    for (const status of STATUSES) {
      for (const action of ACTIONS) {
        for (const actor of ACTORS) {
          const rows = TRANSITIONS.filter((r) => r.action === action);
          const allowedHere = rows.some((r) => r.from.includes(status) && r.actors.includes(actor));
          if (allowedHere) continue;
          const err = appErrorOf(() => decideTransition(status, action, actor, { verified: true, rating: 5 }));
          const roleMayEver = rows.some((r) => r.actors.includes(actor));
          assert.equal(err.code, roleMayEver ? 'illegal_transition' : 'forbidden', `${status} ${action} ${actor}`);
        }
      }
    }
  });

  test('the lifecycle of domain.md, written out independently of the table', () => {
    const legal: [Status, Action, Actor, Status, TransitionContext?][] = [
      ['submitted', 'verify', 'national_admin', 'submitted'],
      ['submitted', 'verify', 'agency_admin', 'submitted'],
      ['submitted', 'hold', 'national_admin', 'on_hold'],
      ['on_hold', 'reply', 'reporter', 'submitted'],
      ['on_hold', 'archive_incomplete', 'system', 'archived'],
      ['submitted', 'archive', 'national_admin', 'archived'],
      // a body's archive is a request; a national admin confirms it
      ['on_hold', 'archive', 'agency_admin', 'on_hold'],
      ['submitted', 'archive', 'agency_admin', 'submitted'],
      ['on_hold', 'confirm_archive', 'national_admin', 'archived', { archiveRequested: true }],
      ['submitted', 'reject_archive', 'national_admin', 'submitted', { archiveRequested: true }],
      // the reporter appeals once; a national admin decides
      ['archived', 'appeal', 'reporter', 'archived'],
      ['archived', 'grant_appeal', 'national_admin', 'submitted', { appealed: true, appealPending: true }],
      ['archived', 'reject_appeal', 'national_admin', 'archived', { appealed: true, appealPending: true }],
      ['submitted', 'route', 'national_admin', 'dispositioned', { verified: true }],
      ['submitted', 'route', 'agency_admin', 'dispositioned', { verified: true }],
      ['dispositioned', 'disposition', 'agency_admin', 'dispositioned'],
      ['dispositioned', 'disposition', 'unit_officer', 'dispositioned'],
      ['in_progress', 'disposition', 'unit_officer', 'in_progress'],
      ['dispositioned', 'forward', 'agency_admin', 'dispositioned'],
      ['in_progress', 'forward', 'agency_admin', 'dispositioned'],
      ['dispositioned', 'forward', 'agency_admin', 'submitted', { toNational: true }],
      ['dispositioned', 'follow_up', 'unit_officer', 'in_progress'],
      ['in_progress', 'follow_up', 'agency_admin', 'in_progress'],
      ['dispositioned', 'answer', 'unit_officer', 'answered'],
      ['in_progress', 'answer', 'agency_admin', 'answered'],
      ['answered', 'reply', 'reporter', 'in_progress'],
      ['answered', 'reopen', 'reporter', 'in_progress'],
      ['answered', 'accept', 'reporter', 'closed'],
      ['answered', 'auto_close', 'system', 'closed'],
      ['closed', 'rate', 'reporter', 'in_progress', { rating: 1 }],
      ['closed', 'rate', 'reporter', 'in_progress', { rating: 2 }],
      ['closed', 'rate', 'reporter', 'closed', { rating: 3 }],
      ['closed', 'rate', 'reporter', 'closed', { rating: 4 }],
      ['closed', 'rate', 'reporter', 'closed', { rating: 5 }],
      ['submitted', 'close', 'reporter', 'closed'],
      ['on_hold', 'close', 'reporter', 'closed'],
      ['dispositioned', 'close', 'reporter', 'closed'],
      ['in_progress', 'close', 'reporter', 'closed'],
      ['answered', 'close', 'reporter', 'closed'],
      // a reporter may add information while the report is open, without moving it
      ['submitted', 'reply', 'reporter', 'submitted'],
      ['dispositioned', 'reply', 'reporter', 'dispositioned'],
      ['in_progress', 'reply', 'reporter', 'in_progress'],
    ];
    for (const [from, action, actor, to, ctx] of legal) {
      assert.equal(decideTransition(from, action, actor, ctx).to, to, `${from} ${action} ${actor}`);
    }
  });

  test('illegal (status, action, actor) → illegal_transition with a reason naming the status', () => {
    const illegal: [Status, Action, Actor][] = [
      ['submitted', 'answer', 'unit_officer'],
      ['submitted', 'answer', 'agency_admin'],
      ['submitted', 'follow_up', 'agency_admin'],
      ['submitted', 'disposition', 'agency_admin'],
      ['submitted', 'forward', 'agency_admin'],
      ['dispositioned', 'accept', 'reporter'],
      ['in_progress', 'accept', 'reporter'],
      ['closed', 'reopen', 'reporter'],
      ['dispositioned', 'reopen', 'reporter'],
      ['archived', 'verify', 'national_admin'],
      ['archived', 'archive', 'national_admin'],
      ['archived', 'reply', 'reporter'],
      ['archived', 'close', 'reporter'],
      ['dispositioned', 'hold', 'national_admin'],
      ['on_hold', 'hold', 'national_admin'],
      ['on_hold', 'verify', 'national_admin'],
      ['on_hold', 'route', 'national_admin'],
      ['answered', 'rate', 'reporter'],
      ['in_progress', 'rate', 'reporter'],
      ['closed', 'close', 'reporter'],
      ['closed', 'reply', 'reporter'],
      ['closed', 'answer', 'unit_officer'],
      ['answered', 'answer', 'unit_officer'],
      ['answered', 'follow_up', 'unit_officer'],
      ['dispositioned', 'route', 'national_admin'],
      ['dispositioned', 'verify', 'national_admin'],
      ['submitted', 'auto_close', 'system'],
      ['closed', 'archive_incomplete', 'system'],
    ];
    for (const [status, action, actor] of illegal) {
      const err = appErrorOf(() => decideTransition(status, action, actor, { verified: true, rating: 4 }));
      assert.equal(err.code, 'illegal_transition', `${status} ${action} ${actor}`);
      assert.ok(err.message.includes(`'${status}'`), `the reason names the status: ${err.message}`);
      assert.ok(err.message.includes(STATUS_LABELS[status].id), `and its label: ${err.message}`);
      assert.ok(err.message.includes(action), err.message);
    }
  });

  test('a role that may never take an action is forbidden, whatever the status', () => {
    const wrong: [Status, Action, Actor][] = [
      ['submitted', 'verify', 'reporter'],
      ['submitted', 'verify', 'unit_officer'],
      ['submitted', 'route', 'unit_officer'],
      ['submitted', 'route', 'monitor'],
      ['dispositioned', 'answer', 'national_admin'],
      ['dispositioned', 'answer', 'reporter'],
      ['dispositioned', 'disposition', 'national_admin'],
      ['dispositioned', 'forward', 'unit_officer'],
      ['answered', 'accept', 'agency_admin'],
      ['answered', 'reopen', 'national_admin'],
      ['closed', 'rate', 'unit_officer'],
      ['answered', 'close', 'agency_admin'],
      ['answered', 'auto_close', 'reporter'],
      ['on_hold', 'archive_incomplete', 'national_admin'],
      ['submitted', 'hold', 'ombudsman'],
      ['submitted', 'archive', 'integrator'],
      // the clock is no person: the worker may not verify, answer or accept
      ['submitted', 'verify', 'system'],
      ['dispositioned', 'answer', 'system'],
      ['answered', 'accept', 'system'],
    ];
    for (const [status, action, actor] of wrong) {
      const err = appErrorOf(() => decideTransition(status, action, actor, { verified: true }));
      assert.equal(err.code, 'forbidden', `${status} ${action} ${actor}`);
      assert.ok(err.message.includes(actor), err.message);
    }
  });

  test('verification happens once; corrections after it are edits, with their own event', () => {
    const again = appErrorOf(() => decideTransition('submitted', 'verify', 'national_admin', { verified: true }));
    assert.equal(again.code, 'illegal_transition');
    assert.match(again.message, /sudah diverifikasi|already verified/);
    for (const status of ['submitted', 'dispositioned', 'in_progress', 'answered'] as const) {
      const d = decideTransition(status, 'edit', 'agency_admin', { verified: true });
      assert.deepEqual(d, { from: status, to: status, event: 'edited', visibility: 'staff' });
    }
    assert.equal(appErrorOf(() => decideTransition('submitted', 'edit', 'national_admin', { verified: false })).code, 'illegal_transition');
    assert.equal(appErrorOf(() => decideTransition('closed', 'edit', 'national_admin', { verified: true })).code, 'illegal_transition');
    assert.equal(appErrorOf(() => decideTransition('dispositioned', 'edit', 'unit_officer', { verified: true })).code, 'forbidden');
  });

  test('a staff-only follow-up is a note: the status stays, and its event is not a follow-up', () => {
    for (const from of ['dispositioned', 'in_progress'] as const) {
      assert.deepEqual(decideTransition(from, 'follow_up', 'unit_officer', { internal: true }), {
        from,
        to: from,
        event: 'internal_note',
        visibility: 'staff',
      });
    }
    assert.equal(decideTransition('dispositioned', 'follow_up', 'unit_officer', { internal: false }).to, 'in_progress');
  });

  test('route needs a verified report, and says so', () => {
    const err = appErrorOf(() => decideTransition('submitted', 'route', 'national_admin', { verified: false }));
    assert.equal(err.code, 'illegal_transition');
    assert.match(err.message, /diverifikasi|verified/);
    assert.equal(appErrorOf(() => decideTransition('submitted', 'route', 'agency_admin')).code, 'illegal_transition');
    assert.equal(decideTransition('submitted', 'route', 'agency_admin', { verified: true }).to, 'dispositioned');
  });

  test('a rating of 1–2 reopens, 3–5 keeps it closed, and a second rating is refused', () => {
    for (const rating of [1, 2]) {
      const d = decideTransition('closed', 'rate', 'reporter', { rating });
      assert.deepEqual(d, { from: 'closed', to: 'in_progress', event: 'rated', visibility: 'public' });
    }
    for (const rating of [3, 4, 5]) assert.equal(decideTransition('closed', 'rate', 'reporter', { rating }).to, 'closed');
    for (const rating of [1, 5]) {
      const err = appErrorOf(() => decideTransition('closed', 'rate', 'reporter', { rating, alreadyRated: true }));
      assert.equal(err.code, 'illegal_transition');
      assert.match(err.message, /sudah dinilai|already been rated/);
    }
  });

  test('forward to another body keeps it routed; toNational sends it back to submitted', () => {
    for (const from of ['dispositioned', 'in_progress'] as const) {
      const back = decideTransition(from, 'forward', 'agency_admin', { toNational: true });
      assert.equal(back.to, 'submitted');
      assert.equal(back.event, 'returned_to_national');
      const on = decideTransition(from, 'forward', 'agency_admin', { toNational: false });
      assert.equal(on.to, 'dispositioned');
      assert.equal(on.event, 'forwarded');
      assert.equal(decideTransition(from, 'forward', 'national_admin').event, 'forwarded');
    }
  });

  test('archived and closed are (nearly) final: only a rating moves a closed report, only the one appeal an archived one', () => {
    for (const actor of ACTORS) assert.deepEqual(availableActions('archived', actor), actor === 'reporter' ? ['appeal'] : [], actor);
    for (const actor of ACTORS) assert.deepEqual(availableActions('archived', actor, { appealed: true }), [], `${actor}, appealed`);
    assert.deepEqual(availableActions('archived', 'national_admin', { appealed: true, appealPending: true }).sort(), [
      'grant_appeal',
      'reject_appeal',
    ]);
    assert.deepEqual(availableActions('submitted', 'agency_admin', { archiveRequested: true }).sort(), ['hold', 'verify']);
    assert.deepEqual(availableActions('submitted', 'national_admin', { archiveRequested: true }).sort(), [
      'archive',
      'confirm_archive',
      'hold',
      'reject_archive',
      'verify',
    ]);
    assert.deepEqual(availableActions('closed', 'reporter'), ['rate']);
    assert.deepEqual(availableActions('closed', 'agency_admin'), []);
    assert.deepEqual(availableActions('submitted', 'national_admin').sort(), ['archive', 'hold', 'verify']);
    assert.deepEqual(availableActions('submitted', 'national_admin', { verified: true }).sort(), ['archive', 'edit', 'hold', 'route']);
    assert.deepEqual(availableActions('closed', 'reporter', { alreadyRated: true }), []);
    assert.deepEqual(availableActions('answered', 'reporter').sort(), ['accept', 'close', 'reopen', 'reply']);
    assert.deepEqual(availableActions('dispositioned', 'monitor'), []);
  });
});

describe('answer check', () => {
  test('promise-only texts are refused', () => {
    for (const text of [
      'akan kami tindaklanjuti',
      'Akan kami tindaklanjuti.',
      'Sudah kami disposisikan ke dinas terkait',
      'Terima kasih, laporan sedang diproses',
      'Laporan Anda akan kami tindak lanjuti.',
      'Laporan sudah diteruskan ke Dinas PUPR Kota Pontianak.',
      'Terima kasih atas laporan Anda. Laporan sedang dalam proses penanganan oleh dinas terkait. Salam.',
      'Mohon maaf atas ketidaknyamanannya. Laporan Saudara telah kami sampaikan kepada instansi yang berwenang.',
      'Kami sedang berkoordinasi dengan PLN untuk memasang lampu jalan.',
      'Mohon bersabar, laporan Anda masih menunggu anggaran tahun depan.',
      'Yth. Bapak/Ibu. Terima kasih. Akan segera kami cek ke lokasi. Hormat kami.',
      '',
      '   ',
      'Sudah.',
      'Terima kasih.',
    ]) {
      assert.equal(isPromiseOnly(text), true, JSON.stringify(text));
    }
  });

  test('real answers that say what was done pass', () => {
    for (const text of [
      'Lubang di depan Pasar Flamboyan sudah ditambal dengan aspal hotmix pada 23 November 2026.',
      'Bantuan sosial atas nama pelapor telah dicairkan ke rekening pada 21 November 2026 sebesar Rp600.000.',
      'KTP elektronik pelapor sudah dicetak dan dapat diambil di kantor Disdukcapil mulai 25 November 2026.',
      'Pungutan liar tersebut tidak akan dikenakan lagi karena sudah dihapus dari Perda.',
    ]) {
      assert.equal(isPromiseOnly(text), false, text);
    }
  });

  test('a promise plus substance, in separate sentences, passes', () => {
    assert.equal(
      isPromiseOnly(
        'Terima kasih atas laporannya. Jalan sudah diaspal ulang sepanjang 20 meter pada 24 November 2026. Kami akan terus memantau kondisinya.',
      ),
      false,
    );
    assert.equal(
      isPromiseOnly('Akan kami tindaklanjuti. Saluran di Jalan Gajah Mada sudah dikeruk dan sampahnya diangkut pada 20 November 2026.'),
      false,
    );
  });

  test('sentences are sorted into promise, courtesy and substance', () => {
    assert.equal(classifyClause('akan segera kami tindaklanjuti'), 'promise');
    assert.equal(classifyClause('terima kasih atas laporan anda'), 'courtesy');
    assert.equal(classifyClause('jalan sudah diaspal ulang pada 24 november 2026'), 'substance');
  });

  // BUG: the active (meN-) forms of the promise verbs are missed, so a plain promise of future
  // work is accepted as the final answer that closes the report.
  test('a future promise in the active voice ("akan memperbaiki", "akan menindaklanjuti") is not an answer', () => {
    for (const text of [
      'Dinas PUPR akan segera memperbaiki jalan tersebut.',
      'Petugas akan menindaklanjuti laporan Anda minggu depan.',
      'Tim kami akan segera meninjau lokasi.',
    ]) {
      assert.equal(isPromiseOnly(text), true, text);
    }
  });

  // BUG: a sentence is classified as a whole, so an acknowledgement clause ("sudah kami terima")
  // turns a sentence that reports the work done into a "promise" and a real answer is refused.
  test('an answer whose only sentence also acknowledges receipt still passes', () => {
    assert.equal(isPromiseOnly('Laporan sudah kami terima dan jalan telah diaspal ulang pada 23 November 2026.'), false);
  });
});

describe('tracking IDs', () => {
  const ALPHABET = '34679AFHKMNPRXY';

  test('generated IDs use only the unambiguous alphabet, at the fixed length', () => {
    for (let i = 0; i < 1000; i++) {
      const id = generateTrackingId();
      assert.equal(id.length, TRACKING_ID_LENGTH);
      assert.match(id, /^[34679AFHKMNPRXY]{8}$/);
    }
    for (const lookAlike of 'O0QDI1LJS5B8Z2UVWGCET') assert.ok(!ALPHABET.includes(lookAlike), lookAlike);
  });

  test('every symbol is drawn from the random source over the whole alphabet', () => {
    const maxes: number[] = [];
    assert.equal(
      generateTrackingId((max) => {
        maxes.push(max);
        return 0;
      }),
      '33333333',
    );
    assert.deepEqual(maxes, Array(TRACKING_ID_LENGTH).fill(ALPHABET.length));
    assert.equal(
      generateTrackingId((max) => max - 1),
      'YYYYYYYY',
    );
    let i = 0;
    assert.equal(
      generateTrackingId(() => i++ % ALPHABET.length),
      '34679AFH',
    );
  });

  test('10,000 IDs are unique and never sequential', () => {
    const ids = Array.from({ length: 10_000 }, () => generateTrackingId());
    assert.ok(new Set(ids).size >= 9_998, `only ${new Set(ids).size} distinct`);
    const value = (id: string) => [...id].reduce((n, ch) => n * ALPHABET.length + ALPHABET.indexOf(ch), 0);
    let adjacent = 0;
    let increasing = 0;
    for (let k = 1; k < ids.length; k++) {
      const diff = value(ids[k]!) - value(ids[k - 1]!);
      if (Math.abs(diff) <= 1) adjacent++;
      if (diff > 0) increasing++;
    }
    assert.equal(adjacent, 0, 'consecutive IDs must not be neighbours');
    // a counter would make nearly every step increasing; random draws make about half
    assert.ok(increasing > 4_500 && increasing < 5_500, `increasing steps: ${increasing}`);
    // and every symbol turns up in every position
    for (let pos = 0; pos < TRACKING_ID_LENGTH; pos++) {
      assert.equal(new Set(ids.map((id) => id[pos])).size, ALPHABET.length, `position ${pos}`);
    }
  });

  test('normalize accepts what people type: any case, spaces, dashes', () => {
    assert.equal(normalizeTrackingId('K7MX3PRA'), 'K7MX3PRA');
    assert.equal(normalizeTrackingId('k7mx-3pra'), 'K7MX3PRA');
    assert.equal(normalizeTrackingId(' k7mx 3pra '), 'K7MX3PRA');
    assert.equal(normalizeTrackingId('K7-MX-3P-RA'), 'K7MX3PRA');
    assert.equal(normalizeTrackingId('k7mx_3pra'), 'K7MX3PRA');
    for (let n = 0; n < 100; n++) {
      const id = generateTrackingId();
      assert.equal(formatTrackingId(id), `${id.slice(0, 4)}-${id.slice(4)}`);
      assert.equal(normalizeTrackingId(formatTrackingId(id).toLowerCase()), id);
    }
  });

  test('normalize rejects look-alikes, wrong lengths and anything else', () => {
    for (const bad of [
      'O7MX3PRA', // O
      '07MX3PRA', // zero
      'I7MX3PRA',
      '17MX3PRA',
      'S7MX3PRA',
      '57MX3PRA',
      'B7MX3PRA',
      '87MX3PRA',
      'K7MX3PR', // 7 symbols
      'K7MX3PRAA', // 9 symbols
      '',
      '--------',
      'K7MX3PRA\u0000',
      'ｋ7mx3pra', // full-width k
      'K7MX/3PRA',
    ]) {
      assert.equal(normalizeTrackingId(bad), null, JSON.stringify(bad));
    }
  });
});

describe('phone numbers', () => {
  test('every way of writing an Indonesian number gives the same +62 form', () => {
    for (const input of [
      '081234567890',
      '0812-3456-7890',
      '0812 3456 7890',
      '(0812) 3456-7890',
      '6281234567890',
      '+6281234567890',
      '+62 812 3456 7890',
      '+62-812-3456-7890',
    ]) {
      assert.equal(normalizePhone(input), '+6281234567890', input);
    }
    assert.equal(normalizePhone('021-5551234'), '+62215551234', 'a Jakarta fixed line');
    assert.equal(normalizePhone('0561 736 541'), '+62561736541', 'a Pontianak fixed line');
  });

  test('length limits: 8 to 12 digits after the country code', () => {
    assert.equal(normalizePhone('+6221123456'), '+6221123456'); // 8
    assert.equal(normalizePhone('+622112345'), null); // 7
    assert.equal(normalizePhone('+62812345678901'), '+62812345678901'); // 12
    assert.equal(normalizePhone('+628123456789012'), null); // 13
  });

  test('anything else is refused', () => {
    for (const bad of [
      '',
      '12345',
      'abc',
      '08',
      '+1 202 555 0100',
      '+620812345678',
      '00812345678',
      '0812-3456-789O',
      '+62 812 3456 7890 ext 1',
      '62',
    ]) {
      assert.equal(normalizePhone(bad), null, JSON.stringify(bad));
    }
  });
});
