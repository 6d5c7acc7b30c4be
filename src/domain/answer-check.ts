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

/** A time given by a handing on is not one: "paling lambat tiga bulan sejak SPPT diterima". */
const TIME_REFERENCE =
  /\b(sejak|setelah|sesudah|sebelum|begitu|sampai|hingga|ketika|saat) (\S+ ){0,3}?(di)?(terima|sampaikan|catat|proses)\w*/g;

/** The report handled as a file, not the matter: a ticket number, a label, passing verification. */
const REPORT_ADMIN =
  /\b(laporan|aduan|pengaduan|keluhan)\b.*\b(registrasi|terverifikasi|tercatat di sistem|masuk (ke )?(sistem|antrean|antrian))\b|\b(nomor (tiket|registrasi|pengaduan|aduan)|diberi nomor|lolos verifikasi|diberi label|label prioritas)\b/;

/** Sent on to another body (not to the citizen, not to a court or prosecutor): a handing on. */
const SENT_ON =
  /\b(di|me|mem|men|meng|meny)?(kirim|kirimkan|teruskan|serahkan|sampaikan|alihkan|pindahkan|bawa|laporkan|limpahkan|surati|forward)(kan)?\b(\s+\S+){0,6}?\s+(ke|kepada|pada)\s+(dinas|opd|bidang|unit|instansi|inspektorat|polsek|polres\w*|polda|kementerian|balai|bpjn|bws|camat|lurah|kelurahan|kecamatan|pemprov|pemkot|pemkab|upt|uptd|satpol|satlantas|tim|akun|operator|bpkad|bappeda|bkpsdm|admin|pusat|kantor (pusat|cabang|wilayah)|pt|perusahaan|pengembang|pihak)\b/;

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
  /^(di|ter)(pahami|mengerti|dengar|dengarkan|baca|ketahui|lihat|temui|hubungi|datangi|kunjungi|ingatkan|imbau|imbaukan|sosialisasikan|bahas|dalami|pertimbangkan|usulkan|ajukan|mintai|jadwalkan|rencanakan|agendakan|prioritaskan|foto|potret|dokumentasikan|observasi|amati|lakukan|laksanakan|upayakan|tangani|selesaikan|tindak|tindaklanjuti|koordinasikan|sampaikan|terima|catat|proses|tampung|respon|tanggapi|kaji|telaah|pelajari|cek|tinjau|pantau|monitor|evaluasi|verifikasi|periksa|ukur|uji|input|data|survei|survey|panggil|minta|undang|identifikasi|temukan|deteksi|kondisikan|akomodasi|akomodir|teruskan|disposisikan|informasikan|beritahukan|jelaskan|konfirmasi|klarifikasi|arahkan|tugaskan|perintahkan|instruksikan|bina|berikan|beri|mulai|rapatkan|diskusikan|musyawarahkan|catatkan|laporkan|sarankan|harapkan|janjikan|sepakati|putuskan|bicarakan)(kan|i|nya)?$/;

/** What a later clause promises is the outcome itself, not only watching over it afterwards. */
const AFTERCARE =
  /\b(pantau|memantau|dipantau|pemantauan|awasi|mengawasi|diawasi|pengawasan|patroli|rutin|berkala|terus|evaluasi|tidak terulang|terulang|mencegah|agar tidak|ke depan|kedepannya|jaga|menjaga|dijaga|kabari|mengabari|informasikan)\b/;

/** A handing-on verb under negation is a refusal, not a handing on: "tidak dapat diproses". */
const NEGATED_VERB = /\b(tidak|tak) (dapat |bisa |akan )?(kami )?\S+/g;

/** A relative clause that is not the clause's own state: "honor yang belum diterima sudah dibayarkan". */
const RELATIVE_STATE = /\byang (belum|masih|sedang|tengah|tertunda|ditunda)( (di|ter|me)\S*| \S+)?|\bsambil (menunggu|menanti)\b.*$/g;

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
  `\\b((di|me|mem|men|meng|menge|ter|ber)?(${DEED_STEMS.map((s) => s.replace(/ /g, '\\s+')).join('|')})|(${nasalForms(DEED_STEMS).join('|')}))(kan|i|nya)?\\b`,
);

