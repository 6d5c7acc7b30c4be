import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/**
 * The portal's words, in Bahasa Indonesia first and English, as two typed catalogs: a key missing
 * from either language is a type error. `{name}` placeholders are filled by `t`.
 */
export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const id = {
  'site.name': 'LAPOR!',
  'site.tagline': 'Layanan Aspirasi dan Pengaduan Online Rakyat',
  'nav.skip': 'Langsung ke isi',
  'nav.home': 'Beranda',
  'nav.reports': 'Laporan publik',
  'nav.about': 'Tentang',
  'nav.file': 'Buat laporan',
  'nav.main': 'Menu utama',
  'lang.switch': 'English',
  'lang.switchLabel': 'Read this page in English',
  'home.title': 'Sampaikan laporan Anda',
  'home.lead':
    'Pengaduan, aspirasi, atau permintaan informasi tentang pelayanan publik: setiap laporan diteruskan ke instansi yang berwenang dan wajib ditindaklanjuti dalam batas waktu.',
  'home.cta': 'Buat laporan',
  'home.search': 'Cari laporan',
  'home.searchLabel': 'Nomor pelacakan atau kata kunci',
  'home.searchHint': 'Contoh: 7KMX3PRA, atau "jalan rusak Pontianak"',
  'home.searchButton': 'Cari',
  'home.counters': 'Laporan publik',
  'home.received': 'Diterima',
  'home.inProgress': 'Sedang ditangani',
  'home.finished': 'Selesai',
  'home.latest': 'Laporan terbaru',
  'home.allReports': 'Lihat semua laporan',
  'home.how': 'Bagaimana laporan berjalan',
  'home.howText':
    'Laporan diverifikasi paling lama 3 hari kerja, lalu diteruskan ke instansi yang wajib menindaklanjutinya paling lama 5 hari kerja. Anda diberi tahu setiap langkahnya.',
  'home.howLink': 'Selengkapnya',
  'feed.title': 'Laporan publik',
  'feed.filters': 'Saring laporan',
  'feed.q': 'Kata kunci',
  'feed.classification': 'Klasifikasi',
  'feed.status': 'Status',
  'feed.province': 'Provinsi',
  'feed.category': 'Kategori',
  'feed.any': 'Semua',
  'feed.apply': 'Terapkan',
  'feed.reset': 'Hapus saringan',
  'feed.total': '{n} laporan',
  'feed.none': 'Tidak ada laporan yang cocok.',
  'feed.page': 'Halaman {page} dari {pages}',
  'feed.prev': 'Sebelumnya',
  'feed.next': 'Berikutnya',
  'feed.pagination': 'Halaman',
  'status.open': 'Belum selesai',
  'report.tracking': 'Nomor pelacakan',
  'report.status': 'Status',
  'report.holder': 'Ditangani oleh',
  'report.holderNone': 'Admin nasional LAPOR! (verifikasi)',
  'report.filed': 'Dikirim',
  'report.incident': 'Tanggal kejadian',
  'report.location': 'Lokasi',
  'report.category': 'Kategori',
  'report.classification': 'Klasifikasi',
  'report.anonymous': 'Pelapor anonim',
  'report.reporter': 'Pelapor',
  'report.deadlines': 'Batas waktu',
  'report.due': 'jatuh tempo {due}',
  'report.left': 'sisa {n} hari kerja',
  'report.leftCalendar': 'sisa {n} hari',
  'report.overdue': 'terlambat',
  'report.paused': 'dijeda',
  'report.timeline': 'Riwayat',
  'report.attachments': 'Lampiran',
  'report.rating': 'Penilaian pelapor: {n} dari 5',
  'report.escalated': 'Dieskalasi ke {office}',
  'report.notFound': 'Laporan tidak ditemukan',
  'report.notFoundText': 'Periksa kembali nomor pelacakannya. Laporan yang belum diverifikasi atau bersifat rahasia tidak tampil di sini.',
  'about.title': 'Tentang LAPOR!',
  'notFound.title': 'Halaman tidak ditemukan',
  'notFound.text': 'Alamat yang Anda buka tidak ada.',
  'footer.text': 'SP4N-LAPOR!: Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional.',
  'footer.api': 'API untuk pengembang',
} as const;

type Key = keyof typeof id;

