import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  ANSWER_THRESHOLD,
  answerFeatures,
  clausesWithoutSubstance,
  meForms,
  modelLogit,
  nasalForms,
  normalize,
  ruleLogit,
  scoreAnswer,
} from './answer-check.ts';
import { fit } from '../../scripts/answers-lib.ts';

describe('scoreAnswer', () => {
  // Issue 9 §2: the old check let the first through and refused the second.
  test('"ditindaklanjuti oleh bidang terkait sesuai prosedur" is refused; "Lubang sudah ditambal." is an answer', () => {
    const template = scoreAnswer('Laporan ini ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku');
    assert.equal(template.verdict, 'non_answer');
    assert.ok(template.score < ANSWER_THRESHOLD);
    assert.equal(template.clauses[0]!.kind, 'handing_on');
    const short = scoreAnswer('Lubang sudah ditambal.');
    assert.equal(short.verdict, 'answer');
    assert.ok(short.score >= ANSWER_THRESHOLD);
    assert.equal(short.advice, '');
  });

  test('a short answer of substance is accepted', () => {
    for (const text of [
      'KTP elektronik Bapak sudah dicetak dan dapat diambil di kantor kecamatan mulai 12 Desember.',
      'Dana sudah ditransfer hari ini.',
      'Biayanya gratis.',
      'Pelaku sudah ditangkap.',
    ]) {
      assert.equal(scoreAnswer(text).verdict, 'answer', text);
    }
  });

  test('a long, polite promise is refused, and the refusal names the clauses that only promise, with advice', () => {
    const text =
      'Selamat siang Bapak. Terima kasih atas laporan dan kepercayaan Bapak kepada layanan kami. Kami mohon maaf atas ketidaknyamanan ' +
      'yang Bapak alami. Laporan Bapak sangat berharga bagi peningkatan kualitas pelayanan publik di daerah kami. ' +
      'Permasalahan jalan berlubang tersebut akan segera kami tindaklanjuti bersama bidang terkait, dan tim teknis sedang ' +
      'menyusun jadwal peninjauan ke lokasi. Mohon kesabaran Bapak. Salam hangat, Admin Dinas PUPR.';
    const result = scoreAnswer(text);
    assert.equal(result.verdict, 'non_answer');
    const weak = clausesWithoutSubstance(result);
    assert.ok(
      weak.some((c) => c.kind === 'promise' && c.text.includes('akan segera kami tindaklanjuti')),
      JSON.stringify(weak),
    );
    assert.ok(
      weak.some((c) => c.text.includes('sedang')),
      'the ongoing clause is named',
    );
    assert.ok(weak.every((c) => c.reasons.length > 0));
    assert.match(result.advice, /sudah dilakukan/);
    assert.match(result.advice, /what was done/);
  });

  test('courtesy around a real action is an answer; a refusal with its legal ground is an answer; "belum … karena anggaran" is not', () => {
    assert.equal(
      scoreAnswer(
        'Terima kasih atas laporannya. Mohon maaf atas keterlambatan. Pipa yang bocor sudah disambung pada 3 Desember 2026. Salam.',
      ).verdict,
      'answer',
    );
    assert.equal(
      scoreAnswer(
        'Permintaan salinan data pribadi pihak lain tidak dapat kami berikan karena termasuk informasi yang dikecualikan menurut Pasal 17 UU Nomor 14 Tahun 2008.',
      ).verdict,
      'answer',
    );
    assert.equal(scoreAnswer('Perbaikan belum dapat kami lakukan karena keterbatasan anggaran.').verdict, 'non_answer');
  });

  // The held-out misses named in issue 9 §3: deeds towards the citizen written with a handing-on
  // verb, an instruction given as information, a handing on dressed as a refusal, thanks alone, and
  // a first step whose outcome is still a promise.
  test('deeds towards the citizen and instructions are answers', () => {
    for (const text of [
      'Santunan Jasa Raharja untuk korban kecelakaan sudah diserahkan kepada ahli waris pada 10 November 2026.',
      'Kami sudah mengirimkan salinan rekam medis yang Ibu minta ke alamat email Ibu pada 13 November 2026.',
      'Anak Bapak dapat mendaftar ulang di sekolah asal dengan membawa surat keterangan pindah dan rapor terakhir.',
      'Honor yang belum diterima sudah dibayarkan tunai di kantor kelurahan pada 15 November 2026.',
      'Dana sudah masuk ke rekening Ibu.',
    ]) {
      const result = scoreAnswer(text);
      assert.equal(result.verdict, 'answer', `${text}: ${JSON.stringify(result.clauses)}`);
      assert.ok(result.clauses.some((c) => c.kind === 'substance'));
    }
  });

  test('handing on with a reason, thanks alone, and a first step with the outcome still promised are refused', () => {
    for (const text of [
      'Pengaduan telah diteruskan ke Kementerian terkait karena bukan kewenangan daerah.',
      'Terima kasih telah menggunakan layanan LAPOR!. Partisipasi Anda sangat berarti bagi kemajuan daerah kita.',
      'Kami sudah meminta klarifikasi kepada petugas dan hasilnya akan kami sampaikan kemudian.',
      'Laporan Anda sudah kami catat dan kami teruskan ke petugas lapangan.',
    ]) {
      const result = scoreAnswer(text);
      assert.equal(result.verdict, 'non_answer', `${text}: ${JSON.stringify(result.clauses)}`);
      assert.ok(result.score < ANSWER_THRESHOLD);
      assert.notEqual(result.advice, '');
    }
    const mixed = clausesWithoutSubstance(
      scoreAnswer('Kami sudah meminta klarifikasi kepada petugas dan hasilnya akan kami sampaikan kemudian.'),
    );
    assert.ok(
      mixed.some((c) => c.kind === 'promise' && c.text.includes('akan kami sampaikan')),
      JSON.stringify(mixed),
    );
    const forwarded = clausesWithoutSubstance(
      scoreAnswer('Pengaduan telah diteruskan ke Kementerian terkait karena bukan kewenangan daerah.'),
    );
    assert.equal(forwarded[0]?.kind, 'handing_on', JSON.stringify(forwarded));
  });

  test('a refusal of a request with the rule it rests on is an answer; "tidak dapat diproses" is not a handing on', () => {
    const result = scoreAnswer(
      'Pengajuan bantuan tidak dapat diproses karena pelapor sudah menerima bantuan serupa pada 2025, sesuai Permensos Nomor 1 Tahun 2018.',
    );
    assert.equal(result.verdict, 'answer', JSON.stringify(result.clauses));
    assert.ok(result.clauses.some((c) => c.kind === 'substance' && c.reasons.some((r) => r.includes('penolakan beralasan'))));
  });

  test('"masih" before a state is information, not work in hand; "sedang" is work in hand', () => {
    assert.equal(scoreAnswer('Bapak masih terdaftar sebagai peserta BPJS Kesehatan dengan status aktif.').verdict, 'answer');
    assert.equal(scoreAnswer('Berkas Bapak masih diverifikasi.').verdict, 'non_answer');
    assert.equal(scoreAnswer('Berkas Bapak sedang kami pelajari.').verdict, 'non_answer');
  });

  test('the meN- form that drops k/p/t/s is read as the deed (mengirim, memotong, menambal, menyambung)', () => {
    assert.deepEqual(nasalForms(['kirim', 'potong', 'tambal', 'sambung', 'ganti', 'serahkan kepada pelapor']), [
      'mengirim',
      'memotong',
      'menambal',
      'menyambung',
    ]);
    assert.equal(scoreAnswer('Petugas sudah menambal lubang di Jl. Veteran pada 2 Desember 2026.').verdict, 'answer');
    assert.equal(scoreAnswer('Petugas akan menambal lubang di Jl. Veteran.').verdict, 'non_answer');
  });

  test('the score is deterministic, rules and model both read the template as a non-answer, and a refusal names a clause', () => {
    const text = 'Laporan ini ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku';
    assert.deepEqual(scoreAnswer(text), scoreAnswer(text));
    assert.ok(ruleLogit(text) < 0 && modelLogit(text) < 0, `${ruleLogit(text)} ${modelLogit(text)}`);
    assert.ok(ruleLogit('Lubang sudah ditambal.') > 0);
    assert.ok(answerFeatures('Lubang sudah ditambal.').includes('a:di-'));
    // A refusal always names at least one clause, whoever decided it.
    for (const t of ['Akan kami tindaklanjuti.', 'Terima kasih.', 'Sudah.', 'Laporan sedang diproses.']) {
      const result = scoreAnswer(t);
      assert.equal(result.verdict, 'non_answer', t);
      assert.ok(clausesWithoutSubstance(result).length > 0 || result.clauses.every((c) => c.kind === 'courtesy'), t);
    }
  });

  test('the score is between 0 and 1, and empty text is no answer', () => {
    for (const text of ['', '   ', 'Ok.', 'Lubang sudah ditambal.', 'Akan kami tindaklanjuti.']) {
      const { score } = scoreAnswer(text);
      assert.ok(score >= 0 && score <= 1, `${text}: ${score}`);
    }
    assert.equal(scoreAnswer('').verdict, 'non_answer');
  });
});

