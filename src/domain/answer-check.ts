/**
 * LAPOR!'s best-known failure is the template non-answer: "akan kami tindaklanjuti",
 * "sudah kami disposisikan", "ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku".
 * Such text may be posted as a follow-up, never as the final answer.
 *
 * `scoreAnswer` is a scored classifier: rules over Indonesian verb forms and markers, plus a small
 * learned second opinion (a logistic regression over words, word pairs and affix shapes, fitted by
 * scripts/train-answers.ts into `answers/model.json`); no I/O at call time. docs/answers.md has the
 * method and its figures on the labelled set in `answers/answers.jsonl`. It splits the text
 * into clauses (at sentence ends, commas, semicolons and conjunctions such as "dan", "namun",
 * "karena"), reads each clause's Indonesian verb forms and markers, and sorts it:
 *
 * - substance: what was done (a completed di-/me- verb of a concrete action: ditambal, diganti,
 *   dibayarkan, diterbitkan, memperbaiki…), the information asked for (a schedule, a requirement, a
 *   cost, a place), or a refusal with its ground (a law, a rule, a finding);
 * - promise: the future or the ongoing (akan, segera, sedang, masih, diupayakan, dijadwalkan…);
 * - handing_on: passing the report along or acknowledging it (diteruskan, didisposisikan,
 *   dikoordinasikan, ditindaklanjuti, diterima, dicatat…), even in the past tense;
 * - waiting: menunggu, belum, mohon bersabar;
 * - vague: "sesuai prosedur yang berlaku", "sudah ditangani", "telah selesai" with nothing named;
 * - courtesy: greetings, thanks, apologies, signatures.
 *
 * One clause of substance makes an answer (courtesy plus a real action is an answer). The rules'
 * score is the strongest clause's; the answer's score, 0..1, is sigmoid(logit(rules) + blend ×
 * model logit); 0.5 and above is an answer.
 */

import learned from './answers/model.json' with { type: 'json' };

export type ClauseKind = 'substance' | 'promise' | 'handing_on' | 'waiting' | 'vague' | 'courtesy';

export interface ScoredClause {
  /** The clause as the officer wrote it. */
  text: string;
  kind: ClauseKind;
  /** What the rules saw, e.g. "akan (future)", "ditambal (completed action)". */
  reasons: string[];
  score: number;
}

export interface AnswerScore {
  score: number;
  verdict: 'answer' | 'non_answer';
  clauses: ScoredClause[];
  /** Bilingual: what would make it an answer (empty for an answer). */
  advice: string;
}

export const ANSWER_THRESHOLD = 0.5;

// ---------------------------------------------------------------------------------------------
// Markers

/** Future, intention, plan: whatever the verb ("akan memperbaiki", "segera ditindaklanjuti"). */
const FUTURE =
  /\b(akan|segera|nanti|secepatnya|secepat mungkin|dalam waktu dekat|rencananya|direncanakan|berencana|merencanakan|diupayakan|mengupayakan|upayakan|diusahakan|mengusahakan|usahakan|diagendakan|mengagendakan|dijadwalkan|menjadwalkan|diprogramkan|diusulkan|mengusulkan|usulkan|diprioritaskan|ke depan|kedepannya|selanjutnya akan|insya ?allah|semoga|rencana|berkomitmen|komitmen|diharapkan|mudah-mudahan|berjanji|dijanjikan|ditargetkan|diperkirakan|berupaya|terus (berupaya|meningkatkan|melakukan|mendorong)|(minggu|pekan|bulan|tahun) depan|(periode|tahap|tahun anggaran|kesempatan) berikutnya|kemungkinan|menjadi (perhatian|prioritas|bahan)|bahan (evaluasi|pembinaan|pertimbangan)|di masa (yang akan datang|mendatang)|kabar selanjutnya|informasi (lebih lanjut|selanjutnya)|perkembangan selanjutnya)\b/;

/** Work in hand, not done: "sedang kami pelajari", "masih diproses", "dalam tahap kajian". */
const ONGOING =
  /\b(sedang|tengah|masih(?! (terdaftar|tercatat|aktif|berlaku|sah|tersedia|bisa|dapat|boleh|memenuhi|termasuk|berhak|menjadi peserta))|sedang berlangsung|masih berjalan|dalam (tahap |proses )?(proses|penanganan|tindak ?lanjut|kajian|pengkajian|pengecekan|koordinasi|verifikasi|pembahasan|penelaahan|penyelesaian|pemantauan|perencanaan|pengadaan|antrean|antrian))\b/;

