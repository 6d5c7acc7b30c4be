/**
 * LAPOR!'s best-known failure is the template non-answer: "akan kami tindaklanjuti",
 * "sudah kami disposisikan". Such text may be posted as a follow-up, never as the final answer.
 *
 * The check splits the text into clauses (at sentence ends, commas, and conjunctions such as
 * "dan", "namun", "serta") and sorts each into a promise, a courtesy, or substance. An answer made
 * only of promises and courtesies is refused; one clause of substance — what was done — is enough.
 */

// Future or ongoing: whatever the verb ("akan memperbaiki", "segera ditindaklanjuti", "sedang kami pelajari").
const FUTURE_OR_ONGOING = /\b(akan|segera|sedang|nanti|secepatnya|secepat mungkin|dalam waktu dekat|rencananya|direncanakan)\b/;

// Passing a report on or acknowledging it is not resolving it, even in the past tense.
const HANDED_ON =
  /\b(sudah|telah)\b(\s+\w+){0,3}?\s+(di|me|meng|men|mem)?(disposisi|disposisikan|teruskan|terus|sampaikan|koordinasikan|koordinasi|forward|tampung|catat|terima|laporkan|agendakan|jadwalkan)\w*\b/;

const STILL_PENDING = [
  /\bdalam (tahap )?(proses|penanganan|tindak ?lanjut|kajian|pengecekan|koordinasi)\b/,
  /\b(masih )?(menunggu) (arahan|anggaran|jadwal|koordinasi|disposisi|hasil|persetujuan|tindak ?lanjut)\b/,
  /\bmasih (diproses|dikaji|dipelajari|ditangani|dikoordinasikan|dalam)\b/,
  /\b(akan|segera) kami\b|\bkami (akan|segera|sedang)\b/,
  /\b(tindak ?lanjut|follow ?up) (lebih lanjut|selanjutnya)\b/,
];

const COURTESY = [
  /^(terima ?kasih|terimakasih|mohon maaf|maaf|salam|selamat (pagi|siang|sore|malam)|yth\.?|kepada yth|hormat kami|wassalam|assalamu\w*|bapak\/ibu|bapak|ibu|saudara)\b/,
  /\batas (laporan|partisipasi|informasi|perhatian|kesabaran|pengaduan|aspirasi)\b/,
];

export type ClauseKind = 'promise' | 'courtesy' | 'substance';

function splitClauses(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .split(/[.!?;:\n]+\s*|,\s*|\s+(?:dan|serta|namun|tetapi|akan tetapi|sedangkan|lalu|kemudian|karena|sebab|sehingga)\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function classifyClause(clause: string): ClauseKind {
  if (FUTURE_OR_ONGOING.test(clause) || HANDED_ON.test(clause) || STILL_PENDING.some((p) => p.test(clause))) return 'promise';
  if (COURTESY.some((p) => p.test(clause))) return 'courtesy';
  return 'substance';
}

/** True when the text only promises action (or says nothing of substance), so it cannot be a final answer. */
export function isPromiseOnly(text: string): boolean {
  return !splitClauses(text).some((c) => classifyClause(c) === 'substance' && c.split(' ').length >= 4);
}