/** Deeds that the stem list cannot carry without false hits ("membangun" is also "constructive"). */
const DEED_PHRASES =
  /\b((sudah|telah) (mendapat|mendapatkan|memperoleh)|sudah jadi|telah jadi|dibangun|dibangun kembali|terlampir|kami lampirkan|dilampirkan|bebas tugas)\b/;

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
  /\b(adalah|yaitu|yakni|ialah|sebagai berikut|syarat(nya)?|persyaratan|dokumen yang diperlukan|cukup (membawa|melampirkan|datang|mengisi|mengunggah)|dapat (diambil|diurus|diajukan|dilakukan|diakses|dicek|dilihat|diunduh|dibayar|mengajukan|mengambil|menghubungi|datang)|bisa (diambil|diurus|diajukan|dilakukan|dicek|dilihat)|silakan|silahkan|tidak dipungut biaya|tanpa biaya|gratis|tidak dikenakan biaya|dikenakan biaya|biaya(nya)?|tarif(nya)?|disebabkan|diakibatkan|penyebab(nya)?|tercantum|setiap (hari|senin|selasa|rabu|kamis|jumat|sabtu|minggu|bulan|pekan|tahun)|tidak ada (pungutan|biaya|kewajiban)|berlaku (mulai|sampai|hingga|selama)|buka (setiap|pada|mulai|pukul)|jadwal(nya)?|melalui (aplikasi|laman|situs|website|nomor|loket)|hubungi|diatur dalam|ditentukan oleh|termasuk|tidak termasuk|merupakan|bukan merupakan|terdaftar sebagai|tercatat sebagai|statusnya|status (kepesertaan|bantuan|permohonan)|besaran|sebesar (rp\.?\s?\d+|\d+)|(dapat )?(kami )?jelaskan bahwa|bukan (petugas|pegawai|pungutan) resmi|hasil (pemeriksaan|pengecekan|pengukuran|uji|verifikasi|audit|penelusuran|klarifikasi)|dari hasil|berdasarkan (hasil|data|pemeriksaan|pengecekan|catatan)|ternyata|diketahui bahwa|terbukti|tidak terbukti|tidak ditemukan|ditemukan)\b/;

/** A refusal with its ground is an answer: the law, a rule, a finding. */
const REFUSAL =
  /\b(tidak dapat|tidak bisa|tidak dapat kami|tidak kami (lanjutkan|proses|berikan|kabulkan|penuhi|terima)|tidak (diterbitkan|dikabulkan|diproses|dilanjutkan|ditebang|dilakukan)|tidak memenuhi|bukan kewenangan|di luar kewenangan|ditolak|menolak|tidak berhak|tidak termasuk)\b/;
const GROUND =
  /\b(pasal|ayat|undang-undang|uu|pp|perpres|permen\w*|perda|perwali|perbup|pergub|peraturan|keputusan|sk|surat edaran|se|putusan|ketentuan (pasal|dalam)|karena|sebab|sehingga|mengingat|oleh karena|dikarenakan|berdasarkan)\b/;

/** A rule, not merely a reason: what makes "belum dapat disetujui karena …" a refusal, not a wait. */
const RULE =
  /\b(pasal|ayat|undang-undang|uu|pp|perpres|permen\w*|perda|perwa|perwali|perbup|pergub|perka|peraturan|mensyaratkan|disyaratkan|ketentuan|dilarang|melarang|membatasi|hanya (diberikan|dapat|untuk|bagi|memberi\w*))\b/;
const NOT_YET_REFUSAL = /\bbelum (dapat|bisa) (kami )?(di|me|mem|men|meng|meny)?\S+/;

/** A date or amount after "pada", "sejak", "mulai", "sebesar": the mark of a reported fact. */
const COMPLETED_TIME = /\b(pada|sejak|tanggal|tgl|per) (\d|hari|tanggal|pagi|siang|sore|malam|kemarin)/;

// ---------------------------------------------------------------------------------------------
// Clauses

const SPLIT =
  /[.!?;\n]+\s*|,\s+|\s+-\s+|\s+(?=(?:dan|serta|namun|tetapi|akan tetapi|sedangkan|lalu|kemudian|karena|sebab|sehingga|dan juga|adapun|selain itu|untuk itu|oleh karena itu|dengan demikian)\s)/i;

const DATE_COMMA =
  /\b(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|\d{4}|(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember))\s*,\s+(?=(\d{1,2} (januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)|pukul|jam \d)\b)/gi;

/** Splits the text into clauses, keeping the officer's own wording for display. */
export function splitClauses(text: string): string[] {
  return (
    text
      .replace(/\s+/g, ' ')
      .replace(/(\d)[.,](\d)/g, '$1\u2024$2') // keep 1.500.000 and 08.00 whole
      .replace(/\b(no|jl|gg|yth|sdr|rp|dr|drs|ir|h|hj|kab|kec|kel|tgl)\./gi, '$1\u2024')
      // A date is one phrase even when commas cut it: "pada Sabtu, 12 Desember 2026, pukul 08.00".
      .replace(DATE_COMMA, '$1\u201a ')
      .split(SPLIT)
      .map((s) =>
        s
          .replace(/\u2024/g, '.')
          .replace(/\u201a/g, ',')
          .trim(),
      )
      .filter((s) => s.length > 0 && /[\p{L}\p{N}]/u.test(s))
  );
}