/** Handing on or acknowledging: not resolving it, even in the past tense. */
const HANDING_ON =
  /\b(di|me|men|mem|meng|menge)?(disposisi|disposisikan|teruskan|terus|sampaikan|koordinasikan|koordinasi|berkoordinasi|forward|tampung|catat|terima|laporkan|limpahkan|lanjutkan|tindak ?lanjuti|tindaklanjuti|tindak ?lanjut|rekomendasikan|delegasikan|serahkan|tembuskan|proses|tangani|tanggapi|respon|respons|perhatikan|pelajari|kaji|telaah|bahas|verifikasi|cek|tinjau|pantau|monitor|evaluasi|upayakan|eskalasi|eskalasikan|alihkan|oper|surati|selidiki|telusuri|tindak)(kan|i)?\b/;

/** Sent on so that someone else deals with it: "untuk penanganan lebih lanjut". */
const HANDING_PURPOSE =
  /\b(sudah|telah) masuk\b|\buntuk (penanganan|ditindaklanjuti|ditindak lanjuti|ditangani|diproses|tindak ?lanjut|dipelajari|dikaji|diperiksa|dibahas)\b|\blebih lanjut\b/;

/** A generic verb on a meeting or an inspection: "telah dilaksanakan monitoring" names no result. */
const VAGUE_ACTIVITY =
  /\b(monitoring|pemantauan|rapat|koordinasi|survei|survey|peninjauan|pengecekan|sosialisasi|klarifikasi|evaluasi|pembinaan|pendataan|identifikasi|kunjungan|pertemuan|mediasi|arahan|tindakan|langkah)\b/;
const GENERIC_OUTCOME = /\b(di|me|men|meng)?(selesaikan|tuntaskan|kerjakan|laksanakan)\b/;
const GENERIC_DEED = /\b(di|me|mem|men|meng)?(laksanakan|lakukan|adakan|gelar|berikan|beri)\b/;

/** Not a handing on: "yang dilaporkan" (what was reported), "terima kasih" (thanks). */
const NOT_HANDING = /\byang (saudara |bapak |ibu |anda )?(di)?laporkan\b|\b(ber)?terima ?kasih\b/g;

/** Received by the citizen: the deed reached them ("diterima ahli waris", "diterima di kasir"). */
const RECEIVED =
  /\b(di|me|men)?terima(kan)? (oleh )?(pelapor|pemohon|ahli waris|warga|keluarga|siswa|pelanggan|kpm|yang bersangkutan|penerima|pasien|orang ?tua)\b|\bditerima di\b/;

/** Who the citizen is, as a recipient: a person or their address, inbox, account. */
const CITIZEN =
  '(pelapor|pemohon|ahli waris|orang ?tua|keluarga|warga|bapak|ibu|saudara|saudari|anda|yang bersangkutan|pemilik\\w*|penerima|siswa|pasien|korban|kpm|alamat|email|e-mail|surel|whatsapp|wa|rumah|rekening|akun)';

/** A thing handed, sent or returned to the citizen is a deed: "diserahkan kepada ahli waris". */
const TO_CITIZEN = new RegExp(
  `\\b((di|me|mem|men|meng|meny|ter)?(serahkan|kirim|kirimkan|antar|antarkan|kembalikan|berikan|salurkan|transfer|transferkan)|menyerahkan|mengirim|mengirimkan|mengembalikan|menyalurkan|mentransfer)\\b(\\s+\\S+){0,8}?\\s+(kepada|ke|untuk|di) ${CITIZEN}\\b`,
);

/** Money that arrived: "dana sudah masuk", "masuk ke rekening". */
const MONEY_ARRIVED =
  /\b(masuk|diterima|sampai|terkirim|dikreditkan) (ke |di )?rekening\b|\b(dana|uang|saldo|gaji|honor|upah|bantuan|tunjangan|insentif|santunan|klaim|pembayaran|pengembalian)\b.*\b(sudah|telah) (masuk|diterima|cair)\b/;

/** The report itself moved on, not the matter: "laporan dialihkan ke", "aduan dipindahkan". */
const REPORT_MOVED =
  /\b(laporan|aduan|pengaduan|keluhan|masukan|permohonan|berkas) (\S+ ){0,4}(di|me|mem|men|meng)?(alihkan|pindahkan|kirimkan|kirim|serahkan|teruskan|oper|limpahkan|sampaikan|forward)\b/;

/** A handing-on verb under negation is a refusal, not a handing on: "tidak dapat diproses". */
const NEGATED_VERB = /\b(tidak|tak) (dapat |bisa |akan )?(kami )?\S+/g;

/** A relative clause that is not the clause's own state: "honor yang belum diterima sudah dibayarkan". */
const RELATIVE_STATE = /\byang (belum|masih|sedang|tengah|tertunda|ditunda)( (di|ter|me)\S*| \S+)?/g;

