import type { Lang } from './i18n.ts';

type Pair = { id: string; en: string };

export const CLASSIFICATION_WORDS: Record<string, Pair & { help: Pair }> = {
  pengaduan: {
    id: 'Pengaduan',
    en: 'Complaint',
    help: { id: 'Pelayanan publik yang buruk atau tidak diberikan.', en: 'A public service done badly, or not at all.' },
  },
  aspirasi: {
    id: 'Aspirasi',
    en: 'Aspiration',
    help: { id: 'Usul atau saran untuk perbaikan pelayanan.', en: 'A proposal or suggestion to improve a service.' },
  },
  permintaan_informasi: {
    id: 'Permintaan informasi',
    en: 'Request for information',
    help: { id: 'Pertanyaan tentang layanan, syarat atau prosedur.', en: 'A question about a service, its requirements or procedure.' },
  },
};

/** What each timeline event means, as a citizen reads it. Unknown types read as an update. */
const EVENT_WORDS: Record<string, Pair> = {
  submitted: { id: 'Laporan diterima', en: 'Report received' },
  verified: { id: 'Laporan diverifikasi', en: 'Report verified' },
  edited: { id: 'Laporan dikoreksi petugas', en: 'Report corrected by staff' },
  put_on_hold: { id: 'Ditunda: pelapor diminta melengkapi', en: 'On hold: the reporter was asked for more' },
  completed: { id: 'Dilengkapi pelapor', en: 'Completed by the reporter' },
  routed: { id: 'Diteruskan ke instansi', en: 'Sent to a body' },
  forwarded: { id: 'Dialihkan ke instansi lain', en: 'Moved to another body' },
  returned_to_national: { id: 'Dikembalikan ke admin nasional', en: 'Returned to the national desk' },
  dispositioned: { id: 'Didisposisikan ke unit', en: 'Passed to a unit' },
  internal_note: { id: 'Catatan internal', en: 'Internal note' },
  followed_up: { id: 'Ditindaklanjuti', en: 'Followed up' },
  answered: { id: 'Dijawab', en: 'Answered' },
  answer_refused: { id: 'Jawaban ditolak pemeriksa jawaban', en: 'Answer refused by the answer check' },
  reporter_replied: { id: 'Tanggapan pelapor', en: 'The reporter replied' },
  reopened: { id: 'Dibuka kembali oleh pelapor', en: 'Reopened by the reporter' },
  accepted: { id: 'Jawaban diterima pelapor', en: 'Answer accepted by the reporter' },
  rated: { id: 'Dinilai pelapor', en: 'Rated by the reporter' },
  closed_by_reporter: { id: 'Ditutup oleh pelapor', en: 'Closed by the reporter' },
  auto_closed: { id: 'Ditutup otomatis', en: 'Closed automatically' },
  archived: { id: 'Diarsipkan', en: 'Archived' },
  archive_requested: { id: 'Instansi meminta arsip', en: 'A body asked to archive it' },
  archive_rejected: { id: 'Permintaan arsip ditolak', en: 'Archive request rejected' },
  appealed: { id: 'Banding diajukan', en: 'Appealed' },
  appeal_granted: { id: 'Banding diterima', en: 'Appeal granted' },
  appeal_rejected: { id: 'Banding ditolak', en: 'Appeal rejected' },
  deadline_reminder: { id: 'Pengingat batas waktu', en: 'Deadline reminder' },
  deadline_missed: { id: 'Batas waktu terlewati', en: 'Deadline missed' },
  deadline_moved: { id: 'Batas waktu berubah (hari libur)', en: 'Deadline moved (days off)' },
  clock_recomputed: { id: 'Batas waktu dihitung ulang', en: 'Deadline recomputed' },
  escalated_to_ombudsman: { id: 'Dieskalasi ke Ombudsman', en: 'Escalated to the Ombudsman' },
  ombudsman_taken_over: { id: 'Ditangani Ombudsman', en: 'Taken over by the Ombudsman' },
  ombudsman_findings_recorded: { id: 'Temuan Ombudsman', en: 'Ombudsman findings' },
  ombudsman_recommendation_issued: { id: 'Rekomendasi Ombudsman', en: 'Ombudsman recommendation' },
  ombudsman_closed: { id: 'Penanganan Ombudsman selesai', en: 'Ombudsman case closed' },
  privacy_flags_set: { id: 'Ditandai anonim/rahasia', en: 'Marked anonymous/secret' },
  duplicate_linked: { id: 'Ditautkan ke laporan asli', en: 'Linked to the original report' },
};

export function eventWords(lang: Lang, type: string): string {
  return EVENT_WORDS[type]?.[lang] ?? (lang === 'id' ? 'Pembaruan' : 'Update');
}

const ROLE_WORDS: Record<string, Pair> = {
  reporter: { id: 'Pelapor', en: 'Reporter' },
  national_admin: { id: 'Admin nasional', en: 'National admin' },
  agency_admin: { id: 'Admin instansi', en: 'Body admin' },
  unit_officer: { id: 'Petugas unit', en: 'Unit officer' },
  ombudsman: { id: 'Ombudsman', en: 'Ombudsman' },
  monitor: { id: 'Pemantau', en: 'Monitor' },
  integrator: { id: 'Integrator sistem', en: 'System integrator' },
  system: { id: 'Sistem', en: 'System' },
};

export const roleWords = (lang: Lang, role: string): string => ROLE_WORDS[role]?.[lang] ?? role;

const MONTHS: Record<Lang, string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "24 November 2026" from an ISO date or instant (an instant is read in WIB, the portal's zone). */
export function dateWords(lang: Lang, iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : new Date(Date.parse(iso) + 7 * 3600_000).toISOString());
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTHS[lang][d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "24 November 2026, 10.00 WIB" from an ISO instant with its offset (as clocks give them). */
export function dueWords(lang: Lang, iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!match) return iso;
  const offset = /([+-]\d{2}):?(\d{2})$/.exec(iso);
  const zone = offset ? ({ '+07': 'WIB', '+08': 'WITA', '+09': 'WIT' } as Record<string, string>)[offset[1]!] : undefined;
  const [, y, m, d, hh, mm] = match;
  const sep = lang === 'id' ? '.' : ':';
  return `${Number(d)} ${MONTHS[lang][Number(m) - 1]} ${y}, ${hh}${sep}${mm}${zone ? ` ${zone}` : ''}`;
}
