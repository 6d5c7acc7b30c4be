/**
 * LAPOR!'s best-known failure is the template non-answer: "akan kami tindaklanjuti",
 * "sudah kami disposisikan", "ditindaklanjuti oleh bidang terkait sesuai prosedur yang berlaku".
 * Such text may be posted as a follow-up, never as the final answer.
 *
 * `scoreAnswer` is a scored classifier: rules over Indonesian verb forms and markers, plus a small
 * learned second opinion (a logistic regression over words, word pairs, affix shapes and character
 * 4-grams, fitted by scripts/train-answers.ts into `answers/model.json`); no I/O at call time.
 * docs/answers.md has the method and its figures on the labelled sets in `answers/*.jsonl`. The
 * text is read with SMS and informal spellings standardised ("sdh" → "sudah"). It splits the text
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
 * - request: asking the citizen for more data (mohon lengkapi alamat dan foto lokasi…);
 * - vague: "sesuai prosedur yang berlaku", "sudah ditangani", "telah selesai" with nothing named;
 * - courtesy: greetings, thanks, apologies, signatures.
 *
 * One clause of substance makes an answer (courtesy plus a real action is an answer). The rules'
 * score is the strongest clause's; the answer's score, 0..1, is sigmoid(clip(logit(rules)) + blend ×
 * model logit − threshold), with clip, blend and threshold from model.json; 0.5 and above is an
 * answer.
 */

import learned from './answers/model.json' with { type: 'json' };

export type ClauseKind = 'substance' | 'promise' | 'handing_on' | 'waiting' | 'request' | 'vague' | 'courtesy';

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
// Morphology and spelling

/**
 * The meN- forms of a stem, by its first sound: the nasal assimilates (p → mem-, t → men-,
 * s → meny-, k → meng-, dropping the consonant: memotong, menambal, menyambung, mengirim; loans
 * keep it: memproses, mentransfer, mensosialisasikan, mengkaji), b/f/v take mem-, c/d/j/z men-,
 * vowels, g and h meng-, l/m/n/r/w/y me-; a stem of one syllable also takes menge- (mengecat,
 * mengecek, mengelas).
 */
export function meForms(stem: string): string[] {
  if (!/^\p{L}+$/u.test(stem)) return [];
  const first = stem[0]!;
  const rest = stem.slice(1);
  const out = new Set<string>();
  if (first === 'p') out.add(`mem${rest}`).add(`mem${stem}`);
  else if ('bfv'.includes(first)) out.add(`mem${stem}`);
  else if (first === 't') out.add(`men${rest}`).add(`men${stem}`);
  else if ('cdjz'.includes(first)) out.add(`men${stem}`);
  else if (first === 's') out.add(`meny${rest}`).add(`men${stem}`);
  else if (first === 'k') out.add(`meng${rest}`).add(`meng${stem}`);
  else if ('aiueogh'.includes(first)) out.add(`meng${stem}`);
  else out.add(`me${stem}`);
  if ((stem.match(/[aiueo]+/g) ?? []).length === 1) out.add(`menge${stem}`);
  return [...out];
}

/**
 * A regular-expression source for every verb form of the stems: the stem itself ("kami ganti"),
 * di-, ter-, ber-, and the meN- forms, each with an optional -kan, -i or -nya.
 */
function verbs(stems: readonly string[], suffix = '(?:kan|i|nya)?', prefixes = 'di|ter|ber'): string {
  const bare = stems.map((s) => s.replace(/ /g, '\\s+'));
  const me = stems.flatMap(meForms);
  return `(?:(?:${prefixes})?(?:${bare.join('|')})|${me.join('|')})${suffix}`;
}

/**
 * Short and informal spellings read as the standard word: SMS abbreviations ("sdh", "blm", "tdk",
 * "yg", "krn"), colloquial forms ("udah", "gak", "nggak"), and English loans officers type
 * ("di-follow up", "dihandle", "on progress").
 */
const SPELLINGS: [RegExp, string][] = [
  [/\b(sdh|sudh|sdah|udh|udah|dah)\b/g, 'sudah'],
  [/\b(blm|blum|blom)\b/g, 'belum'],
  [/\b(tdk|gak|ga|gk|nggak|ngga|enggak|engga|ndak)\b/g, 'tidak'],
  [/\bsdg\b/g, 'sedang'],
  [/\blagi (?=(proses|diproses|dikerjakan|dicek|ditangani|dalam|menunggu|nunggu)\b)/g, 'sedang '],
  [/\b(msh|masi)\b/g, 'masih'],
  [/\b(akn|bakal)\b/g, 'akan'],
  [/\b(sgr)\b/g, 'segera'],
  [/\b(nnti|ntar|entar)\b/g, 'nanti'],
  [/\b(dgn|dg)\b/g, 'dengan'],
  [/\b(yg)\b/g, 'yang'],
  [/\b(utk|untk|buat(?= (di|me)))\b/g, 'untuk'],
  [/\b(krn|krna|karna|soalnya)\b/g, 'karena'],
  [/\b(tsb)\b/g, 'tersebut'],
  [/\b(pd)\b/g, 'pada'],
  [/\b(tgl)\b/g, 'tanggal'],
  [/\b(bs|bsa)\b/g, 'bisa'],
  [/\b(dpt)\b/g, 'dapat'],
  [/\b(kmi|kmai)\b/g, 'kami'],
  [/\b(bpk|bp)\b/g, 'bapak'],
  [/\b(td)\b/g, 'tadi'],
  [/\b(jd)\b/g, 'jadi'],
  [/\b(trs)\b/g, 'terus'],
  [/\b(skrg|skg)\b/g, 'sekarang'],
  [/\b(hr)\b/g, 'hari'],
  [/\b(bln)\b/g, 'bulan'],
  [/\b(thn)\b/g, 'tahun'],
  [/\b(mgg)\b/g, 'minggu'],
  [/\b(bsk)\b/g, 'besok'],
  [/\b(dtg)\b/g, 'datang'],
  [/\b(dlm)\b/g, 'dalam'],
  [/\b(mhn)\b/g, 'mohon'],
  [/\b(tlg)\b/g, 'tolong'],
  [/\b(kpd)\b/g, 'kepada'],
  [/\b(jg)\b/g, 'juga'],
  [/\b(aja)\b/g, 'saja'],
  [/\b(cuma|cuman)\b/g, 'hanya'],
  [/\b(sblm)\b/g, 'sebelum'],
  [/\b(stlh)\b/g, 'setelah'],
  [/\b(fc)\b/g, 'fotokopi'],
  [/\b(rek)\b/g, 'rekening'],
  [/\b(ditrf|ditf)\b/g, 'ditransfer'],
  [/\b(trf|tf)\b/g, 'transfer'],
  [/\b(lg)\b/g, 'lagi'],
  [/\b(mksh|makasih|makasi|trims|trimakasih|thx|tks|thanks|trmksh)\b/g, 'terima kasih'],
  [/\b(sampein|sampaiin|nyampein|disampein|disampaiin)\b/g, 'disampaikan'],
  [/\b(ngecek|ngecekin)\b/g, 'mengecek'],
  [/\b(ngirim|ngirimin)\b/g, 'mengirim'],
  [/\b(ngalir)\b/g, 'mengalir'],
  [/\b(nyala)\b/g, 'menyala'],
  [/\b(dibenerin|dibetulin|dibenahin)\b/g, 'diperbaiki'],
  [/\b(diberesin)\b/g, 'dibereskan'],
  [/\b(di-? ?follow[- ]?up(in)?|di-? ?fu|follow[- ]?up)\b/g, 'ditindaklanjuti'],
  [/\b(di-? ?handle|handle)\b/g, 'ditangani'],
  [/\b(on progress|on process|in progress|onprogress)\b/g, 'dalam proses'],
  [/\b(noted)\b/g, 'dicatat'],
  [/\b(otw|asap)\b/g, 'segera'],
  [/\b(done)\b/g, 'selesai'],
];

/** The text as the rules read it: lower case, straight quotes, standard spellings. */
export function normalize(text: string): string {
  let s = text.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s&\s/g, ' dan ');
  for (const [re, to] of SPELLINGS) s = s.replace(re, to);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Markers

/** Future, intention, plan: whatever the verb ("akan memperbaiki", "segera ditindaklanjuti"). */
const FUTURE =
  /\b(akan|segera|baru (bisa|dapat|akan|mulai)( kami)? \S+ (pada|setelah|sesudah|tahun|bulan|minggu|pekan|jika|bila|kalau|apabila)|nanti|secepatnya|secepat mungkin|dalam waktu dekat|rencananya|direncanakan|berencana|merencanakan|diupayakan|mengupayakan|upayakan|diusahakan|mengusahakan|usahakan|diagendakan|mengagendakan|dijadwalkan|menjadwalkan|diprogramkan|diusulkan|mengusulkan|usulkan|diprioritaskan|ke depan|kedepannya|selanjutnya akan|insya ?allah|semoga|rencana|berkomitmen|komitmen|diharapkan|mudah-mudahan|berjanji|dijanjikan|ditargetkan|diperkirakan|berupaya|terus (berupaya|meningkatkan|melakukan|mendorong)|(minggu|pekan|bulan|tahun) depan|(periode|tahap|tahun anggaran|kesempatan) berikutnya|kemungkinan|menjadi (perhatian|prioritas|bahan)|bahan (evaluasi|pembinaan|pertimbangan)|di masa (yang akan datang|mendatang)|kabar selanjutnya|informasi (lebih lanjut|selanjutnya)|perkembangan selanjutnya)\b/;