/** An instruction to the citizen is information: "dapat mendaftar ulang … dengan membawa". */
const INSTRUCTION =
  /(^|[^k][^a][^m][^i] |^)(dapat|bisa|boleh|cukup|wajib|harus|perlu|diminta|dimohon|disarankan|tinggal)( langsung| segera)? (me|mem|men|meng|meny|ber|meng)\S+|\bdengan (membawa|melampirkan|menunjukkan|mengisi|mengunggah)\b|\blangkah(nya)?:/;

/** A schedule given as the answer: an appointment or an event with its date and time or place. */
const SCHEDULE =
  /\b(jadwal\S*|dijadwalkan|dilaksanakan|digelar|diadakan|dibuka|ditetapkan)\b.*\b\d{1,2} (januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)\b.*\b(pukul|jam|di (aula|kantor|loket|posyandu|puskesmas|halaman|gedung|poli|ruang))\b/;

/** Steps towards an outcome, not the outcome: inspecting, measuring, summoning, asking. */
const PRELIMINARY =
  /^(di|me|mem|men|meng|meny)?(periksa|ukur|uji|input|validasi|verifikasikan|tinjau|panggil|minta|undang|survei|survey|data|cek|kumpulkan|identifikasi|temukan)(kan|i|nya)?$/;

/** Handed to someone else, named only by role: "bidang terkait", "instansi yang berwenang". */
const SOMEONE_ELSE =
  /\b(bidang|unit|instansi|dinas|pihak|satuan kerja|opd|seksi|bagian|tim) (yang )?(terkait|berwenang|teknis|bersangkutan|menangani|membidangi)\b/;

const WAITING =
  /\b(menunggu|tunggu|ditunggu|belum|ditunda|menunda|tertunda|mohon (kesabaran|bersabar|ditunggu|menunggu)|harap (bersabar|menunggu)|bersabar)\b/;

/** Words that name the procedure, not the deed. */
const VAGUE =
  /\b(sesuai (dengan )?(prosedur|ketentuan|mekanisme|sop|aturan|peraturan)( yang berlaku| yang ada)?|sebagaimana mestinya|sebaik-baiknya|semaksimal mungkin|secara optimal|sudah (di)?tangani|telah (di)?tangani|sudah (di)?proses|telah (di)?proses|sudah (di)?respon|telah ditanggapi|sudah ditanggapi|langkah-langkah|upaya-upaya|tindakan yang diperlukan|langkah yang diperlukan|sudah selesai|telah selesai|sudah beres|sudah clear|sudah dilakukan|telah dilakukan|sudah kami lakukan|telah kami lakukan|(di)?kondisikan|dengan baik|sesuai (dengan )?kewenangan|(sudah|telah) ada (tindakan|tindak lanjut|penanganan|langkah)|upaya penanganan|turun ke (lapangan|lokasi)|ke tkp)\b/;

const COURTESY = [
  /^(terima ?kasih|terimakasih|makasih|mohon maaf|maaf|kami mohon maaf|salam|selamat (pagi|siang|sore|malam)|yth\.?|kepada yth|hormat kami|wassalam|wassalamu\w*|assalamu\w*|bapak\/ibu|bapak\/ibu\/saudara|bapak|ibu|saudara|saudari|sdr|admin|tim|demikian|semoga|kami (menghargai|mengapresiasi)|apresiasi|atas perhatian)\b/,
  /\batas (laporan|partisipasi|informasi|perhatian|kesabaran|pengaduan|aspirasi|kepercayaan|masukan|kerja ?sama|ketidaknyamanan)\w*\b/,
  /\b(ketidaknyamanan|kepedulian|partisipasi (aktif )?anda|salam hangat|hormat kami)\b/,
];

/** Completion: "sudah", "telah", "selesai", "rampung", "tuntas", "berhasil". */
const DONE = /\b(sudah|telah|selesai|rampung|tuntas|berhasil|kini|sekarang sudah|saat ini sudah)\b/;

/**
 * Stems of concrete deeds, in any form: di-X(-kan/-i), me(N)-X(-kan/-i), ter-X, ber-X. The
 * leading nasal of the meN- form is handled by listing the root as it appears after it.
 */