describe('clauses read together (the known failure modes of the first holdout)', () => {
  test('a first step with the outcome still promised is a non-answer, and the refusal names both clauses', () => {
    const r = scoreAnswer('Petugas sudah memasang papan peringatan di tepi jurang itu, dan pagar pengaman masih menunggu material.');
    assert.equal(r.verdict, 'non_answer');
    const weak = clausesWithoutSubstance(r).map((c) => c.text);
    assert.ok(
      weak.some((t) => t.includes('memasang papan')),
      weak.join(' | '),
    );
    assert.ok(
      weak.some((t) => t.includes('masih menunggu')),
      weak.join(' | '),
    );
    assert.ok(r.advice.length > 0);
  });
  test('watching over a done deed, or a settling deed before the legal process goes on, is still an answer', () => {
    assert.equal(scoreAnswer('Jalan sudah diaspal pada 2 Desember 2026, dan kami akan terus memantau.').verdict, 'answer');
    assert.equal(scoreAnswer('Pelaku sudah ditangkap, dan kini masih diperiksa penyidik.').verdict, 'answer');
  });
  test('"belum dapat … karena" is a refusal when a rule is its ground, a wait when it is not', () => {
    assert.equal(
      scoreAnswer('Permohonan Bapak belum dapat dikabulkan karena Perda 3/2020 melarang bangunan di atas saluran.').verdict,
      'answer',
    );
    assert.equal(scoreAnswer('Izin Bapak belum dapat diterbitkan karena petugasnya sedang cuti.').verdict, 'non_answer');
  });
  test('a date that commas cut is one phrase: an event with its date is an answer, a repair with its date is not', () => {
    assert.equal(
      scoreAnswer('Pemeriksaan mata gratis digelar di Aula Kecamatan pada Sabtu, 19 Desember 2026, pukul 08.00.').verdict,
      'answer',
    );
    assert.equal(scoreAnswer('Perbaikan jembatan dijadwalkan pada Senin, 21 Desember 2026, pukul 08.00.').verdict, 'non_answer');
  });
  test('sent on to another body, or given a ticket number, is a handing on; sent to the citizen is a deed', () => {
    assert.equal(scoreAnswer('Aduan Ibu sudah kami kirimkan ke Dinas Sosial.').verdict, 'non_answer');
    assert.equal(scoreAnswer('Laporan Bapak sudah diberi nomor tiket 2026-0031.').verdict, 'non_answer');
    assert.equal(scoreAnswer('Bantuan sudah kami kirim ke rumah Ibu pada 3 Desember 2026.').verdict, 'answer');
  });
  test('a deed verb missing from the stem list still counts when it is done', () => {
    assert.equal(scoreAnswer('Engsel pintu puskesmas sudah dilas.').verdict, 'answer');
    assert.equal(scoreAnswer('Laporan sudah kami pahami.').verdict, 'non_answer');
  });
});