const en: Record<Key, string> = {
  'site.name': 'LAPOR!',
  'site.tagline': 'The people’s online aspiration and complaint service',
  'nav.skip': 'Skip to content',
  'nav.home': 'Home',
  'nav.reports': 'Public reports',
  'nav.about': 'About',
  'nav.file': 'File a report',
  'nav.main': 'Main menu',
  'lang.switch': 'Bahasa Indonesia',
  'lang.switchLabel': 'Baca halaman ini dalam Bahasa Indonesia',
  'home.title': 'Tell us what went wrong',
  'home.lead':
    'A complaint, an aspiration or a request for information about a public service: every report goes to the responsible body, which must act on it within the legal time limits.',
  'home.cta': 'File a report',
  'home.search': 'Find a report',
  'home.searchLabel': 'Tracking ID or keywords',
  'home.searchHint': 'For example: 7KMX3PRA, or "damaged road Pontianak"',
  'home.searchButton': 'Search',
  'home.counters': 'Public reports',
  'home.received': 'Received',
  'home.inProgress': 'In progress',
  'home.finished': 'Finished',
  'home.latest': 'Latest reports',
  'home.allReports': 'See all reports',
  'home.how': 'How a report travels',
  'home.howText':
    'A report is verified within 3 working days, then sent to the body that must follow it up within 5 working days. You are told of every step.',
  'home.howLink': 'Read more',
  'feed.title': 'Public reports',
  'feed.filters': 'Filter reports',
  'feed.q': 'Keywords',
  'feed.classification': 'Classification',
  'feed.status': 'Status',
  'feed.province': 'Province',
  'feed.category': 'Category',
  'feed.any': 'All',
  'feed.apply': 'Apply',
  'feed.reset': 'Clear filters',
  'feed.total': '{n} reports',
  'feed.none': 'No report matches.',
  'feed.page': 'Page {page} of {pages}',
  'feed.prev': 'Previous',
  'feed.next': 'Next',
  'feed.pagination': 'Pages',
  'status.open': 'Not finished',
  'report.tracking': 'Tracking ID',
  'report.status': 'Status',
  'report.holder': 'Handled by',
  'report.holderNone': 'The LAPOR! national desk (verification)',
  'report.filed': 'Filed',
  'report.incident': 'Date of the incident',
  'report.location': 'Location',
  'report.category': 'Category',
  'report.classification': 'Classification',
  'report.anonymous': 'Anonymous reporter',
  'report.reporter': 'Reporter',
  'report.deadlines': 'Deadlines',
  'report.due': 'due {due}',
  'report.left': '{n} working days left',
  'report.leftCalendar': '{n} days left',
  'report.overdue': 'overdue',
  'report.paused': 'paused',
  'report.timeline': 'History',
  'report.attachments': 'Attachments',
  'report.rating': 'Reporter’s rating: {n} of 5',
  'report.escalated': 'Escalated to {office}',
  'report.notFound': 'Report not found',
  'report.notFoundText': 'Check the tracking ID. Reports not yet verified, or secret ones, are not shown here.',
  'about.title': 'About LAPOR!',
  'notFound.title': 'Page not found',
  'notFound.text': 'The address you opened does not exist.',
  'footer.text': 'SP4N-LAPOR!: the national public service complaint management system.',
  'footer.api': 'API for developers',
};

const CATALOGS: Record<Lang, Record<Key, string>> = { id, en };

export type MessageKey = Key;

export function t(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  return CATALOGS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Either language's half of a bilingual label pair, as the domain keeps them ({ id, en }). */
export const pick = (lang: Lang, label: { id: string; en: string }): string => label[lang];

const LANG_COOKIE = 'lapor_lang';

/**
 * The page's language: `?lang=` (which is remembered in a cookie), else the cookie, else
 * Bahasa Indonesia. Never guessed from the browser: a citizen's phone set to English still reads
 * Indonesian first, with English one click away.
 */
export function langOf(c: Context): Lang {
  const asked = c.req.query('lang');
  if (asked === 'id' || asked === 'en') {
    setCookie(c, LANG_COOKIE, asked, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600, httpOnly: true });
    return asked;
  }
  const kept = getCookie(c, LANG_COOKIE);
  return kept === 'en' ? 'en' : 'id';
}

/**
 * A phrase used on one page only, given in both languages at the place it is shown (both are
 * required, so neither can be forgotten); shared words live in the catalogs above.
 */
export const bi = (lang: Lang, idText: string, enText: string): string => (lang === 'id' ? idText : enText);
