/**
 * LAPOR!'s best-known failure is the template non-answer: "akan kami tindaklanjuti",
 * "sudah kami disposisikan". Such text may be posted as a follow-up, never as the final answer.
 *
 * The check splits the text into sentences and sorts each into a promise, a courtesy, or
 * substance. An answer made only of promises and courtesies is refused.
 */

const PROMISE_VERBS =
  '(tindak ?lanjut(i|kan)?|ditindak ?lanjut(i|kan)?|proses|diproses|koordinasikan|dikoordinasikan|' +
  'tangani|ditangani|teruskan|diteruskan|sampaikan|disampaikan|disposisikan|didisposisikan|' +
  'pelajari|dipelajari|kaji|dikaji|cek|dicek|periksa|diperiksa|survei|disurvei|tinjau|ditinjau|' +
  'perbaiki|diperbaiki|upayakan|diupayakan|agendakan|diagendakan|jadwalkan|dijadwalkan|' +
  'tampung|ditampung|catat|dicatat|verifikasi|diverifikasi|follow ?up|respon|direspon)';

const PROMISE_PATTERNS: RegExp[] = [
  // future or ongoing: "akan (segera) kami tindaklanjuti", "segera diproses", "sedang kami pelajari"
  new RegExp(`\\b(akan|segera|sedang|masih|nanti|secepatnya)\\b(\\s+\\w+){0,3}?\\s+${PROMISE_VERBS}\\b`),
  // passing it on is not resolving it: "sudah kami disposisikan / teruskan / sampaikan / koordinasikan"
  /\b(sudah|telah)\b(\s+\w+){0,3}?\s+(di)?(disposisikan|teruskan|sampaikan|koordinasikan|forward|tampung|catat|terima)\w*\b/,
  /\bdalam (tahap )?(proses|penanganan|tindak ?lanjut|kajian)\b/,
  /\b(kami|pihak kami) (akan|sedang)\b/,
  /\b(menunggu|masih menunggu) (arahan|anggaran|jadwal|koordinasi|disposisi)\b/,
];

const COURTESY_PATTERNS: RegExp[] = [
  /^(terima ?kasih|terimakasih|mohon maaf|maaf|salam|selamat (pagi|siang|sore|malam)|yth\.?|kepada yth|hormat kami|wassalam|assalamu)/,
  /\b(atas (laporan|partisipasi|informasi|perhatian)|telah menghubungi|kesabaran)\b/,
];

function splitSentences(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?;\n])\s+|\n+/)
    .map((s) => s.trim().replace(/[.!?;,]+$/, ''))
    .filter((s) => s.length > 0);
}

export type SentenceKind = 'promise' | 'courtesy' | 'substance';

export function classifySentence(sentence: string): SentenceKind {
  if (PROMISE_PATTERNS.some((p) => p.test(sentence))) return 'promise';
  if (COURTESY_PATTERNS.some((p) => p.test(sentence))) return 'courtesy';
  return 'substance';
}

/** True when the text only promises action (or is empty of substance) and so cannot be a final answer. */
export function isPromiseOnly(text: string): boolean {
  const substantive = splitSentences(text).filter(
    (s) => classifySentence(s) === 'substance' && s.split(' ').filter(Boolean).length >= 4,
  );
  return substantive.length === 0;
}