const DEED_STEMS = [
  'tambal',
  'perbaiki',
  'baiki',
  'ganti',
  'bayar',
  'bayarkan',
  'terbitkan',
  'cetak',
  'keruk',
  'angkut',
  'pasang',
  'bersihkan',
  'cairkan',
  'kembalikan',
  'aktifkan',
  'nonaktifkan',
  'pulihkan',
  'aspal',
  'cor',
  'betonisasi',
  'bongkar',
  'tertibkan',
  'tebang',
  'pangkas',
  'potong',
  'sambung',
  'salurkan',
  'kirim',
  'kirimkan',
  'serahkan kepada pelapor',
  'ubah',
  'koreksi',
  'revisi',
  'hapus',
  'batalkan',
  'tutup',
  'segel',
  'cabut',
  'sita',
  'amankan',
  'tangkap',
  'tahan',
  'periksa',
  'sidik',
  'tetapkan',
  'jatuhkan',
  'berikan',
  'beri',
  'tegur',
  'sanksi',
  'berhentikan',
  'pecat',
  'mutasi',
  'rawat',
  'obati',
  'layani',
  'vaksin',
  'suntik',
  'operasi',
  'rujuk',
  'daftarkan',
  'masukkan',
  'input',
  'catatkan',
  'validasi',
  'verifikasikan',
  'sahkan',
  'legalisir',
  'tandatangani',
  'setujui',
  'kabulkan',
  'tolak',
  'naikkan',
  'turunkan',
  'kurangi',
  'tambah',
  'tambahkan',
  'lebarkan',
  'tinggikan',
  'normalisasi',
  'semprot',
  'fogging',
  'sedot',
  'kuras',
  'alirkan',
  'nyalakan',
  'hidupkan',
  'matikan',
  'buka',
  'derek',
  'tilang',
  'bebastugaskan',
  'renovasi',
  'rehab',
  'rehabilitasi',
  'cat',
  'tanam',
  'tata',
  'rapikan',
  'pindahkan',
  'relokasi',
  'evakuasi',
  'sterilkan',
  'uji',
  'ukur',
  'kalibrasi',
  'segarkan',
  'isi',
  'distribusikan',
  'cantumkan',
  'tercantum',
  'bagikan',
  'antar',
  'antarkan',
  'jemput',
  'terima oleh pelapor',
  'lunasi',
  'refund',
  'transfer',
  'transferkan',
  'kreditkan',
  'setorkan',
  'umumkan',
  'publikasikan',
  'unggah',
  'tayangkan',
  'siapkan',
  'sediakan',
  'adakan',
  'gelar',
  'laksanakan',
  'kerjakan',
  'selesaikan',
  'tuntaskan',
  'benahi',
  'lengkapi',
  'pulangkan',
  'bebaskan',
  'lepaskan',
  'hentikan',
  'larang',
  'usir',
  'bubarkan',
  'robohkan',
  'ratakan',
  'timbun',
  'uruk',
  'gali',
  'galian',
  'pompa',
  'padamkan',
  'reaktivasi',
  'migrasikan',
  'mutakhirkan',
  'perbarui',
  'perpanjang',
  'terbit',
  'cair',
  'pulih',
  'normal',
  'menyala',
  'berfungsi',
  'beroperasi',
  'mengalir',
  'terpasang',
  'tersalurkan',
  'terbayar',
  'tercetak',
  'terdaftar',
  'aktif',
  'lunas',
  'diterbitkan',
  'dikembalikan',
];

/**
 * The meN- form of a stem that starts with k, p, t or s drops that consonant after the nasal:
 * kirim → mengirim, potong → memotong, tambal → menambal, sambung → menyambung.
 */
export function nasalForms(stems: readonly string[]): string[] {
  const nasal: Record<string, string> = { k: 'meng', p: 'mem', t: 'men', s: 'meny' };
  return stems.filter((s) => nasal[s[0]!] !== undefined && !s.includes(' ')).map((s) => nasal[s[0]!] + s.slice(1));
}

const DEED = new RegExp(
  `\\b((di|me|mem|men|meng|menge|meny|ter|ber)?(${DEED_STEMS.map((s) => s.replace(/ /g, '\\s+')).join('|')})|(${nasalForms(DEED_STEMS).join('|')}))(kan|i|nya)?\\b`,
);

/** Deeds that the stem list cannot carry without false hits ("membangun" is also "constructive"). */
const DEED_PHRASES = /\b(sudah jadi|telah jadi|dibangun|dibangun kembali|terlampir|kami lampirkan|dilampirkan|bebas tugas)\b/;

/** The deed as a noun (pe-/per-…-an): "perbaikan sudah selesai pada 23 November". */
const DEED_NOUN =
  /\b(perbaikan|penambalan|penggantian|pengaspalan|pembayaran|pencairan|pencetakan|pemasangan|pembersihan|pengerukan|pengangkutan|penyaluran|pembongkaran|pengecoran|penerbitan|pengembalian|penertiban|pemangkasan|penyambungan|penebangan|pengurasan|penyedotan|pembangunan|normalisasi|rehabilitasi|renovasi|fogging|pengasapan)\b/;

