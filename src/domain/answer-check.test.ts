import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ANSWER_THRESHOLD, clausesWithoutSubstance, scoreAnswer } from './answer-check.ts';

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

  test('the score is between 0 and 1, and empty text is no answer', () => {
    for (const text of ['', '   ', 'Ok.', 'Lubang sudah ditambal.', 'Akan kami tindaklanjuti.']) {
      const { score } = scoreAnswer(text);
      assert.ok(score >= 0 && score <= 1, `${text}: ${score}`);
    }
    assert.equal(scoreAnswer('').verdict, 'non_answer');
  });
});

describe('the labelled set (answers/answers.jsonl)', () => {
  const items = fs
    .readFileSync(path.join(import.meta.dirname, 'answers/answers.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; label: string; kind: string; split: string });

  test('at least 300 items, about half of each class, at least 30 % held out, every field present, no duplicates', () => {
    assert.ok(items.length >= 300, `${items.length}`);
    const answers = items.filter((i) => i.label === 'answer').length;
    assert.ok(Math.abs(answers / items.length - 0.5) < 0.05, `${answers} of ${items.length}`);
    assert.ok(items.filter((i) => i.split === 'test').length / items.length >= 0.3);
    assert.ok(items.every((i) => i.text && ['answer', 'non_answer'].includes(i.label) && i.kind && ['train', 'test'].includes(i.split)));
    assert.equal(new Set(items.map((i) => i.text)).size, items.length);
  });

  test('the classifier stays at or above 0.9 on both classes of the held-out split (docs/answers.md has the figures)', () => {
    const test = items.filter((i) => i.split === 'test');
    for (const cls of ['answer', 'non_answer']) {
      const predicted = test.filter((i) => scoreAnswer(i.text).verdict === cls);
      const actual = test.filter((i) => i.label === cls);
      const precision = predicted.filter((i) => i.label === cls).length / predicted.length;
      const recall = actual.filter((i) => scoreAnswer(i.text).verdict === cls).length / actual.length;
      assert.ok(precision >= 0.9 && recall >= 0.9, `${cls}: precision ${precision}, recall ${recall}`);
    }
  });
});