describe('round 3: morphology, spellings, requests, acknowledgements', () => {
  test('meN- forms follow the first sound of the stem (and menge- for one syllable)', () => {
    assert.ok(meForms('tambal').includes('menambal'));
    assert.ok(meForms('sampaikan').includes('menyampaikan'));
    assert.ok(meForms('kirim').includes('mengirim'));
    assert.ok(meForms('proses').includes('memproses'));
    assert.ok(meForms('bayar').includes('membayar'));
    assert.ok(meForms('cat').includes('mengecat'));
    assert.ok(meForms('lapor').includes('melapor'));
    assert.ok(meForms('angkut').includes('mengangkut'));
    assert.deepEqual(meForms('serahkan kepada'), []);
  });

  test('SMS and informal spellings are read as the standard words', () => {
    assert.equal(normalize('Sdh blm tdk yg krn dgn utk'), 'sudah belum tidak yang karena dengan untuk');
    assert.equal(normalize('udah di-follow up'), 'sudah ditindaklanjuti');
    assert.equal(scoreAnswer('sdh diganti pak lampunya, trims').verdict, 'answer');
    assert.equal(scoreAnswer('Dana sdh ditrf ke rek ibu tgl 1/12, mohon dicek').verdict, 'answer');
    assert.equal(scoreAnswer('blm bs bu, msh nunggu material').verdict, 'non_answer');
    assert.equal(scoreAnswer('sdg dicek pak').verdict, 'non_answer');
  });

  test('asking the citizen for more data is refused with a clause of kind "request"; telling them how to do something is an answer', () => {
    for (const text of [
      'Untuk dapat kami tindaklanjuti, mohon Bapak melengkapi laporan dengan alamat lengkap dan foto lokasi jalan yang rusak.',
      'Kami memerlukan nomor ID pelanggan PLN Bapak untuk mengecek tagihan tersebut.',
      'Mohon maaf, laporan Ibu belum memuat nama sekolah dan kelas Ananda. Silakan dilengkapi agar bisa kami teruskan.',
    ]) {
      const r = scoreAnswer(text);
      assert.equal(r.verdict, 'non_answer', `${text}: ${JSON.stringify(r.clauses)}`);
      assert.ok(
        clausesWithoutSubstance(r).some((c) => c.kind === 'request'),
        JSON.stringify(r.clauses),
      );
      assert.match(r.advice, /data tambahan/);
      assert.match(r.advice, /more data/);
    }
    assert.equal(
      scoreAnswer(
        'Untuk mengganti KTP yang rusak, Bapak cukup datang ke Disdukcapil dengan membawa KTP lama dan fotokopi KK; prosesnya selesai hari itu juga.',
      ).verdict,
      'answer',
    );
  });

  test('a report received, registered or given a ticket number is acknowledged, not answered', () => {
    for (const text of [
      'Laporan Anda telah kami terima dengan nomor tiket LPR-2026-118734.',
      'Pengaduan Ibu tercatat sebagai laporan nomor 2026/PGD/7781 dan masuk antrean penanganan.',
      'Berkas pengaduan yang Bapak antar langsung ke kantor kami sudah diterima petugas loket.',
      'Terima kasih atas laporan Anda. Laporan Anda telah selesai kami tindaklanjuti. Status laporan kami ubah menjadi Selesai.',
    ]) {
      const r = scoreAnswer(text);
      assert.equal(r.verdict, 'non_answer', `${text}: ${JSON.stringify(r.clauses)}`);
      assert.ok(clausesWithoutSubstance(r).length > 0);
    }
  });

  test('a matter "sudah diatasi" or a generic verb with no object names nothing; a refusal in other words, with its ground, is an answer', () => {
    assert.equal(scoreAnswer('Masalah tersebut sudah diatasi oleh petugas.').verdict, 'non_answer');
    assert.equal(scoreAnswer('Sudah diselesaikan oleh unit terkait. Terima kasih.').verdict, 'non_answer');
    assert.equal(
      scoreAnswer(
        'Pohon trembesi di depan rumah Bapak tidak akan ditebang, sebab hasil kajian DLH menyatakan pohon masih sehat dan dilindungi Perwa 5/2022.',
      ).verdict,
      'answer',
    );
  });

  test('a warning letter to a third party with the outcome still conditional is a first step; opening hours cut by commas are information', () => {
    assert.equal(
      scoreAnswer(
        'Kami telah mengirim surat teguran pertama kepada pemilik ruko; bila dalam 7 hari tidak dibongkar, Satpol PP akan melakukan pembongkaran paksa.',
      ).verdict,
      'non_answer',
    );
    assert.equal(scoreAnswer('Jam layanan Samsat Keliling di halaman Ayani Mega Mall: Senin–Sabtu, 09.00–14.00 WIB.').verdict, 'answer');
  });

  test('the verdict is the score against the threshold, whatever decided it', () => {
    for (const text of [
      'Lubang sudah ditambal.',
      'Akan kami tindaklanjuti.',
      'sdg dicek pak',
      'Gratis, Bu.',
      'Laporan diterima. Nomor tiket: #88213.',
    ]) {
      const r = scoreAnswer(text);
      assert.equal(r.verdict, r.score >= ANSWER_THRESHOLD ? 'answer' : 'non_answer', text);
    }
  });
});