/** Work in hand, not done: "sedang kami pelajari", "masih diproses", "dalam tahap kajian". */
const ONGOING =
  /\b((sedang|tengah)(?= (di|me|ber|ter|ke|per)\p{L}{2,}| (kami|kita|proses|menunggu|cuti|dinas|libur|gangguan|kosong|habis|rusak|sakit|tutup|perbaikan|pemeliharaan|berlangsung|diproses)\b| dalam (proses|tahap|penanganan|perbaikan|pengerjaan|pemeriksaan|perjalanan|pengiriman|antre\w*|verifikasi|kajian|pembahasan)\b)|masih(?! (terdaftar|tercatat|aktif|berlaku|sah|tersedia|bisa|dapat|boleh|memenuhi|termasuk|berhak|menjadi peserta))|sedang berlangsung|masih berjalan|dalam (tahap |proses )?(proses|penanganan|tindak ?lanjut|kajian|pengkajian|pengecekan|koordinasi|verifikasi|pembahasan|penelaahan|penyelesaian|pemantauan|perencanaan|pengadaan|antrean|antrian))\b/u;

/** Handing on or acknowledging: not resolving it, even in the past tense. */
const HANDING_STEMS = [
  'disposisi',
  'disposisikan',
  'teruskan',
  'sampaikan',
  'koordinasikan',
  'koordinasi',
  'forward',
  'tampung',
  'catat',
  'terima',
  'laporkan',
  'limpahkan',
  'lanjutkan',
  'tindak lanjuti',
  'tindaklanjuti',
  'tindak lanjut',
  'rekomendasikan',
  'delegasikan',
  'tembuskan',
  'proses',
  'tangani',
  'tanggapi',
  'respon',
  'respons',
  'perhatikan',
  'pelajari',
  'kaji',
  'telaah',
  'bahas',
  'verifikasi',
  'cek',
  'tinjau',
  'pantau',
  'monitor',
  'evaluasi',
  'upayakan',
  'eskalasi',
  'eskalasikan',
  'alihkan',
  'oper',
  'surati',
  'selidiki',
  'telusuri',
  'tindak',
  'naikkan ke',
  'hubungkan',
];
// "menerima" is a handing on only with the report as its object (REPORT_ADMIN): "pelapor sudah
// menerima bantuan" is not.
const HANDING_ON = new RegExp(
  `\\b(?:${verbs(
    HANDING_STEMS.filter((s) => s !== 'terima'),
    '(?:kan|i)?',
    'di|ber',
  )}|(?:di)?terima(?:kan)?)\\b`,
);

/** Sent on so that someone else deals with it: "untuk penanganan lebih lanjut". */
const HANDING_PURPOSE = new RegExp(
  `\\b(sudah|telah) masuk\\b|\\buntuk (segera )?(penanganan|tindak ?lanjut|diperiksa|${verbs(HANDING_STEMS, '(?:kan|i)?', 'di')})\\b|\\blebih lanjut\\b`,
);

/** A generic verb on a meeting or an inspection: "telah dilaksanakan monitoring" names no result. */
const VAGUE_ACTIVITY =
  /\b(monitoring|pemantauan|rapat|koordinasi|survei|survey|peninjauan|pengecekan|sosialisasi|klarifikasi|evaluasi|pembinaan|pendataan|identifikasi|kunjungan|pertemuan|mediasi|arahan|tindakan|langkah|sidak|inspeksi|peninjauan lapangan|tindak ?lanjut|penanganan)\b/;
const GENERIC_OUTCOME = new RegExp(`\\b${verbs(['selesaikan', 'tuntaskan', 'kerjakan', 'laksanakan'], '')}\\b`);
const GENERIC_DEED = new RegExp(`\\b${verbs(['laksanakan', 'lakukan', 'adakan', 'gelar', 'berikan', 'beri'], '')}\\b`);

/** Not a handing on: "yang dilaporkan" (what was reported), "terima kasih" (thanks). */
const NOT_HANDING = /\byang (saudara |bapak |ibu |anda )?(di)?laporkan\b|\b(ber)?terima ?kasih\b|\b(daya|kapasitas) tampung\b/g;

/** What the citizen did, in a relative clause, is not the body's deed: "berkas yang Bapak antar". */
const CITIZEN_DID = /\byang (bapak|ibu|saudara|saudari|anda|kakak|kak|pelapor|warga|pemohon) ((sudah|telah) )?\S+/g;

/** Received by the citizen: the deed reached them ("diterima ahli waris", "diterima di kasir"). */
const RECEIVED =
  /\b(di|me|men)?terima(kan)? (oleh )?(pelapor|pemohon|ahli waris|warga|keluarga|siswa|pelanggan|kpm|yang bersangkutan|penerima|pasien|orang ?tua)\b|\bditerima di\b/;

/** Who the citizen is, as a recipient: a person or their address, inbox, account. */
const CITIZEN =
  '(pelapor|pemohon|ahli waris|orang ?tua|keluarga|warga|bapak|ibu|saudara|saudari|anda|yang bersangkutan|pemilik\\w*|penerima|siswa|pasien|korban|kpm|alamat|email|e-mail|surel|whatsapp|wa|rumah|rekening|akun|istri|suami|anak|ananda|lansia|nasabah|peserta|kelompok|petani|nelayan|almarhum\\w*|panti|kakak|kak)';

/** A thing handed, sent or returned to the citizen is a deed: "diserahkan kepada ahli waris". */
const TO_CITIZEN = new RegExp(
  `\\b${verbs(['serahkan', 'kirim', 'kirimkan', 'antar', 'antarkan', 'kembalikan', 'berikan', 'salurkan', 'transfer', 'transferkan'], '')}\\b(\\s+\\S+){0,8}?\\s+(kepada|ke|untuk|di) ${CITIZEN}\\b`,
);

/** Money that arrived: "dana sudah masuk", "masuk ke rekening". */
const MONEY_ARRIVED =
  /\b(masuk|diterima|sampai|terkirim|dikreditkan) (ke |di )?rekening\b|\b(dana|uang|saldo|gaji|honor|upah|bantuan|tunjangan|insentif|santunan|klaim|pembayaran|pengembalian)\b.*\b(sudah|telah) (masuk|diterima|cair)\b/;

/** The report itself moved on, not the matter: "laporan dialihkan ke", "aduan dipindahkan". */
const MOVE_STEMS = [
  'alihkan',
  'pindahkan',
  'kirimkan',
  'kirim',
  'serahkan',
  'teruskan',
  'oper',
  'limpahkan',
  'sampaikan',
  'forward',
  'naikkan',
  'eskalasikan',
  'bawa',
  'hubungkan',
  'rekomendasikan',
  'tembuskan',
  'disposisikan',
  'delegasikan',
];
/** Another body, or someone in one: where a report is sent on. */
const SENT_TO =
  'dinas|opd|bidang|unit|instansi|up3|ulp|ksop|inspektorat|polsek|polres\\w*|polda|polisi|kepolisian|kementerian|balai|bpjn|bws|camat|lurah|kelurahan|kecamatan|pemprov|pemkot|pemkab|upt|uptd|satpol|satlantas|tim|akun|operator|bpkad|bappeda|bkpsdm|admin|pusat|kantor (pusat|cabang|wilayah|unit)|pt|perusahaan|pengembang|pihak|bagian|kepala|pimpinan|atasan|sekretariat|manajemen|direksi|yayasan|rapat|yang berwenang|pelaksana|kontraktor|vendor|penyedia|kominfo|pln|pdam|bpn|bpjs|dukcapil|disdukcapil|dishub|dlh|dinkes|disdik';

/** The report, its file or the citizen's letter: what is passed on or acknowledged. */
const REPORT_NOUN =
  '(laporan|aduan|pengaduan|keluhan|masukan|permohonan|berkas (pengaduan|laporan|permohonan|aduan)|berkas|usulan|pesan|surat (bapak|ibu|saudara|saudari|anda|keberatan|pengaduan|permohonan))(nya)?';
const REPORT_MOVED = new RegExp(
  `\\b${REPORT_NOUN}\\b( \\S+){0,5}? (sudah |telah )?(kami |kita )?${verbs(MOVE_STEMS)}\\b(?!( \\S+){0,4} (kejaksaan|kejari|kejati|jaksa|penuntut|pengadilan))|\\b${verbs(MOVE_STEMS)} (\\S+ ){0,2}?${REPORT_NOUN}\\b(?!( \\S+){0,4} (kejaksaan|kejari|kejati|jaksa|penuntut|pengadilan))`,
);

/** A time given by a handing on is not one: "paling lambat tiga bulan sejak SPPT diterima". */
const TIME_REFERENCE =
  /\b(sejak|setelah|sesudah|sebelum|begitu|sampai|hingga|ketika|saat) (\S+ ){0,3}?(di)?(terima|sampaikan|catat|proses)\w*/g;

/** The report handled as a file, not the matter: a ticket number, a label, passing verification. */
const REPORT_ADMIN = new RegExp(
  [
    '\\b(laporan|aduan|pengaduan|keluhan)\\b.*\\b(registrasi|terverifikasi|tercatat di sistem|masuk (ke )?(sistem|antrean|antrian))\\b',
    '\\b((nomor|no|kode|id) (tiket|registrasi|pengaduan|aduan|agenda|pelacakan|laporan|register)|diberi nomor|lolos verifikasi|diberi label|label prioritas|tanda terima\\w*|daftar tunggu verifikasi|ditutup oleh (admin|sistem|operator))\\b',
    // A report or letter sent to another body, whatever the verb: "sudah dibuatkan laporan ke UP3".
    `\\b(laporan|surat|nota dinas|memo|rekomendasi)( \\S+){0,2}? (ke|kepada) (${SENT_TO})\\b`,
    // Received, registered, read: "pengaduan Ibu sudah masuk dan tercatat", "surat Bapak sudah diterima bagian umum".
    `\\b${REPORT_NOUN}( (anda|bapak|ibu|saudara|saudari|kakak|kamu|ini|tersebut))?( \\S+){0,4}? (sudah |telah |kini |baru )?(kami |kita )?(di|ter)?(terima|masuk|sampai|catat|tercatat|terdaftar|daftarkan|registrasi|input|verifikasi|verifikasikan|baca|agendakan|rekam|tutup|arsipkan|lengkapi|pindai|scan|unggah)\\b(?! (oleh )?(ahli waris|pelapor|pemohon|yang bersangkutan))`,
    `\\b(kami |kita )?(sudah |telah )?(menerima|mencatat|meregistrasi|menginput|membaca) (\\S+ ){0,2}?${REPORT_NOUN}\\b`,
    // The report's status: "statusnya kini Terverifikasi", "status laporan kami ubah menjadi Selesai".
    '\\bstatus(nya)?( laporan| pengaduan| aduan)?( \\S+){0,3}? (menjadi |kini |: ?)?"?(diterima|terverifikasi|diverifikasi|diproses|selesai|ditutup|dalam proses|closed)\\b',
  ].join('|'),
);