const GROUND_START = /^(karena|sebab|dikarenakan|oleh karena|mengingat|sesuai|berdasarkan|sebagaimana)\b/i;
const NEEDS_GROUND = /\b(tidak|bukan|ditolak|menolak|belum (dapat|bisa))\b/i;
/** "sedangkan Pasal 53 … mensyaratkan": the rule that grounds the refusal before it. */
const RULE_START = /^(sedangkan|padahal|sementara|dan|serta)\b/i;

/** A refusal and its ground ("tidak dapat … karena Pasal 17") are one clause, when that reads better. */
function mergeGrounds(raw: string[]): ScoredClause[] {
  // "karena masa kerja baru 18 tahun, sedangkan Pasal 53 … mensyaratkan 20 tahun": one ground.
  const clauses: string[] = [];
  for (const clause of raw) {
    const prev = clauses.at(-1);
    if (prev !== undefined && GROUND_START.test(prev) && RULE_START.test(clause) && RULE.test(clause.toLowerCase())) {
      clauses[clauses.length - 1] = `${prev} ${clause}`;
    } else clauses.push(clause);
  }
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
    // The rule cited after a refusal and its reason ("… karena masa kerja 18 tahun, sedangkan Pasal
    // 53 PP 11/2017 mensyaratkan 20 tahun") belongs to it.
    if (last !== undefined && RULE_START.test(clause) && RULE.test(clause.toLowerCase()) && NEEDS_GROUND.test(last.text)) {
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
}
const FLAGS = new WeakMap<ScoredClause, ClauseFlags>();

/** Deeds that settle the matter whatever follows (an arrest, a payment, a permit issued, a seal). */
const SETTLING =
  /(tangkap|tahan|bayar|cair|terbit|kembalikan|transfer|lunas|segel|cabut|berhentikan|pecat|bebastugaskan|batalkan|hapus|tilang|sita|bubarkan|jatuhkan|kabulkan|setujui|sahkan)/;

/** A finding reported as the first step ("titik kebocoran sudah ditemukan"). */
const FINDING = /\b(ditemukan|menemukan|terdeteksi|terbukti|ternyata|diketahui)\b/;

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
  const reportMoved = firstMatch(REPORT_MOVED, c) ?? firstMatch(REPORT_ADMIN, c) ?? firstMatch(SENT_ON, c);
  const handingText = c
    .replace(NOT_HANDING, ' ')
    .replace(NEGATED_VERB, ' ')
    .replace(TIME_REFERENCE, ' ')
    .replace(/\bhasil \S+/g, ' ');
  const handing = reportMoved ?? (RECEIVED.test(c) ? undefined : firstMatch(HANDING_ON, handingText));
  const moneyArrived = firstMatch(MONEY_ARRIVED, c);
  const handingPurpose = moneyArrived ? undefined : firstMatch(HANDING_PURPOSE, c);
  const someoneElse = firstMatch(SOMEONE_ELSE, c);
  const done = firstMatch(DONE, c);
  const toCitizen = reportMoved ? undefined : (firstMatch(TO_CITIZEN, c) ?? firstMatch(RECEIVED, c) ?? moneyArrived);
  // Past a condition ("dan bila terbukti, …") nothing has happened.
  const condition = firstMatch(CONDITION, c);
  const real = condition ? c.slice(0, c.search(CONDITION)) : c;
  const donePassive = DONE_PASSIVE.exec(real)?.[3];
  const unlistedDeed = donePassive && !NOT_A_DEED.test(donePassive) && !HANDING_ON.test(donePassive) ? donePassive : undefined;
  const deedMatch =
    toCitizen ??
    (reportMoved ? undefined : (firstMatch(DEED, real.replace(NOT_HANDING, ' ')) ?? firstMatch(DEED_PHRASES, real) ?? unlistedDeed));
  const vagueActivity = deedMatch && GENERIC_DEED.test(deedMatch) ? firstMatch(VAGUE_ACTIVITY, c) : undefined;
  const deedNoun = done && !handing ? firstMatch(DEED_NOUN, c) : undefined;
  // "diselesaikan sesuai SOP": a verb of finishing whose object is only the procedure.
  const emptyOutcome = deedMatch && GENERIC_OUTCOME.test(deedMatch) && VAGUE.test(c) && !SPECIFIC.some(([re]) => re.test(c));
  const deed = vagueActivity || emptyOutcome ? undefined : (deedMatch ?? deedNoun);
  // Inspecting, measuring, summoning: a step towards the outcome, not the outcome.
  const preliminary = deed !== undefined && toCitizen === undefined && PRELIMINARY.test(deed.trim());
  const information =
    firstMatch(INFORMATION, real) ??
    (scheduleIsAnswer ? schedule : undefined) ??
    (future || /\bkami\b/.test(c.split(/\b(dapat|bisa|cukup|wajib|harus|perlu)\b/)[0] ?? '') ? undefined : firstMatch(INSTRUCTION, c));
  // "belum dapat disetujui karena Pasal …": a rule, not a wait, stands in the way: a refusal.
  const ruleGround = firstMatch(RULE, c);
  const notYetRefusal =
    ruleGround && /\b(karena|sebab|dikarenakan|sedangkan|mengingat|sesuai)\b/.test(c) ? firstMatch(NOT_YET_REFUSAL, c) : undefined;
  const refusal = firstMatch(REFUSAL, c) ?? notYetRefusal;
  const ground = refusal ? (notYetRefusal && refusal === notYetRefusal ? ruleGround : firstMatch(GROUND, c)) : undefined;
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
  const waitingIsRefusal =
    waiting === 'belum' && refusal && ground && (notYetRefusal !== undefined || /\bbelum (memenuhi|lengkap|terdaftar|termasuk)/.test(c));

  let kind: ClauseKind | undefined;
  if (condition && substance < 3) {
    against += 2;
    reasons.push(`"${condition}" (syarat, belum terjadi / a condition, not yet so)`);
    kind = 'promise';
  }
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
  const scored: ScoredClause = { text: original, kind, reasons, score: Math.round(score * 1000) / 1000 };
  const informationIsFinding = information !== undefined && FINDING.test(information);
  FLAGS.set(scored, {
    moved: reportMoved !== undefined,
    stepLike:
      ((deed !== undefined && !SETTLING.test(deed)) || informationIsFinding) &&
      !(information && !informationIsFinding) &&
      !(refusal && ground) &&
      toCitizen === undefined,
    jurisdiction: JURISDICTION.test(c) && deed === undefined,
    promisesOutcome:
      (future !== undefined || ongoing !== undefined || (waiting !== undefined && !waitingIsRefusal) || condition !== undefined) &&
      !AFTERCARE.test(c),
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
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i]!;
    const f = flags[i];
    if (c.score < ANSWER_THRESHOLD || f === undefined) continue;
    const later = clauses.slice(i + 1).find((d, k) => d.score < ANSWER_THRESHOLD && flags[i + 1 + k]?.promisesOutcome);
    if (f.stepLike && later !== undefined && !achieved) {
      demote(c, 3, `(langkah awal; hasilnya masih dijanjikan: "${later.text}" / a first step; the outcome is still promised)`);
    } else if (moved && f.jurisdiction) {
      demote(c, 3, '(alasan meneruskan laporan, bukan jawaban / the reason for passing the report on, not an answer)');
    }
  }
  return clauses;
}

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
  const out = new Set<string>(structureFeatures(text ?? ''));
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