describe('the labelled sets (answers/*.jsonl)', () => {
  const dir = path.join(import.meta.dirname, 'answers');
  const items = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text: string; label: string; kind: string; split: string }),
    );
  const splits = ['train', 'test', 'holdout', 'holdout2', 'dev3', 'dev4', 'holdout3', 'dev5', 'holdout4'];

  test('at least 1400 items, about half of each class, at least 200 in each held-out split, every field present, no duplicates', () => {
    assert.ok(items.length >= 1400, `${items.length}`);
    const answers = items.filter((i) => i.label === 'answer').length;
    assert.ok(Math.abs(answers / items.length - 0.5) < 0.05, `${answers} of ${items.length}`);
    for (const split of ['holdout', 'holdout2', 'dev3', 'dev4', 'holdout3', 'holdout4']) {
      const set = items.filter((i) => i.split === split);
      if (split === 'holdout4' && set.length === 0) continue; // merged later, scored once
      assert.ok(set.length >= 200, `${split}: ${set.length}`);
      if (split === 'holdout3' || split === 'holdout4') continue; // written by someone else: its balance is theirs
      const setAnswers = set.filter((i) => i.label === 'answer').length;
      assert.ok(Math.abs(setAnswers / set.length - 0.5) < 0.05, `${split}: ${setAnswers} of ${set.length}`);
    }
    assert.ok(items.every((i) => i.text && ['answer', 'non_answer'].includes(i.label) && i.kind && splits.includes(i.split)));
    assert.equal(new Set(items.map((i) => i.text.toLowerCase())).size, items.length);
  });

  test('the fit refuses the blind held-out split', () => {
    assert.throws(() => fit([['w:a'], ['w:b']], ['answer', 'non_answer'], ['dev3', 'holdout4']), /holdout4/);
    // holdout3 was scored once in round 3 and is development data since round 4.
    assert.doesNotThrow(() => fit([['w:a'], ['w:b']], ['answer', 'non_answer'], ['dev3', 'holdout3']));
  });

  test('the learned model was fitted without holdout4: every weighted feature occurs in a development item', () => {
    const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weights: Record<string, number> };
    const seen = new Set(items.filter((i) => i.split !== 'holdout4').flatMap((i) => answerFeatures(i.text)));
    const leaked = Object.keys(model.weights).filter((f) => !seen.has(f));
    assert.deepEqual(leaked, []);
    assert.ok(Object.keys(model.weights).length > 100);
  });

  test('the backtest records cover their test splits (round2-rules.json: holdout2 and dev3; round3-rules.json: dev4; round3-final-rules.json: holdout3 and dev5), and never holdout4', () => {
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
      return h.toString(16).padStart(8, '0');
    };
    for (const [file, covered] of [
      ['round2-rules.json', ['holdout2', 'dev3']],
      ['round3-rules.json', ['dev4']],
      ['round3-final-rules.json', ['holdout3', 'dev5']],
    ] as const) {
      const recorded = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { items: Record<string, unknown> };
      const missing = items.filter((i) => (covered as readonly string[]).includes(i.split) && recorded.items[fnv(i.text)] === undefined);
      assert.deepEqual(missing, [], file);
      const heldOut = items.filter((i) => i.split === 'holdout4' && recorded.items[fnv(i.text)] !== undefined);
      assert.deepEqual(heldOut, [], file);
    }
  });

  // A guard against regressions, not the target (npm run eval:answers holds the 0.95 line): the
  // development splits were tuned and fitted on (0.99–1.000 each; holdout3 and dev5 are
  // development data since round 4); holdout4, when merged, is the blind held-out set, scored
  // once (docs/answers.md), and its floor only catches a broken build.
  for (const [split, floor] of [
    ['holdout4', 0.8],
    ['dev5', 0.97],
    ['holdout3', 0.97],
    ['dev4', 0.97],
    ['dev3', 0.97],
    ['holdout2', 0.97],
    ['holdout', 0.97],
    ['test', 0.97],
    ['train', 0.97],
  ] as const) {
    test(`the classifier stays at or above ${floor} on both classes of the ${split} split`, (t) => {
      const set = items.filter((i) => i.split === split);
      if (set.length === 0) return t.skip(`${split} is not merged yet`);
      const verdicts = new Map(set.map((i) => [i, scoreAnswer(i.text).verdict]));
      for (const cls of ['answer', 'non_answer']) {
        const predicted = set.filter((i) => verdicts.get(i) === cls);
        const actual = set.filter((i) => i.label === cls);
        const precision = predicted.filter((i) => i.label === cls).length / predicted.length;
        const recall = actual.filter((i) => verdicts.get(i) === cls).length / actual.length;
        assert.ok(precision >= floor && recall >= floor, `${cls}: precision ${precision}, recall ${recall}`);
      }
    });
  }

  test('scoring is fast: well under 1 ms per answer on average', () => {
    const texts = items.slice(0, 300).map((i) => i.text);
    const start = process.hrtime.bigint();
    for (const t of texts) scoreAnswer(t);
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / texts.length;
    assert.ok(ms < 1, `${ms} ms per answer`);
  });
});