/** Sent on to another body (not to the citizen, not to a court or prosecutor): a handing on. */
const SENT_ON = new RegExp(
  `\\b${verbs(['kirim', 'kirimkan', 'teruskan', 'serahkan', 'sampaikan', 'alihkan', 'pindahkan', 'bawa', 'laporkan', 'limpahkan', 'surati', 'forward', 'naikkan', 'ajukan'])}\\b(\\s+\\S+){0,6}?\\s+(ke|kepada|pada)\\s+(${SENT_TO})\\b`,
);

/** Whose job it is: information about jurisdiction, which belongs to a handing on. */
const JURISDICTION = /\b(kewenangan|wewenang|tanggung ?jawab|dikelola|jalan (nasional|provinsi)|ranah|tupoksi|ditangani oleh)\b/;

/** A condition: what follows "bila", "jika", "apabila" has not happened ("dan bila terbukti"). */
const CONDITION = /\b(bila|jika|apabila|kalau|seandainya|manakala|sekiranya|andaikan)\b/;

/**
 * A completed di-/ter- verb not in the stem list ("sudah ditukar", "telah dilas") is still a deed,
 * unless its stem is one of the steps, acknowledgements or intentions below.
 */
const DONE_PASSIVE = /\b(sudah|telah|selesai)( kami| kita)? ((di|ter)\p{L}{3,})\b/u;
const NOT_A_DEED =
  /^(di|ter)(pahami|mengerti|dengar|dengarkan|baca|ketahui|lihat|temui|hubungi|datangi|kunjungi|ingatkan|imbau|imbaukan|sosialisasikan|bahas|dalami|pertimbangkan|usulkan|ajukan|mintai|jadwalkan|rencanakan|agendakan|prioritaskan|foto|potret|dokumentasikan|observasi|amati|lakukan|laksanakan|upayakan|tangani|selesaikan|tindak|tindaklanjuti|koordinasikan|sampaikan|terima|catat|proses|tampung|respon|tanggapi|kaji|telaah|pelajari|cek|tinjau|pantau|monitor|evaluasi|verifikasi|periksa|ukur|uji|input|data|survei|survey|panggil|minta|undang|identifikasi|temukan|deteksi|kondisikan|akomodasi|akomodir|teruskan|disposisikan|informasikan|beritahukan|jelaskan|konfirmasi|klarifikasi|arahkan|tugaskan|perintahkan|instruksikan|bina|berikan|beri|mulai|rapatkan|diskusikan|musyawarahkan|catatkan|laporkan|sarankan|harapkan|janjikan|sepakati|putuskan|bicarakan|atasi|kendalikan|balas|jawab|bereskan|nyatakan|anggap|upayakan|sikapi|respons|rapatkan|antisipasi)(kan|i|nya)?$/;

/** What a later clause promises is the outcome itself, not only watching over it afterwards. */
const AFTERCARE =
  /\b(pantau|memantau|dipantau|pemantauan|awasi|mengawasi|diawasi|pengawasan|patroli|rutin|berjaga|penjagaan|piket|berkala|terus|evaluasi|tidak terulang|terulang|mencegah|agar tidak|ke depan|kedepannya|jaga|menjaga|dijaga|kabari|mengabari|informasikan)\b/;

/** A handing-on verb under negation is a refusal, not a handing on: "tidak dapat diproses". */
const NEGATED_VERB = /\b(tidak|tak|belum (dapat|bisa)) (dapat |bisa |akan )?(kami )?\S+/g;

/** A relative clause that is not the clause's own state: "honor yang belum diterima sudah dibayarkan". */
const CONCESSIVE =
  /\bsambil (menunggu|menanti)\b.*$|\b(walau(pun)?|meski(pun)?|biarpun|sekalipun) (\S+ )?(belum|masih|sedang|tidak)\b( \S+)?/g;
const RELATIVE_STATE = new RegExp(
  `\\byang (belum|masih|sedang|tengah|tertunda|ditunda)( (di|ter|me)\\S*| \\S+)?|${CONCESSIVE.source}`,
  'g',
);

/** An instruction to the citizen is information: "dapat mendaftar ulang … dengan membawa". */
const INSTRUCTION =
  /(^|[^k][^a][^m][^i] |^)(dapat|bisa|boleh|cukup|wajib|harus|perlu|diminta|dimohon|disarankan|tinggal)( langsung| segera)? (me|mem|men|meng|meny|ber|meng)\S+|\bdengan (membawa|melampirkan|menunjukkan|mengisi|mengunggah)\b|\blangkah(nya)?:|\b(dapat|bisa|boleh) (bapak|ibu|saudara|saudari|anda|warga|kakak) (di|me|mem|men|meng|meny)?\S+|^untuk (me|mem|men|meng|meny|ber)\S+ (?!.*\b(kami|akan)\b).*\b(dengan|melalui|lewat|ke|di) |^(datang|bawa|isi|unggah|ajukan|daftar|daftarkan|lampirkan|pilih|klik|buka|kunjungi|siapkan|bayar|lunasi|login|unduh|ambil|tunjukkan|serahkan) (\S+ )*?(ke|di|melalui|lewat|dengan|formulir|menu|aplikasi|ktp|kk|berkas|bukti|fotokopi)\b/;

/** Where a procedure is done: an instruction to go there is information, not a request for data. */
const PROCEDURE_WHERE =
  /\b(di|ke|melalui|lewat|pada) (aplikasi|laman|situs|website|portal|loket|kantor|dinas|menu|oss|simbg|bank|kasir|ulp|mal pelayanan)\b/;
/** Data sent back to the body that asked for it: a request, not a procedure. */
const TO_US =
  /\b(balasan|tanggapan|kolom|fitur|laporan ini|agar (kami|petugas)|supaya (kami|petugas)|untuk (kami|petugas)|(agar|supaya|untuk) (dapat |bisa )?(kami )?(di)?(tindaklanjuti|proses|verifikasi|cek|telusuri|teruskan|temukan|diperiksa|ditindaklanjuti|diproses|diverifikasi|dicek|ditelusuri|diteruskan|menindaklanjuti|memproses|memverifikasi|mengecek|menelusuri|meneruskan|menemukan|menangani|ditangani))\b/;

/** A schedule given as the answer: an appointment or an event with its date and time or place. */
const SCHEDULE =
  /\b(jadwal\S*|dijadwalkan|dilaksanakan|digelar|diadakan|dibuka|ditetapkan|berlangsung)\b.*\b\d{1,2} (januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)\b.*\b(pukul|jam|di (aula|kantor|loket|posyandu|puskesmas|halaman|gedung|poli|ruang))\b/;

/**
 * An appointment or event the citizen attends (an exam, an interview, a hearing, a training), read
 * as information when it has a day or date and a time or place: "dapat diikuti Senin … pukul 08.00".
 */
const EVENT =
  /\b((dapat|bisa|harap|wajib) (diikuti|dihadiri|hadir|mengikuti|menghadiri)|diundang|undangan|wawancara|ujian|ujian praktik|tes|seleksi|sidang|mediasi|pelatihan|vaksinasi|pembagian|penyerahan|pengambilan)\b/;
const EVENT_DATE =
  /\b((senin|selasa|rabu|kamis|jumat|sabtu|minggu)\b|(tgl|tanggal) \d|\d{1,2} (jan|feb|mar|apr|mei|jun|jul|agu|agt|agus|sep|sept|okt|nov|des)\w*\b)/;
const EVENT_WHERE =
  /\b(pukul|jam) \d|\bdi (aula|kantor|loket|gedung|ruang|balai|satpas|pengadilan|puskesmas|posyandu|blk|lapangan|halaman|masjid|sekolah|kampus)\b/;

/** Steps towards an outcome, not the outcome: inspecting, measuring, summoning, asking. */
const PRELIMINARY = new RegExp(
  `^${verbs(['periksa', 'ukur', 'uji', 'input', 'validasi', 'verifikasikan', 'tinjau', 'panggil', 'minta', 'undang', 'survei', 'survey', 'data', 'cek', 'kumpulkan', 'identifikasi', 'temukan', 'tandai', 'foto', 'ambil sampel'])}$`,
);

/**
 * Asking someone else to act is a step, not the outcome: a letter of instruction or warning, or a
 * request, with what they are to do ("surat perintah kepada kontraktor untuk memperbaiki",
 * "surat pemberitahuan kepada pemilik lahan agar membersihkan").
 */
const INSTRUCTED_OTHER =
  /\b(surat (perintah|pemberitahuan|teguran|peringatan|permintaan|imbauan|himbauan|undangan|panggilan|edaran|instruksi)|teguran|peringatan|meminta|diminta|memerintahkan|diperintahkan|menginstruksikan|diinstruksikan|menugaskan|ditugaskan|mengimbau|menghimbau|diimbau|mendesak|didesak|menyurati|disurati)\b.*\b(agar|supaya|untuk) (segera )?(dapat )?(me|mem|men|meng|meny|ber|di)\S+/;

/** A finding that confirms the complaint is a step: the outcome is still to come ("memang benar ada kebocoran"). */
const CONFIRMS =
  /\b((memang )?benar (ada|terjadi|terdapat)|terbukti (benar|ada)|laporan \S+ (terbukti|benar)|memenuhi (syarat|persyaratan|kriteria|ketentuan)|(berkas|persyaratan|dokumen)(nya)?( \S+)? (sudah |telah )?lengkap)\b/;