/**
 * The clause structure as the rules read it, for the learned model: a clause of substance followed
 * by one that promises or waits, a first step whose outcome is still promised, a report passed on.
 * Not the rules' verdict itself (which kinds occur, how many clauses of substance): with those the
 * model only copied the rules (5-fold cross-validation: model alone 0.997 = rules), and a second
 * opinion must be a different one.
 */
function structureFeatures(text: string): string[] {
  const clauses = readClauses(text);
  const out = new Set<string>();
  if (clauses.some((c) => c.reasons.some((r) => r.startsWith('(langkah awal')))) out.add('k:step-then-promise');
  if (clauses.some((c) => FLAGS.get(c)?.moved)) out.add('k:moved');
  const firstSubstance = clauses.findIndex((c) => c.kind === 'substance');
  if (firstSubstance >= 0 && clauses.slice(firstSubstance + 1).some((c) => c.kind === 'promise' || c.kind === 'waiting')) {
    out.add('k:substance-then-promise');
  }
  return [...out];
}

interface LearnedModel {
  bias: number;
  weights: Record<string, number>;
  /** How much of the model's logit is added to the rules' logit. */
  blend: number;
  /** How it was fitted (scripts/train-answers.ts), so that cross-validation refits it the same way. */
  fit?: { l2: number; steps: number; rate: number; minCount: number };
}

const MODEL = learned as LearnedModel;

/** The learned part's settings: its blend and how it was fitted. */
export function answerSettings(): { blend: number; fit: { l2: number; steps: number; rate: number; minCount: number } } {
  return { blend: MODEL.blend, fit: MODEL.fit ?? { l2: 0.02, steps: 400, rate: 0.5, minCount: 2 } };
}

/** The learned model's logit for the whole text (positive: an answer). */
export function modelLogit(text: string): number {
  let z = MODEL.bias;
  for (const f of answerFeatures(text)) z += MODEL.weights[f] ?? 0;
  return z;
}