/** A date, an amount, a count, a measure, a document number, a time of day. */
const SPECIFIC = [
  [
    /\b\d{1,2}(\s|-)?(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|agu|agt|sep|okt|nov|des)\w*(\s\d{4})?\b|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\b/,
    'tanggal / date',
  ],
  [/\brp\.?\s?\d|\b\d[\d.,]*\s?(juta|ribu|rupiah)\b/, 'jumlah uang / amount'],
  [
    /\b\d[\d.,]*\s?(m|meter|km|cm|m2|m3|unit|titik|buah|lembar|orang|kk|paket|liter|ton|kg|batang|tiang|lampu|hari kerja|jam|menit|persen|%)\b/,
    'ukuran / measure',
  ],
  [/\b(nomor|no\.?)\s?[a-z0-9]*\d|\b\d{3,}\/|\bnik\b|\bnopol\b/, 'nomor / number'],
  [/\bpukul\s?\d|\bjam\s?\d|\b\d{1,2}[.:]\d{2}\b/, 'waktu / time'],
  [
    /\b(jalan|jl\.?|gang|gg\.?|rt|rw|kelurahan|desa|kecamatan|kantor|loket|gedung|lantai|ruang|pasar|sekolah|puskesmas|rsud|rumah sakit|simpang|depan|dekat|sebelah)\b/,
    'tempat / place',
  ],
] as const;

/** The information asked for: a schedule, a requirement, a cost, a place, an instruction. */
const INFORMATION =
  /\b(adalah|yaitu|yakni|ialah|sebagai berikut|syarat(nya)?|persyaratan|dokumen yang diperlukan|cukup (membawa|melampirkan|datang|mengisi|mengunggah)|dapat (diambil|diurus|diajukan|dilakukan|diakses|dicek|dilihat|diunduh|dibayar|mengajukan|mengambil|menghubungi|datang)|bisa (diambil|diurus|diajukan|dilakukan|dicek|dilihat)|silakan|silahkan|tidak dipungut biaya|tanpa biaya|gratis|tidak dikenakan biaya|dikenakan biaya|biaya(nya)?|tarif(nya)?|disebabkan|diakibatkan|penyebab(nya)?|tercantum|setiap (hari|senin|selasa|rabu|kamis|jumat|sabtu|minggu|bulan|pekan|tahun)|tidak ada (pungutan|biaya|kewajiban)|berlaku (mulai|sampai|hingga|selama)|buka (setiap|pada|mulai|pukul)|jadwal(nya)?|melalui (aplikasi|laman|situs|website|nomor|loket)|hubungi|diatur dalam|ditentukan oleh|termasuk|tidak termasuk|merupakan|bukan merupakan|terdaftar sebagai|tercatat sebagai|statusnya|status (kepesertaan|bantuan|permohonan)|besaran|sebesar (rp|\d)|hasil (pemeriksaan|pengecekan|pengukuran|uji|verifikasi|audit|penelusuran|klarifikasi)|dari hasil|berdasarkan (hasil|data|pemeriksaan|pengecekan|catatan)|ternyata|diketahui bahwa|terbukti|tidak terbukti|tidak ditemukan|ditemukan)\b/;

/** A refusal with its ground is an answer: the law, a rule, a finding. */
const REFUSAL =
  /\b(tidak dapat|tidak bisa|tidak dapat kami|tidak kami (lanjutkan|proses|berikan|kabulkan|penuhi|terima)|tidak (diterbitkan|dikabulkan|diproses|dilanjutkan|ditebang|dilakukan)|tidak memenuhi|bukan kewenangan|di luar kewenangan|ditolak|menolak|tidak berhak|tidak termasuk)\b/;
const GROUND =
  /\b(pasal|ayat|undang-undang|uu|pp|perpres|permen\w*|perda|perwali|perbup|pergub|peraturan|keputusan|sk|surat edaran|se|putusan|ketentuan (pasal|dalam)|karena|sebab|sehingga|mengingat|oleh karena|dikarenakan|berdasarkan)\b/;

/** A date or amount after "pada", "sejak", "mulai", "sebesar": the mark of a reported fact. */
const COMPLETED_TIME = /\b(pada|sejak|tanggal|tgl|per) (\d|hari|tanggal|pagi|siang|sore|malam|kemarin)/;

// ---------------------------------------------------------------------------------------------
// Clauses

const SPLIT =
  /[.!?;\n]+\s*|,\s+|\s+-\s+|\s+(?=(?:dan|serta|namun|tetapi|akan tetapi|sedangkan|lalu|kemudian|karena|sebab|sehingga|dan juga|adapun|selain itu|untuk itu|oleh karena itu|dengan demikian)\s)/i;

/** Splits the text into clauses, keeping the officer's own wording for display. */
export function splitClauses(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .replace(/(\d)[.,](\d)/g, '$1\u2024$2') // keep 1.500.000 and 08.00 whole
    .replace(/\b(no|jl|gg|yth|sdr|rp|dr|drs|ir|h|hj|kab|kec|kel|tgl)\./gi, '$1\u2024')
    .split(SPLIT)
    .map((s) => s.replace(/\u2024/g, '.').trim())
    .filter((s) => s.length > 0 && /[\p{L}\p{N}]/u.test(s));
}