/** A result still to come, with no marker of the future: "hasil ujinya keluar sekitar 10 hari kerja". */
const PENDING_RESULT =
  /\b(hasil\w*|keputusan\w*|penetapan\w*|pengumuman\w*|peta|sertifikat\w*|izin\w*|sk)( \S+){0,5}? (akan )?(keluar|diumumkan|disampaikan|diinformasikan|dikabarkan|ditetapkan|diputuskan|diterbitkan|terbit)\b(?=.*\b(setelah|sesudah|seusai|begitu|menunggu|sekitar|paling lambat|dalam)\b)|\b(hasil\w*)( \S+){0,3}? (akan )?(keluar|diumumkan|dikabarkan)\b/;

/**
 * Asking the citizen for more data is a follow-up, not an answer: "mohon lengkapi alamat dan foto
 * lokasi", "kami memerlukan nomor ID pelanggan", "laporan Ibu belum memuat nama sekolah".
 */
const DATA_NOUN =
  '(data|foto\\w*|gambar|video|rekaman|alamat|lokasi|titik|koordinat|patokan|nomor|no|nik|kk|ktp|kis|npwp|nisn|kpj|id|identitas|kronologi\\w*|bukti|detail|rincian|keterangan|informasi|waktu|tanggal|jam|nama|resi|berkas|dokumen|salinan|fotokopi|surat kuasa|sertifikat|skt|tangkapan layar|screenshot|kapan|di mana|dimana|berapa|apakah|siapa|mana)';
const REQUEST = new RegExp(
  [
    `\\b(mohon|dimohon|kami mohon|silakan|silahkan|harap|diharapkan|tolong|bisa|bisakah|dapatkah|boleh|bolehkah|kiranya|mohon kesediaan)( (bapak|ibu|saudara|saudari|anda|kakak|kak|pelapor)\\w*)?( dapat| bisa| untuk)? ${verbs(['lengkapi', 'kirim', 'kirimkan', 'lampirkan', 'unggah', 'sertakan', 'sebutkan', 'informasikan', 'jelaskan', 'konfirmasi', 'konfirmasikan', 'beri tahu', 'beritahu', 'beritahukan', 'beri', 'berikan', 'cantumkan', 'tuliskan', 'tulis', 'balas', 'tambahkan'])}\\b(\\s+\\S+){0,8}?\\s+${DATA_NOUN}\\b`,
    `\\bkami (perlu|butuh|membutuhkan|memerlukan|perlukan|minta|meminta)( \\S+){0,3}? ${DATA_NOUN}\\b`,
    '\\b(laporan|aduan|pengaduan|keluhan|permohonan)( \\S+){0,2}? (belum|kurang|tidak) (lengkap|jelas|memuat|mencantumkan|menyertakan|disertai|dilengkapi)\\b',
    `\\b(mohon|silakan|silahkan|harap|tolong) (di)?(lengkapi|sebutkan|informasikan|konfirmasi|jelaskan|kirim|kirimkan|lampirkan|unggah|sertakan)\\w*\\b`,
  ].join('|'),
);

/** Handed to someone else, named only by role: "bidang terkait", "instansi yang berwenang". */
const SOMEONE_ELSE =
  /\b(bidang|unit|instansi|dinas|pihak|satuan kerja|opd|seksi|bagian|tim) (yang )?(terkait|berwenang|teknis|bersangkutan|menangani|membidangi)\b/;

const WAITING =
  /\b(menunggu|tunggu|ditunggu|belum|ditunda|menunda|tertunda|mohon (kesabaran|bersabar|ditunggu|menunggu)|harap (bersabar|menunggu)|bersabar)\b/;

/** Words that name the procedure, not the deed. */
const VAGUE =
  /\b(sesuai (dengan )?(prosedur|ketentuan|mekanisme|sop|aturan|peraturan)( yang berlaku| yang ada)?|sebagaimana mestinya|sebaik-baiknya|semaksimal mungkin|secara optimal|sudah (di)?tangani|telah (di)?tangani|sudah (di)?proses|telah (di)?proses|sudah (di)?respon|telah ditanggapi|sudah ditanggapi|langkah-langkah|upaya-upaya|tindakan yang diperlukan|langkah yang diperlukan|sudah selesai|telah selesai|sudah beres|sudah clear|sudah dilakukan|telah dilakukan|sudah kami lakukan|telah kami lakukan|(di)?kondisikan|dengan baik|sesuai (dengan )?kewenangan|(sudah|telah) (kami )?(di|meng|men|mem|meny)?(atasi|tangani|kendalikan|balas|jawab|tanggapi|respons?|bereskan)\w*|dinyatakan (selesai|tuntas|clear|ditutup|close)|(di|kami )anggap (selesai|tuntas|clear|beres)|sudah aman|(masalah|permasalahan|persoalan|kasus|hal|urusan|kendala)( ini| tersebut| itu| bapak| ibu| anda)? (sudah|telah) (kami )?(di|ter)\S+|(sudah|telah) ada (tindakan|tindak lanjut|penanganan|langkah)|upaya penanganan|turun ke (lapangan|lokasi)|ke tkp)\b/;

const COURTESY = [
  /^(terima ?kasih|terimakasih|makasih|mohon maaf|maaf|kami mohon maaf|salam|selamat (pagi|siang|sore|malam)|yth\.?|kepada yth|hormat kami|wassalam|wassalamu\w*|assalamu\w*|bapak\/ibu|bapak\/ibu\/saudara|bapak|ibu|saudara|saudari|sdr|admin|tim|demikian|semoga|kami (menghargai|mengapresiasi)|apresiasi|atas perhatian)\b/,
  /\batas (laporan|partisipasi|informasi|perhatian|kesabaran|pengaduan|aspirasi|kepercayaan|masukan|kerja ?sama|ketidaknyamanan)\w*\b/,
  /\b(ketidaknyamanan|kepedulian|partisipasi (aktif )?anda|salam hangat|hormat kami)\b/,
  /\bkami (bangga|senang|bahagia|berbahagia|selalu siap|siap) (bisa |dapat )?(melayani|membantu|menerima)\b/,
];

/** Completion: "sudah", "telah", "selesai", "rampung", "tuntas", "berhasil". */
const DONE = /\b(sudah|telah|selesai|rampung|tuntas|berhasil|kini|sekarang sudah|saat ini sudah)\b/;

/**
 * Stems of concrete deeds, in any form: di-X(-kan/-i), me(N)-X(-kan/-i), ter-X, ber-X. The
 * leading nasal of the meN- form is handled by listing the root as it appears after it.
 */
const DEED_STEMS = [
  'tambal',
  'tukar',
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
  'bekukan',
  'tebang',
  'pangkas',
  'potong',
  'sambung',
  'salurkan',
  'kirim',
  'kirimkan',
  'serahkan',
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

const DEED = new RegExp(`\\b${verbs(DEED_STEMS)}\\b`);

/** Deeds that the stem list cannot carry without false hits ("membangun" is also "constructive"). */
const DEED_PHRASES =
  /\b((sudah|telah) (mendapat|mendapatkan|memperoleh)|(sudah|telah) (menerima|diberi|dijatuhi|dikenai) (surat peringatan|sp ?[123]|sanksi|denda|teguran tertulis)|(dijatuhi|dikenai) (sanksi|denda|hukuman)|sudah jadi|telah jadi|dibangun|dibangun kembali|terlampir|kami lampirkan|dilampirkan|bebas tugas|(hidup|menyala|berfungsi|normal|lancar|mengalir|beroperasi|aktif|pulih|bersih|terang|buka) (kembali|lagi)|p-?21|(dilimpahkan|diserahkan|dikirim|melimpahkan|menyerahkan) (\S+ ){0,5}?ke (kejaksaan|kejari|kejati|jaksa|penuntut umum|pengadilan))\b/;

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
  /\b(sebanyak \d|berjumlah \d|nomor (urut|porsi|antrean)|urutan (ke-?)?\d|jatuh tempo|tercatat (sebesar |rp)|adalah|yaitu|yakni|ialah|sebagai berikut|syarat(nya)?|persyaratan|dokumen yang diperlukan|cukup (di|me|mem|men|meng|meny|ber)?\p{L}{3,}|(dapat|bisa|boleh) di\p{L}{3,} (di|ke|melalui|lewat|secara|tanpa)|dapat (diambil|diurus|diajukan|dilakukan|diakses|dicek|dilihat|diunduh|dibayar|mengajukan|mengambil|menghubungi|datang)|bisa (diambil|diurus|diajukan|dilakukan|dicek|dilihat)|silakan|silahkan|tidak dipungut biaya|tanpa biaya|gratis|tidak dikenakan biaya|dikenakan (biaya|tarif|pnbp|retribusi|denda|pajak)|biaya(nya)?|tarif(nya)?|pnbp|ralat|yang benar|(jam|waktu|hari) (layanan|pelayanan|buka|operasional|kunjung\w*)|jam kerja|(senin|selasa|rabu|kamis|jumat|sabtu|minggu) ?[–-] ?(senin|selasa|rabu|kamis|jumat|sabtu|minggu)|tidak (wajib|diwajibkan|harus|perlu)|tercatat (di|dalam) \S+( \S+)? sebagai|disebabkan|diakibatkan|penyebab(nya)?|tercantum|setiap (hari|senin|selasa|rabu|kamis|jumat|sabtu|minggu|bulan|pekan|tahun)|tidak ada (pungutan|biaya|kewajiban)|berlaku (mulai|sampai|hingga|selama)|buka (setiap|pada|mulai|pukul)|jadwal(nya)? (adalah|yaitu|setiap|layanan|pelayanan|buka|operasional)|melalui (aplikasi|laman|situs|website|nomor|loket)|hubungi|diatur dalam|ditentukan oleh|termasuk (dalam|kategori|golongan|wilayah|kawasan|jalan|peserta|penerima|layanan|jenis|obat|kewenangan|barang|aset|tanah|zona)|tidak termasuk|merupakan|bukan merupakan|terdaftar sebagai|tercatat sebagai|statusnya|status (kepesertaan|bantuan|permohonan)|besaran|sebesar (rp\.?\s?\d+|\d+)|(dapat )?(kami )?jelaskan bahwa|bukan (petugas|pegawai|pungutan) resmi|hasil (pemeriksaan|pengecekan|pengukuran|uji|verifikasi|audit|penelusuran|klarifikasi)|dari hasil|berdasarkan (hasil|data|pemeriksaan|pengecekan|catatan)|ternyata|diketahui bahwa|terbukti|tidak terbukti|tidak ditemukan|ditemukan)\b/u;

/** A refusal with its ground is an answer: the law, a rule, a finding. */
const REFUSAL =
  /\b(tidak dapat|tidak bisa|tidak dapat kami|tidak kami (lanjutkan|proses|berikan|kabulkan|penuhi|terima|tindak lanjuti)|tidak (akan )?(di|ter)\p{L}{3,}|tidak (berlaku|boleh|diperbolehkan|diizinkan|dibenarkan|perlu|wajib|mendapat\w*|memperoleh|memenuhi|berhak|termasuk)|tetap (di\p{L}{3,}|berlaku|wajib|harus)|bukan kewenangan|di luar kewenangan|ditolak|menolak|kami tolak)\b/u;
const GROUND =
  /\b(pasal|ayat|undang-undang|uu|pp|perpres|permen\w*|perda|perwali|perbup|pergub|peraturan|keputusan|sk|surat edaran|se|putusan|ketentuan (pasal|dalam)|karena|sebab|sehingga|mengingat|oleh karena|dikarenakan|berdasarkan)\b/;

/** A rule, not merely a reason: what makes "belum dapat disetujui karena …" a refusal, not a wait. */
const RULE =
  /\b(pasal|ayat|undang-undang|uu|pp|perpres|permen\w*|perda|perwa|perwali|perbup|pergub|perka|peraturan|mensyaratkan|disyaratkan|ketentuan|dilarang|melarang|membatasi|tidak (membolehkan|memperbolehkan|mengizinkan|mengizinkan)|hanya (diberikan|dapat|untuk|bagi|memberi\w*)|syarat\w*|(usia|umur) (minimal|maksimal|paling)|(minimal|maksimal|paling lama|paling lambat) \d|baru (boleh|bisa|dapat) (di)?\p{L}+)\b/u;
const NOT_YET_REFUSAL = /\bbelum (dapat|bisa) (kami )?(di|me|mem|men|meng|meny)?\S+/;
/** The SMS-short refusal, "Blm bisa Bu, …", "Tdk bisa Pak, …": its ground is what follows. */
const BARE_REFUSAL =
  /^(maaf,? )?((bapak|ibu|pak|bu|kak|mas|mbak|saudara) )?(belum|tidak|tak) (bisa|dapat)( (bapak|ibu|pak|bu|kak|mas|mbak|ya|nggih))?\b/;

/** A record changed "dari <old> menjadi <new>": the old value is not the clause's state ("dari belum kawin"). */
const FROM_TO = /\bdari\b.{1,60}?\bmenjadi\b/g;

/** A date or amount after "pada", "sejak", "mulai", "sebesar": the mark of a reported fact. */
const COMPLETED_TIME = /\b(pada|sejak|tanggal|tgl|per) (\d|hari|tanggal|pagi|siang|sore|malam|kemarin)/;

// ---------------------------------------------------------------------------------------------
// Clauses

const SENTENCE = /[.!?;\n]+\s*/;
/** Within a sentence: commas (captured, to tell them apart), dashes, and the conjunctions that join clauses. */
const INNER =
  /(,\s+)|\s+-\s+|\s+(?=(?:dan|serta|namun|tetapi|akan tetapi|sedangkan|lalu|kemudian|karena|sebab|sehingga|dan juga|adapun|selain itu|untuk itu|oleh karena itu|dengan demikian|tapi|tp|krn|&)\s)/i;

const DATE_COMMA =
  /\b(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|\d{4}|(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember))\s*,\s+(?=(\d{1,2} (januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)|pukul|jam \d)\b)/gi;

/** Splits the text into clauses, keeping the officer's own wording for display. */
export function splitClauses(text: string): string[] {
  const prepared = text
    .replace(/\s+/g, ' ')
    .replace(/(\d)[.,](\d)/g, '$1\u2024$2') // keep 1.500.000 and 08.00 whole
    .replace(/\b(no|jl|gg|yth|sdr|rp|dr|drs|ir|h|hj|kab|kec|kel|tgl|wr|wb|st|dll|dsb|a\.n|u\.p)\./gi, '$1\u2024')
    // A date is one phrase even when commas cut it: "pada Sabtu, 12 Desember 2026, pukul 08.00".
    .replace(DATE_COMMA, '$1\u201a ');
  const out: string[] = [];
  for (const sentence of prepared.split(SENTENCE)) {
    const parts = sentence.split(INNER);
    let inSentence = false;
    for (let i = 0; i < parts.length; i += 2) {
      const piece = (parts[i] ?? '')
        .replace(/\u2024/g, '.')
        .replace(/\u201a/g, ',')
        .trim();
      if (piece.length === 0 || !/[\p{L}\p{N}]/u.test(piece)) continue;
      // "…, sesuai jadwal BKPSDM, …, di laman resmi": a phrase with no verb that a comma cut off
      // belongs to the clause before it.
      if (inSentence && parts[i - 1] !== undefined && isFragment(piece)) {
        out[out.length - 1] = `${out.at(-1)}, ${piece}`;
        continue;
      }
      out.push(piece);
      inSentence = true;
    }
  }
  return out;
}

const FRAGMENT_BLOCKERS =
  /\b(sudah|telah|akan|belum|sedang|masih|tidak|bukan|mohon|silakan|silahkan|segera|adalah|merupakan|ada|sehingga|karena|namun|tetapi|dan|serta|terima kasih|kami|saya|kita|bisa|dapat|harus|wajib|selesai|gratis|jadi|cair|lunas)\b/;

/** A short phrase with no verb and no marker: a place, a date, a name, a list item. */
function isFragment(piece: string): boolean {
  const c = normalize(piece);
  const words = c.split(/\s+/).filter(Boolean);
  if (words.length > 6 || FRAGMENT_BLOCKERS.test(c) || COURTESY.some((p) => p.test(c)) || DEED.test(c)) return false;
  return !words.some((w) => /^(di|ter|ber|me|mem|men|meng|meny|per)\p{L}{3,}$/u.test(w));
}

const GROUND_START = /^(karena|sebab|dikarenakan|oleh karena|mengingat|sesuai|berdasarkan|sebagaimana|krn)\b/i;
const CAUSE_START = /^(karena|sebab|dikarenakan|akibat|lantaran|disebabkan)\b/;
const NEEDS_GROUND = /\b(tidak|bukan|ditolak|menolak|belum (dapat|bisa))\b/i;
/** "sedangkan Pasal 53 … mensyaratkan": the rule that grounds the refusal before it. */
const RULE_START = /^(sedangkan|padahal|sementara|dan|serta)\b/i;

/** A refusal and its ground ("tidak dapat … karena Pasal 17") are one clause, when that reads better. */
function mergeGrounds(raw: string[]): ScoredClause[] {
  // "karena masa kerja baru 18 tahun, sedangkan Pasal 53 … mensyaratkan 20 tahun": one ground.
  const clauses: string[] = [];
  let intro: string | undefined;
  for (const raw1 of raw) {
    // "Dari hasil pengecekan, …": an introducer belongs to the clause it introduces.
    const clause = intro === undefined ? raw1 : `${intro} ${raw1}`;
    intro = undefined;
    const prev = clauses.at(-1);
    if (INTRODUCER.test(clause) && clause.split(/\s+/).length <= 5 && !CAUSE.test(clause)) {
      intro = clause;
      continue;
    }
    if (prev !== undefined && GROUND_START.test(prev) && RULE_START.test(clause) && RULE.test(clause.toLowerCase())) {
      clauses[clauses.length - 1] = `${prev} ${clause}`;
    } else if (prev !== undefined && prev.split(/\s+/).length <= 4 && BARE_REFUSAL.test(normalize(prev)) && RULE.test(normalize(clause))) {
      // "Blm bisa, KIP Kuliah hanya untuk lulusan 2 tahun terakhir": the refusal and its ground.
      clauses[clauses.length - 1] = `${prev}, ${clause}`;
    } else clauses.push(clause);
  }
  if (intro !== undefined) clauses.push(intro);
  const out: ScoredClause[] = [];
  for (const clause of clauses) {
    const last = out.at(-1);
    // "… karena hujan turun setiap hari": the cause belongs to the clause it explains ("oleh karena
    // itu" starts a new one).
    if (last !== undefined && CAUSE_START.test(normalize(clause)) && !/^(oleh )?karena itu\b/i.test(clause)) {
      out[out.length - 1] = scoreClause(`${last.text} ${clause}`);
      continue;
    }
    const alone = scoreClause(clause);
    if (last !== undefined && GROUND_START.test(clause)) {
      const merged = scoreClause(`${last.text} ${clause}`);
      // A ground that is itself a refusal ("karena bukan kewenangan daerah") belongs to the clause
      // it grounds: after a handing on it is the reason for passing the report on, not a refusal.
      if (
        NEEDS_GROUND.test(normalize(clause)) ||
        (NEEDS_GROUND.test(normalize(last.text)) && merged.score > Math.max(last.score, alone.score))
      ) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    // The rule cited after a refusal and its reason ("… karena masa kerja 18 tahun, sedangkan Pasal
    // 53 PP 11/2017 mensyaratkan 20 tahun") belongs to it.
    if (last !== undefined && RULE_START.test(clause) && RULE.test(normalize(clause)) && NEEDS_GROUND.test(normalize(last.text))) {
      const merged = scoreClause(`${last.text} ${clause}`);
      if (merged.score > last.score) {
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

/** What the text-level rules need to know of a clause, beside what it shows. */
interface ClauseFlags {
  /** The report was passed on (or handled as a file). */
  moved: boolean;
  /** Its substance is a deed or a finding: a step, if the outcome is promised later. */
  stepLike: boolean;
  /** It speaks of whose job it is. */
  jurisdiction: boolean;
  /** It promises, or waits for, the outcome (not only watching over it afterwards). */
  promisesOutcome: boolean;
  /** It explains or confirms (the cause, the report found true): context, if the outcome is promised elsewhere. */
  context: boolean;
  /** The markers the rules found, for the learned model's features. */
  markers: string[];
}
const FLAGS = new WeakMap<ScoredClause, ClauseFlags>();

/** Deeds that settle the matter whatever follows (an arrest, a payment, a permit issued, a seal). */
const SETTLING =
  /(tangkap|tahan|bayar|cair|terbit|kembalikan|transfer|lunas|segel|cabut|bekukan|dijatuhi|dikenai|denda|berhentikan|pecat|bebastugaskan|batalkan|hapus|tilang|sita|bubarkan|jatuhkan|kabulkan|setujui|sahkan)/;

/** A finding reported as the first step ("titik kebocoran sudah ditemukan"). */
const FINDING = /\b(ditemukan|menemukan|terdeteksi|terbukti|ternyata|diketahui)\b/;

/** No object named: the clause starts with the verb, or its subject is the handling itself. */
const EMPTY_SUBJECT =
  /^((sudah|telah|selesai|kami|petugas|tim|pihak kami) )*(sudah |telah )?(di|me|mem|men|meng|meny)\S+( oleh (\S+ )?(unit|bidang|tim|petugas|pihak|instansi|dinas|opd)\b.*)?$|^(tindak ?lanjut\S*|penanganan\S*|kegiatan|hal|masalah|permasalahan|persoalan|laporan|aduan|pengaduan|keluhan)( ini| tersebut| itu| \S+nya)? (sudah |telah )?(di|ter)\S+$/;

/** Tomorrow: a promise, unless the clause gives information ("dapat diambil besok"). */
const SOON = /\b(besok|lusa|esok hari|nanti (sore|malam|siang))\b/;

/** A letter to a third party (a warning, a notice, a summons) is a step, not a thing handed to the citizen. */
const LETTER_TO_OTHER =
  /\bsurat (teguran|peringatan|pemberitahuan|panggilan|perintah|undangan|imbauan|himbauan|edaran|instruksi)\b|\bsp ?[123]\b/;

/** "Kalau mati lagi, kabari kami": a condition on the trouble coming back, not on the outcome. */
const RECURRENCE = /\b(lagi|kembali|terulang|masih)\b/;

const MODAL = /\b(dapat|bisa|boleh|silakan|silahkan|harus|wajib|cukup)\b/;

const DEED_ALL = new RegExp(DEED.source, 'g');

/** The clause's deed: the first that is not only a step ("sampel yang diuji … sudah diganti"), else the first. */
function bestDeed(text: string): string | undefined {
  let first: string | undefined;
  for (const m of text.matchAll(DEED_ALL)) {
    first ??= m[0];
    if (!PRELIMINARY.test(m[0].trim())) return m[0];
  }
  return first;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function completedTimeOf(c: string): boolean {
  return COMPLETED_TIME.test(c);
}

/** A clause that only introduces the next one: "Dari hasil pengecekan, …", "Berdasarkan data kami, …". */
const INTRODUCER =
  /^(dari hasil|berdasarkan|menurut|hasil(nya)?|dari (pengecekan|pemeriksaan|penelusuran|data)|untuk (me|mem|men|meng|meny)\p{L}+)\b/iu;

/** "karena …" explaining what the clause before it states: the cause, given as information. */
const CAUSE = /\b(karena|sebab|akibat|lantaran|dikarenakan|disebabkan)\b/;

/** Scores one clause on its own. */
export function scoreClause(original: string): ScoredClause {
  const c = normalize(original);
  const reasons: string[] = [];
  const markers: string[] = [];
  let substance = 0;
  let against = 0;
  const words = c.split(/\s+/).filter(Boolean).length;

  // Markers of tense and handing on are read without relative clauses ("honor yang belum diterima
  // sudah dibayarkan", "anak yang belum memiliki akta tetap dapat didaftarkan") when the clause itself
  // is done or says what can be done; "biaya … yang belum tersedia" alone is still a wait.
  const main = (DONE.test(c) || MODAL.test(c) || /\btetap\b/.test(c) ? c.replace(RELATIVE_STATE, ' ') : c.replace(CONCESSIVE, ' ')).replace(
    FROM_TO,
    ' menjadi ',
  );
  // What the citizen did ("berkas yang Bapak antar langsung") is not the body's deed.
  const own = c.replace(CITIZEN_DID, ' ');
  const schedule = firstMatch(SCHEDULE, main);
  // The body's own visit, inspection or repair with its date is a promise, not an appointment.
  const bodyVisit =
    /\b(datang|berkunjung|turun) ke (rumah|lokasi)\b|\b(verifikasi|survei|survey|pengecekan|peninjauan|pengukuran) (lapangan|lokasi|ke)\b|\bteknisi\b/.test(
      main,
    );
  const event = schedule ?? (EVENT.test(main) && EVENT_DATE.test(main) && EVENT_WHERE.test(main) ? firstMatch(EVENT, main) : undefined);
  const scheduleIsAnswer =
    event !== undefined && !DEED_NOUN.test(main) && !bodyVisit && !/\b(akan|segera|rencana\w*|direncanakan)\b/.test(main);
  // "tidak akan dikenakan lagi": a decision that something stops, not a promise.
  const futureMatch =
    firstMatch(FUTURE, main.replace(/\btidak akan\b/g, ' ')) ??
    (DONE.test(main) || MODAL.test(main) ? undefined : firstMatch(PENDING_RESULT, main));
  const future = scheduleIsAnswer && futureMatch === 'dijadwalkan' ? undefined : futureMatch;
  const ongoing = firstMatch(ONGOING, main);
  const waiting = firstMatch(WAITING, main);
  const vague = firstMatch(VAGUE, c);
  // "… dapat Bapak sampaikan melalui aplikasi": telling the citizen where to report is information.
  const movedMatch = firstMatch(REPORT_MOVED, own);
  const reportMoved =
    (movedMatch && MODAL.test(movedMatch) ? undefined : movedMatch) ?? firstMatch(REPORT_ADMIN, own) ?? firstMatch(SENT_ON, own);
  // Asking the citizen for data (not telling them where to go to do something).
  const request = !PROCEDURE_WHERE.test(c) || TO_US.test(c) ? firstMatch(REQUEST, c) : undefined;
  const handingText = own
    .replace(INSTRUCTION, ' ')
    .replace(NOT_HANDING, ' ')
    .replace(NEGATED_VERB, ' ')
    .replace(TIME_REFERENCE, ' ')
    .replace(/\bhasil \S+/g, ' ');
  const handing = reportMoved ?? (RECEIVED.test(c) ? undefined : firstMatch(HANDING_ON, handingText));
  const moneyArrived = firstMatch(MONEY_ARRIVED, c);
  const handingPurpose = moneyArrived ? undefined : firstMatch(HANDING_PURPOSE, c);
  const someoneElse = firstMatch(SOMEONE_ELSE, c);
  const done = firstMatch(DONE, c);
  // Asking someone else to act ("surat perintah kepada kontraktor untuk memperbaiki") is a step.
  const instructedOther = INSTRUCTED_OTHER.test(own);
  const toCitizen =
    reportMoved || instructedOther || LETTER_TO_OTHER.test(own)
      ? undefined
      : (firstMatch(TO_CITIZEN, own) ?? firstMatch(RECEIVED, c) ?? moneyArrived);
  // Past a condition ("dan bila terbukti, …") nothing has happened.
  const condition = firstMatch(CONDITION, c);
  const real = condition ? own.slice(0, own.search(CONDITION)) : own;
  const donePassive = DONE_PASSIVE.exec(real)?.[3];
  // A done verb outside the stem list is a deed, unless the clause is vague ("masalah sudah diatasi").
  const unlistedDeed = donePassive && !vague && !NOT_A_DEED.test(donePassive) && !HANDING_ON.test(donePassive) ? donePassive : undefined;
  const deedMatch =
    toCitizen ?? (reportMoved ? undefined : (bestDeed(real.replace(NOT_HANDING, ' ')) ?? firstMatch(DEED_PHRASES, real) ?? unlistedDeed));
  const vagueActivity = deedMatch && GENERIC_DEED.test(deedMatch) ? firstMatch(VAGUE_ACTIVITY, c) : undefined;
  const deedNoun = done && !handing ? firstMatch(DEED_NOUN, c) : undefined;
  // "diselesaikan sesuai SOP": a verb of finishing whose object is only the procedure.
  // "Sudah diselesaikan oleh unit terkait", "Tindak lanjut telah dilaksanakan": a generic verb with no object.
  const generic = deedMatch !== undefined && (GENERIC_OUTCOME.test(deedMatch) || GENERIC_DEED.test(deedMatch));
  const emptyOutcome =
    generic && !SPECIFIC.some(([re]) => re.test(c)) && ((GENERIC_OUTCOME.test(deedMatch) && VAGUE.test(c)) || EMPTY_SUBJECT.test(c));
  // "bisa melayani", "siap membantu": an ability or a readiness, not a deed done.
  const ability =
    deedMatch !== undefined &&
    !done &&
    !completedTimeOf(c) &&
    new RegExp(`\\b(bisa|dapat|siap|ingin|mau|senang|bangga) (kami )?${escapeRe(deedMatch)}\\b`).test(c);
  const deed = vagueActivity || emptyOutcome || ability ? undefined : (deedMatch ?? deedNoun);
  // Inspecting, measuring, summoning, asking someone else to act: a step towards the outcome.
  const preliminary = deed !== undefined && toCitizen === undefined && (PRELIMINARY.test(deed.trim()) || instructedOther);
  // "memang benar ada kebocoran", "berkas lengkap dan memenuhi syarat": the report confirmed, no outcome.
  const confirms = firstMatch(CONFIRMS, real);
  const infoText = confirms ? real.replace(new RegExp(CONFIRMS.source, 'g'), ' ').replace(/\b(dari |berdasarkan )?hasil \S+/g, ' ') : real;
  const explanation =
    !future && !ongoing && !waiting && !handing && !request && !vague && words >= 5 && CAUSE.test(c) && !CAUSE.test(c.split(/\s+/)[0]!)
      ? firstMatch(CAUSE, c)
      : undefined;
  const dated = SPECIFIC[0][0].test(c) || SPECIFIC[4][0].test(c);
  const information =
    firstMatch(INFORMATION, infoText) ??
    (scheduleIsAnswer ? event : undefined) ??
    (dated && !deed && !bodyVisit && !future && !DEED_NOUN.test(main) ? firstMatch(/\bjadwal\w*\b/, infoText) : undefined) ??
    (future || request || /\b(kami|petugas|tim|agar|supaya)\b/.test(c.split(/\b(dapat|bisa|cukup|wajib|harus|perlu)\b/)[0] ?? '')
      ? undefined
      : firstMatch(INSTRUCTION, c)) ??
    (explanation ? `… ${explanation} …` : undefined);
  // "belum dapat disetujui karena Pasal …": a rule, not a wait, stands in the way: a refusal.
  const ruleGround = firstMatch(RULE, c);
  const notYetRefusal =
    ruleGround && (/\b(karena|sebab|dikarenakan|sedangkan|mengingat|sesuai)\b/.test(c) || BARE_REFUSAL.test(c))
      ? (firstMatch(NOT_YET_REFUSAL, c) ?? firstMatch(/\bbelum (dapat|bisa)\b/, c))
      : undefined;
  const refusal = firstMatch(REFUSAL, c) ?? notYetRefusal;
  const ground = refusal
    ? notYetRefusal && refusal === notYetRefusal
      ? ruleGround
      : (firstMatch(GROUND, c) ?? (BARE_REFUSAL.test(c) ? ruleGround : undefined))
    : undefined;
  const completedTime = COMPLETED_TIME.test(c);
  // "Fogging dilaksanakan Sabtu, setelah pemeriksaan jentik": a deed not yet done, after something else.
  const after =
    deed && !done && !completedTime && !information && !MODAL.test(main)
      ? firstMatch(/\b(setelah|sesudah|seusai|begitu)\b/, main)
      : undefined;
  const soon = !information && !done ? (firstMatch(SOON, main) ?? after) : undefined;
  const promised = future ?? soon;
  const specifics = SPECIFIC.filter(([re]) => re.test(c)).map(([, label]) => label);

  if (deed && preliminary) {
    substance += 0.75;
    markers.push('step');
    reasons.push(
      instructedOther
        ? `"${deed}" (meminta pihak lain bertindak, belum hasil / someone else asked to act, not the outcome)`
        : `"${deed}" (langkah pemeriksaan, belum hasil / a step, not the outcome)`,
    );
  } else if (deed) {
    substance += 2;
    markers.push(deed === unlistedDeed ? 'deed-unlisted' : toCitizen ? 'deed-to-citizen' : 'deed');
    reasons.push(`"${deed}" (tindakan nyata / concrete action)`);
    if (done || completedTime) {
      substance += 1.5;
      markers.push('deed-done');
      reasons.push(`"${done ?? 'pada …'}" (selesai / completed)`);
    }
  } else if (done && !vague && !handing) {
    substance += 0.5;
    markers.push('done');
    reasons.push(`"${done}" (selesai / completed)`);
  }
  if (confirms && !information && !deed) {
    substance += 0.75;
    markers.push('confirms');
    reasons.push(`"${confirms}" (laporan dibenarkan, hasilnya belum disebut / the report confirmed, no outcome yet)`);
  }
  if (information) {
    substance += explanation && information.startsWith('…') ? 2 : 2.5;
    markers.push(explanation && information.startsWith('…') ? 'explanation' : 'information');
    reasons.push(
      explanation && information.startsWith('…')
        ? `"${explanation}" (penjelasan sebab / the cause explained)`
        : `"${information}" (informasi / information)`,
    );
  }
  if (refusal && ground && !(handing && !deed && notYetRefusal === undefined)) {
    substance += 5;
    markers.push('refusal');
    reasons.push(`"${refusal} … ${ground}" (penolakan beralasan / refusal with a ground)`);
  }
  if (specifics.length > 0 && substance > 0 && !preliminary && !markers.includes('confirms')) {
    substance += Math.min(specifics.length, 3) * 0.5;
    markers.push('specifics');
    reasons.push(`${specifics.join(', ')} (rincian / specifics)`);
  }
  const waitingIsRefusal =
    waiting === 'belum' && refusal && ground && (notYetRefusal !== undefined || /\bbelum (memenuhi|lengkap|terdaftar|termasuk)/.test(c));

  let kind: ClauseKind | undefined;
  if (condition && substance < 3 && !(information && !promised)) {
    against += 2;
    markers.push('condition');
    reasons.push(`"${condition}" (syarat, belum terjadi / a condition, not yet so)`);
    kind = 'promise';
  }
  if (promised) {
    against += 4;
    markers.push('future');
    reasons.push(`"${promised}" (janji / future)`);
    kind = 'promise';
  }
  if (ongoing) {
    against += 3.5;
    markers.push('ongoing');
    reasons.push(`"${ongoing}" (masih berjalan / ongoing)`);
    kind ??= 'promise';
  }
  if (waiting && !waitingIsRefusal) {
    against += 3.5;
    markers.push('waiting');
    reasons.push(`"${waiting}" (menunggu / waiting)`);
    kind ??= 'waiting';
  }
  if (request) {
    against += 3.5;
    markers.push('request');
    reasons.push(`"${request}" (meminta data tambahan, belum hasil / asks for more data, no outcome)`);
    kind ??= 'request';
  }
  if (handing && !deed) {
    against += 2.5;
    markers.push(reportMoved ? 'moved' : 'handing');
    reasons.push(`"${handing}" (diteruskan atau diterima / handed on or acknowledged)`);
    kind ??= 'handing_on';
  }
  if (someoneElse && !deed && !information) {
    against += 1.5;
    markers.push('someone-else');
    reasons.push(`"${someoneElse}" (pihak lain tanpa nama / someone else, unnamed)`);
    kind ??= 'handing_on';
  }
  if (handingPurpose) {
    against += 3;
    markers.push('handing-purpose');
    reasons.push(`"${handingPurpose}" (untuk ditangani pihak lain / for someone else to handle)`);
    kind ??= 'handing_on';
  }
  if (vagueActivity) {
    against += 1.5;
    markers.push('vague-activity');
    reasons.push(`"${vagueActivity}" (kegiatan tanpa hasil / an activity, no result)`);
    kind ??= 'vague';
  }
  if (vague) {
    against += deed || information ? 0.5 : 2.5;
    markers.push('vague');
    reasons.push(`"${vague}" (tanpa rincian / names no deed)`);
    kind ??= 'vague';
  }
  const courtesy = COURTESY.some((p) => p.test(c));
  if (courtesy && substance < 3) {
    against += 1;
    markers.push('courtesy');
    reasons.push('(salam atau terima kasih / courtesy)');
  }
  if (words < 2 && substance < 2.5) against += 2;

  const score = sigmoid(substance - against - 1.25);
  if (score >= ANSWER_THRESHOLD) kind = 'substance';
  else kind ??= courtesy ? 'courtesy' : 'vague';
  if (reasons.length === 0) reasons.push('(tidak menyebut tindakan atau informasi / names no deed or information)');
  const scored: ScoredClause = { text: original, kind, reasons, score: Math.round(score * 1000) / 1000 };
  const informationIsFinding = information !== undefined && FINDING.test(information);
  FLAGS.set(scored, {
    moved: reportMoved !== undefined,
    stepLike:
      ((deed !== undefined && !SETTLING.test(deed)) || informationIsFinding || (confirms !== undefined && !deed)) &&
      !(information && !informationIsFinding) &&
      !(refusal && ground) &&
      toCitizen === undefined,
    jurisdiction: JURISDICTION.test(c) && deed === undefined,
    promisesOutcome:
      (promised !== undefined ||
        ongoing !== undefined ||
        (waiting !== undefined && !waitingIsRefusal) ||
        (condition !== undefined && !RECURRENCE.test(c)) ||
        (request !== undefined && condition === undefined)) &&
      !AFTERCARE.test(c),
    context: markers.includes('explanation') || markers.includes('confirms'),
    markers,
  });
  return scored;
}

const ADVICE: Record<Exclude<ClauseKind, 'substance'>, string> = {
  promise:
    'Janji ("akan", "segera", "sedang") dikirim sebagai tindak lanjut; jawaban akhir menyebut apa yang sudah dilakukan, kapan dan di mana / ' +
    'Promises ("akan", "segera", "sedang") belong in a follow-up; a final answer says what was done, when and where',
  handing_on:
    'Laporan yang diteruskan atau diterima belum terjawab: sebutkan hasil penanganannya oleh unit yang menangani / ' +
    'A report passed on or received is not answered: state the outcome reached by whoever handled it',
  request:
    'Meminta data tambahan kepada pelapor adalah tindak lanjut, bukan jawaban akhir: kirim sebagai tindak lanjut, lalu jawab setelah ada hasil / ' +
    'Asking the citizen for more data is a follow-up, not a final answer: post it as a follow-up and answer once there is an outcome',
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
  const clauses = readClauses(text ?? '');
  const rules = rulesScore(clauses);
  const model = modelLogit(text ?? '', clauses);
  const score = clauses.length === 0 ? 0 : Math.round(sigmoid(combine(toLogit(rules), model)) * 1000) / 1000;
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
    const order: Exclude<ClauseKind, 'substance'>[] = ['promise', 'handing_on', 'waiting', 'request', 'vague', 'courtesy'];
    const shown = order.filter((k) => kinds.includes(k));
    advice = [...(shown.length > 0 ? shown : (['vague'] as const)).map((k) => ADVICE[k]), EXAMPLE].join(' ');
  }
  return { score, verdict, clauses, advice };
}

/**
 * Clauses scored alone, then read together:
 * - a step (a deed or a finding) followed by a clause that still promises or waits for the outcome
 *   is a first step, not the outcome ("telah memasang garis polisi … pelaku masih dalam
 *   pengejaran"); watching over a done deed afterwards ("kami akan terus memantau") is not that;
 * - when the report is passed on, whose job it is ("termasuk jalan provinsi") is its reason, not
 *   information for the citizen.
 */
function readClauses(text: string): ScoredClause[] {
  const clauses = mergeGrounds(splitClauses(text));
  const flags = clauses.map((c) => FLAGS.get(c));
  const moved = flags.some((f) => f?.moved);
  // "…, sehingga jalan bisa dilalui lagi": the text says what the deed achieved.
  const achieved = clauses.some((c, k) => /^sehingga\b/i.test(c.text) && !flags[k]?.promisesOutcome);
  // "Klaim Bapak tidak bisa diproses, silakan hubungi kantor cabang": a refusal with no ground, and
  // the citizen sent elsewhere, is a handing on.
  const unserved = clauses.find((c) => c.score < ANSWER_THRESHOLD && NOT_SERVED.test(normalize(c.text)) && !RULE.test(normalize(c.text)));
  const k = (c: ScoredClause) => c !== unserved;
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i]!;
    const f = flags[i];
    if (c.score < ANSWER_THRESHOLD || f === undefined) continue;
    const later = clauses.slice(i + 1).find((d, k) => d.score < ANSWER_THRESHOLD && flags[i + 1 + k]?.promisesOutcome);
    // An explanation or a confirmation beside a promised outcome is its context, wherever it stands.
    const elsewhere = f.context ? clauses.find((d, k) => k !== i && d.score < ANSWER_THRESHOLD && flags[k]?.promisesOutcome) : undefined;
    // A concrete deed done ("sudah dipotong dan diangkut") beside a further measure promised
    // ("pengecatan marka akan kami jadwalkan", "pompa permanen akan kami usulkan") settles the
    // matter: the promise is more, not the outcome itself.
    const further =
      later !== undefined &&
      f.markers.includes('deed-done') &&
      !f.markers.includes('step') &&
      !FOUND.test(normalize(c.text)) &&
      FURTHER.test(normalize(later.text)) &&
      !OUTCOME_ITSELF.test(normalize(later.text));
    if (f.stepLike && later !== undefined && !achieved && !further) {
      demote(c, 3, `(langkah awal; hasilnya masih dijanjikan: "${later.text}" / a first step; the outcome is still promised)`);
    } else if (elsewhere !== undefined && !achieved) {
      demote(c, 3, `(penjelasan; hasilnya masih dijanjikan: "${elsewhere.text}" / context; the outcome is still promised)`);
    } else if (moved && f.jurisdiction) {
      demote(c, 3, '(alasan meneruskan laporan, bukan jawaban / the reason for passing the report on, not an answer)');
    } else if (unserved !== undefined && k(c) && REDIRECT.test(normalize(c.text)) && !f.markers.some((m) => m.startsWith('deed'))) {
      demote(c, 3, `(menolak tanpa alasan lalu mengarahkan ke pihak lain: "${unserved.text}" / a refusal without a ground, handed on)`);
    }
  }
  return clauses;
}

/** A later promise that is a further measure, not the outcome: proposed, scheduled, continued, added. */
const FURTHER =
  /\b(usul\w*|diusulkan|ajukan|diajukan|jadwalkan|dijadwalkan|lanjut\w*|tambah\w*|menambah|adakan|diadakan|anggarkan|programkan|sosialisasi\w*|pengawasan|ruas lain|lokasi lain|berikutnya|selanjutnya)\b/;
/** …unless what is promised is the matter's own outcome: "perbaikannya dijadwalkan", "penertiban dijadwalkan setelah …". */
const OUTCOME_ITSELF =
  /^(perbaikan|penanganan|penertiban|penyelesaian|pengerjaan|penggantian|pembongkaran|penindakan)(nya)? (akan |segera |baru )?(dijadwalkan|direncanakan|dilakukan|dilaksanakan|dikerjakan|setelah|menunggu|masih)\b/;
/** A finding is a first step, even as a done verb: "titik kebocoran sudah kami temukan". */
const FOUND = /\b(temukan|ditemukan|menemukan|terdeteksi|terungkap)\b/;

/** Not served, no ground: "tidak bisa diproses", "tidak dapat kami layani/tangani/bantu". */
const NOT_SERVED =
  /\b(tidak|tak|belum) (dapat|bisa) (kami )?(di|ter)?(proses|layani|tangani|bantu|tindaklanjuti|terima)\b|\b(tidak|tak|belum) (dapat|bisa) (kami )?(memproses|melayani|menangani|membantu|menindaklanjuti)\b/;

/** Sending the citizen elsewhere: "silakan hubungi kantor cabang", "mohon langsung ke kelurahan". */
const REDIRECT =
  /\b(hubungi|menghubungi|datang(lah)? (langsung )?ke|langsung ke|sampaikan (ke|kepada)|ajukan ke|ke kantor|ke instansi|ke dinas)\b/;

function demote(c: ScoredClause, by: number, reason: string): void {
  c.score = Math.round(sigmoid(toLogit(c.score) - by) * 1000) / 1000;
  if (c.score < ANSWER_THRESHOLD) c.kind = 'vague';
  c.reasons.push(reason);
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
  return toLogit(rulesScore(readClauses(text ?? '')));
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
 * Features for the learned model (scripts/train-answers.ts), over the text as the rules read it
 * (lower case, SMS spellings standardised, numbers folded into one token "0"):
 * - word unigrams and bigrams (`w:`, `b:`);
 * - each word's affix shape (`a:di-kan`, `a:me-i`, `a:ter-`, `a:pe-an`, `a:-nya`…), so that
 *   "ditambal" and "dikeruk" share `a:di-` and unseen verbs still count;
 * - character 4-grams within words, with their edges (`c:<dit`, `c:mbal`, `c:al>`), so that unseen
 *   spellings and inflections share something with seen ones;
 * - three features of the clause structure as the rules read it (`k:`, see structureFeatures).
 */
export function answerFeatures(text: string, clauses?: ScoredClause[]): string[] {
  const words = normalize(text ?? '')
    .replace(/\d+([.,:/-]\d+)*/g, ' 0 ')
    .split(/[^\p{L}0-9'-]+/u)
    .filter((w) => w.length > 0);
  const out = new Set<string>(structureFeatures(clauses ?? readClauses(text ?? '')));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.add(`w:${w}`);
    if (i > 0) out.add(`b:${words[i - 1]} ${w}`);
    const prefix = /^(di|ter|ber|per|ke|meng|meny|mem|men|me|peng|peny|pem|pen|pe)(?=\p{L}{3,})/u.exec(w)?.[1];
    const suffix = /(?<=\p{L}{3,})(kan|nya|an|i)$/u.exec(w)?.[1];
    if (prefix || suffix) out.add(`a:${prefix ?? ''}-${suffix ?? ''}`);
    const padded = `<${w}>`;
    for (let k = 0; k + 4 <= padded.length; k++) out.add(`c:${padded.slice(k, k + 4)}`);
  }
  return [...out];
}

/**
 * The clause structure as the rules read it, for the learned model: a clause of substance followed
 * by one that promises or waits, a first step whose outcome is still promised, a report passed on.
 * Not the rules' verdict itself (which kinds occur, how many clauses of substance): with those the
 * model only copies the rules, and a second opinion must be a different one (on new text the
 * model alone is about as good as the rules alone, and their errors differ: docs/answers.md).
 */
function structureFeatures(clauses: ScoredClause[]): string[] {
  const out = new Set<string>();
  if (clauses.some((c) => c.reasons.some((r) => r.startsWith('(langkah awal') || r.startsWith('(penjelasan;')))) {
    out.add('k:step-then-promise');
  }
  if (clauses.some((c) => FLAGS.get(c)?.moved)) out.add('k:moved');
  const firstSubstance = clauses.findIndex((c) => c.kind === 'substance');
  if (firstSubstance >= 0 && clauses.slice(firstSubstance + 1).some((c) => c.kind === 'promise' || c.kind === 'waiting')) {
    out.add('k:substance-then-promise');
  }
  return [...out];
}

/** How the learned part was fitted, so that cross-validation refits it the same way. */
export interface FitSettings {
  l2: number;
  steps: number;
  rate: number;
  minCount: number;
}

interface LearnedModel {
  bias: number;
  weights: Record<string, number>;
  /** How much of the model's logit is added to the rules' (clipped) logit. */
  blend: number;
  /** The rules' logit is clipped to ±clip before the model's is added: the rules may be sure, never certain. */
  clip?: number;
  /** The combined logit at which a text becomes an answer (score 0.5). */
  threshold?: number;
  fit?: FitSettings;
}

const MODEL = learned as LearnedModel;

/** The learned part's settings: its blend, the rules' clip, the threshold, and how it was fitted. */
export function answerSettings(): { blend: number; clip: number; threshold: number; fit: FitSettings } {
  return {
    blend: MODEL.blend,
    clip: MODEL.clip ?? 7,
    threshold: MODEL.threshold ?? 0,
    fit: MODEL.fit ?? { l2: 0.02, steps: 400, rate: 0.5, minCount: 2 },
  };
}

/** The combined logit of the rules' logit and the model's, with the settings of model.json, minus the threshold. */
export function combine(rules: number, model: number, settings = answerSettings()): number {
  return Math.max(-settings.clip, Math.min(settings.clip, rules)) + settings.blend * model - settings.threshold;
}

/** The learned model's logit for the whole text (positive: an answer). */
export function modelLogit(text: string, clauses?: ScoredClause[]): number {
  let z = MODEL.bias;
  for (const f of answerFeatures(text, clauses)) z += MODEL.weights[f] ?? 0;
  return z;
}