const GROUND_START = /^(karena|sebab|dikarenakan|oleh karena|mengingat|sesuai|berdasarkan|sebagaimana)\b/i;
const NEEDS_GROUND = /\b(tidak|bukan|ditolak|menolak)\b/i;

/** A refusal and its ground ("tidak dapat … karena Pasal 17") are one clause, when that reads better. */
function mergeGrounds(clauses: string[]): ScoredClause[] {
  const out: ScoredClause[] = [];
  for (const clause of clauses) {
    const last = out.at(-1);
    const alone = scoreClause(clause);
    if (last !== undefined && GROUND_START.test(clause)) {
      const merged = scoreClause(`${last.text} ${clause}`);
      // A ground that is itself a refusal ("karena bukan kewenangan daerah") belongs to the clause
      // it grounds: after a handing on it is the reason for passing the report on, not a refusal.
      if (NEEDS_GROUND.test(clause) || (NEEDS_GROUND.test(last.text) && merged.score > Math.max(last.score, alone.score))) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    out.push(alone);
  }
  return out;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function firstMatch(re: RegExp, s: string): string | undefined {
  return re.exec(s)?.[0];
}

/** Scores one clause on its own. */
export function scoreClause(original: string): ScoredClause {
  const c = original.toLowerCase().replace(/[‘’]/g, "'");
  const reasons: string[] = [];
  let substance = 0;
  let against = 0;
  const words = c.split(/\s+/).filter(Boolean).length;

  // Markers of tense and handing on are read without relative clauses ("yang belum diterima").
  const main = c.replace(RELATIVE_STATE, ' ');
  const schedule = firstMatch(SCHEDULE, main);
  const scheduleIsAnswer = schedule !== undefined && !DEED_NOUN.test(main) && !/\b(akan|segera|rencana\w*|direncanakan)\b/.test(main);
  // "tidak akan dikenakan lagi": a decision that something stops, not a promise.
  const futureMatch = firstMatch(FUTURE, main.replace(/\btidak akan\b/g, ' '));
  const future = scheduleIsAnswer && futureMatch === 'dijadwalkan' ? undefined : futureMatch;
  const ongoing = firstMatch(ONGOING, main);
  const waiting = firstMatch(WAITING, main);
  const vague = firstMatch(VAGUE, c);
  const reportMoved = firstMatch(REPORT_MOVED, c);
  const handingText = c
    .replace(NOT_HANDING, ' ')
    .replace(NEGATED_VERB, ' ')
    .replace(/\bhasil \S+/g, ' ');
  const handing = reportMoved ?? (RECEIVED.test(c) ? undefined : firstMatch(HANDING_ON, handingText));
  const moneyArrived = firstMatch(MONEY_ARRIVED, c);
  const handingPurpose = moneyArrived ? undefined : firstMatch(HANDING_PURPOSE, c);
  const someoneElse = firstMatch(SOMEONE_ELSE, c);
  const done = firstMatch(DONE, c);
  const toCitizen = reportMoved ? undefined : (firstMatch(TO_CITIZEN, c) ?? firstMatch(RECEIVED, c) ?? moneyArrived);
  const deedMatch = toCitizen ?? (reportMoved ? undefined : (firstMatch(DEED, c.replace(NOT_HANDING, ' ')) ?? firstMatch(DEED_PHRASES, c)));
  const vagueActivity = deedMatch && GENERIC_DEED.test(deedMatch) ? firstMatch(VAGUE_ACTIVITY, c) : undefined;
  const deedNoun = done && !handing ? firstMatch(DEED_NOUN, c) : undefined;
  // "diselesaikan sesuai SOP": a verb of finishing whose object is only the procedure.
  const emptyOutcome = deedMatch && GENERIC_OUTCOME.test(deedMatch) && VAGUE.test(c) && !SPECIFIC.some(([re]) => re.test(c));
  const deed = vagueActivity || emptyOutcome ? undefined : (deedMatch ?? deedNoun);
  // Inspecting, measuring, summoning: a step towards the outcome, not the outcome.
  const preliminary = deed !== undefined && toCitizen === undefined && PRELIMINARY.test(deed.trim());
  const information =
    firstMatch(INFORMATION, c) ??
    (scheduleIsAnswer ? schedule : undefined) ??
    (future || /\bkami\b/.test(c.split(/\b(dapat|bisa|cukup|wajib|harus|perlu)\b/)[0] ?? '') ? undefined : firstMatch(INSTRUCTION, c));
  const refusal = firstMatch(REFUSAL, c);
  const ground = refusal ? firstMatch(GROUND, c) : undefined;
  const specifics = SPECIFIC.filter(([re]) => re.test(c)).map(([, label]) => label);
  const completedTime = COMPLETED_TIME.test(c);

  if (deed && preliminary) {
    substance += 0.75;
    reasons.push(`"${deed}" (langkah pemeriksaan, belum hasil / a step, not the outcome)`);
  } else if (deed) {
    substance += 2;
    reasons.push(`"${deed}" (tindakan nyata / concrete action)`);
    if (done || completedTime) {
      substance += 1.5;
      reasons.push(`"${done ?? 'pada …'}" (selesai / completed)`);
    }
  } else if (done && !vague && !handing) {
    substance += 0.5;
    reasons.push(`"${done}" (selesai / completed)`);
  }
  if (information) {
    substance += 2.5;
    reasons.push(`"${information}" (informasi / information)`);
  }
  if (refusal && ground && !(handing && !deed)) {
    substance += 5;
    reasons.push(`"${refusal} … ${ground}" (penolakan beralasan / refusal with a ground)`);
  }
  if (specifics.length > 0 && substance > 0 && !preliminary) {
    substance += Math.min(specifics.length, 3) * 0.5;
    reasons.push(`${specifics.join(', ')} (rincian / specifics)`);
  }
  const waitingIsRefusal = waiting === 'belum' && refusal && ground && /\bbelum (memenuhi|lengkap|terdaftar|termasuk)/.test(c);

  let kind: ClauseKind | undefined;
  if (future) {
    against += 4;
    reasons.push(`"${future}" (janji / future)`);
    kind = 'promise';
  }
  if (ongoing) {
    against += 3.5;
    reasons.push(`"${ongoing}" (masih berjalan / ongoing)`);
    kind ??= 'promise';
  }
  if (waiting && !waitingIsRefusal) {
    against += 3.5;
    reasons.push(`"${waiting}" (menunggu / waiting)`);
    kind ??= 'waiting';
  }
  if (handing && !deed) {
    against += 2.5;
    reasons.push(`"${handing}" (diteruskan atau diterima / handed on or acknowledged)`);
    kind ??= 'handing_on';
  }
  if (someoneElse && !deed && !information) {
    against += 1.5;
    reasons.push(`"${someoneElse}" (pihak lain tanpa nama / someone else, unnamed)`);
    kind ??= 'handing_on';
  }
  if (handingPurpose) {
    against += 3;
    reasons.push(`"${handingPurpose}" (untuk ditangani pihak lain / for someone else to handle)`);
    kind ??= 'handing_on';
  }
  if (vagueActivity) {
    against += 1.5;
    reasons.push(`"${vagueActivity}" (kegiatan tanpa hasil / an activity, no result)`);
    kind ??= 'vague';
  }
  if (vague) {
    against += deed || information ? 0.5 : 2.5;
    reasons.push(`"${vague}" (tanpa rincian / names no deed)`);
    kind ??= 'vague';
  }
  const courtesy = COURTESY.some((p) => p.test(c));
  if (courtesy && substance < 3) {
    against += 1;
    reasons.push('(salam atau terima kasih / courtesy)');
  }
  if (words < 2 && substance < 3) against += 2;

  const score = sigmoid(substance - against - 1.25);
  if (score >= ANSWER_THRESHOLD) kind = 'substance';
  else kind ??= courtesy ? 'courtesy' : 'vague';
  if (reasons.length === 0) reasons.push('(tidak menyebut tindakan atau informasi / names no deed or information)');
  return { text: original, kind, reasons, score: Math.round(score * 1000) / 1000 };
}

const ADVICE: Record<Exclude<ClauseKind, 'substance'>, string> = {
  promise:
    'Janji ("akan", "segera", "sedang") dikirim sebagai tindak lanjut; jawaban akhir menyebut apa yang sudah dilakukan, kapan dan di mana / ' +
    'Promises ("akan", "segera", "sedang") belong in a follow-up; a final answer says what was done, when and where',
  handing_on:
    'Laporan yang diteruskan atau diterima belum terjawab: sebutkan hasil penanganannya oleh unit yang menangani / ' +
    'A report passed on or received is not answered: state the outcome reached by whoever handled it',
  waiting:
    'Selama masih menunggu, kirim tindak lanjut; jawab setelah ada hasil, atau tolak dengan dasar hukumnya / ' +
    'While waiting, post a follow-up; answer once there is an outcome, or refuse with its legal ground',
  vague:
    '"Sesuai prosedur" atau "sudah ditangani" tidak menyebut apa pun: tulis tindakannya, hasilnya, tanggal, tempat atau jumlahnya / ' +
    '"As per procedure" or "handled" names nothing: write the action, its result, the date, place or amount',
  courtesy:
    'Salam dan terima kasih saja bukan jawaban: tambahkan apa yang sudah dilakukan atau informasi yang diminta / ' +
    'Greetings and thanks alone are no answer: add what was done or the information asked for',
};

const EXAMPLE = 'Contoh / Example: "Lubang di Jl. Gajah Mada sudah ditambal dengan aspal hotmix pada 23 November 2026 (foto terlampir)."';

/** Scores a final answer: its clauses, its score 0..1, its verdict, and advice when it is not one. */
export function scoreAnswer(text: string): AnswerScore {
  const clauses = mergeGrounds(splitClauses(text ?? ''));
  const rules = rulesScore(clauses);
  const model = modelLogit(text ?? '');
  const score = clauses.length === 0 ? 0 : Math.round(sigmoid(toLogit(rules) + MODEL.blend * model) * 1000) / 1000;
  const verdict = score >= ANSWER_THRESHOLD ? 'answer' : 'non_answer';
  // Where the learned model outweighs the rules, the clauses say so, so that a refusal always names
  // the clauses it refuses and an answer always has a clause of substance.
  if (verdict === 'non_answer' && clauses.every((c) => c.kind === 'substance' || c.kind === 'courtesy')) {
    for (const c of clauses) {
      if (c.kind !== 'substance') continue;
      c.kind = 'vague';
      c.reasons.push('(secara keseluruhan terbaca sebagai templat atau janji / as a whole it reads as a template or a promise)');
    }
  } else if (verdict === 'answer' && !clauses.some((c) => c.kind === 'substance')) {
    const best = clauses.reduce((a, c) => (c.score > a.score ? c : a));
    best.kind = 'substance';
    best.reasons.push('(secara keseluruhan terbaca sebagai jawaban / as a whole it reads as an answer)');
  }
  let advice = '';
  if (verdict === 'non_answer') {
    const kinds = [...new Set(clauses.map((c) => c.kind))].filter((k): k is Exclude<ClauseKind, 'substance'> => k !== 'substance');
    const order: Exclude<ClauseKind, 'substance'>[] = ['promise', 'handing_on', 'waiting', 'vague', 'courtesy'];
    const shown = order.filter((k) => kinds.includes(k));
    advice = [...(shown.length > 0 ? shown : (['vague'] as const)).map((k) => ADVICE[k]), EXAMPLE].join(' ');
  }
  return { score, verdict, clauses, advice };
}

/** The rules' score: the strongest clause's (one clause of substance is enough). */
function rulesScore(clauses: ScoredClause[]): number {
  let score = 0;
  for (const clause of clauses) score = Math.max(score, clause.score);
  return score;
}

function toLogit(p: number): number {
  const q = Math.min(Math.max(p, 0.001), 0.999);
  return Math.log(q / (1 - q));
}

/** The rules' logit alone, without the learned model (for training and evaluation). */
export function ruleLogit(text: string): number {
  return toLogit(rulesScore(mergeGrounds(splitClauses(text ?? ''))));
}

/** The clauses that only promise, hand on, wait or say nothing: what an officer is shown on a refusal. */
export function clausesWithoutSubstance(result: AnswerScore): ScoredClause[] {
  return result.clauses.filter((c) => c.kind !== 'substance' && c.kind !== 'courtesy');
}

/** The kind of one clause (kept for the older callers and tests). */
export function classifyClause(clause: string): ClauseKind {
  return scoreClause(clause).kind;
}

/** True when the text only promises action (or says nothing of substance), so it cannot be a final answer. */
export function isPromiseOnly(text: string): boolean {
  return scoreAnswer(text).verdict === 'non_answer';
}

// ---------------------------------------------------------------------------------------------
// The learned second opinion

/**
 * Features for the learned model (scripts/train-answers.ts): word unigrams and bigrams, and each
 * word's affix shape (di-…-kan, me-…-i, ter-, ber-, pe-…-an, -nya), so that "ditambal" and
 * "dikeruk" share "a:di-" and unseen verbs still count. Numbers and dates are folded into one token.
 */
export function answerFeatures(text: string): string[] {
  const words = (text ?? '')
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/\d+([.,:/-]\d+)*/g, ' 0 ')
    .split(/[^\p{L}0-9'-]+/u)
    .filter((w) => w.length > 0);
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.add(`w:${w}`);
    if (i > 0) out.add(`b:${words[i - 1]} ${w}`);
    const prefix = /^(di|ter|ber|per|ke|meng|meny|mem|men|me|peng|peny|pem|pen|pe)(?=\p{L}{3,})/u.exec(w)?.[1];
    const suffix = /(?<=\p{L}{3,})(kan|nya|an|i)$/u.exec(w)?.[1];
    if (prefix || suffix) out.add(`a:${prefix ?? ''}-${suffix ?? ''}`);
  }
  return [...out];
}

interface LearnedModel {
  bias: number;
  weights: Record<string, number>;
  /** How much of the model's logit is added to the rules' logit. */
  blend: number;
}

const MODEL = learned as LearnedModel;

/** The learned model's logit for the whole text (positive: an answer). */
export function modelLogit(text: string): number {
  let z = MODEL.bias;
  for (const f of answerFeatures(text)) z += MODEL.weights[f] ?? 0;
  return z;
}
