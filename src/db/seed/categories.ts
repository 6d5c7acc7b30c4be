import type { Db } from '../db.ts';
import { SEED_LOCK_KEY } from './regions.ts';

export interface CategorySeed {
  /** `topic` or `topic.subtopic`. */
  code: string;
  nameId: string;
  nameEn: string;
  children?: CategorySeed[];
}

function topic(code: string, nameId: string, nameEn: string, children: [string, string, string][] = []): CategorySeed {
  return {
    code,
    nameId,
    nameEn,
    children: children.map(([slug, childId, childEn]) => ({ code: `${code}.${slug}`, nameId: childId, nameEn: childEn })),
  };
}

/** The national tree of the topics LAPOR! receives most; bodies may add their own below it. */
const CATEGORY_TREE: CategorySeed[] = [
  topic('infrastruktur', 'Infrastruktur', 'Infrastructure', [
    ['jalan', 'Jalan Rusak', 'Damaged roads'],
    ['drainase', 'Drainase dan Saluran Air', 'Drainage and waterways'],
    ['jembatan', 'Jembatan', 'Bridges'],
    ['pju', 'Penerangan Jalan Umum', 'Street lighting'],
    ['fasilitas-umum', 'Fasilitas Umum dan Taman', 'Public facilities and parks'],
  ]),
  topic('adminduk', 'Administrasi Kependudukan', 'Civil registration', [
    ['ktp-el', 'KTP Elektronik (KTP-el)', 'Electronic identity card (KTP-el)'],
    ['kartu-keluarga', 'Kartu Keluarga', 'Family card'],
    ['akta-kelahiran', 'Akta Kelahiran', 'Birth certificate'],
    ['akta-kematian', 'Akta Kematian', 'Death certificate'],
    ['pindah-datang', 'Surat Pindah dan Kedatangan', 'Change of residence'],
  ]),
  topic('bansos', 'Bantuan Sosial', 'Social assistance', [
    ['pkh', 'Program Keluarga Harapan (PKH)', 'Family Hope Programme (PKH)'],
    ['bpnt', 'Bantuan Pangan Non Tunai (BPNT)/Sembako', 'Non-cash food assistance (BPNT/Sembako)'],
    ['blt', 'Bantuan Langsung Tunai (BLT)', 'Direct cash transfers (BLT)'],
    ['pbi-jk', 'Penerima Bantuan Iuran Jaminan Kesehatan (PBI JK)', 'Subsidised health insurance (PBI JK)'],
    ['pendataan', 'Pendataan Penerima Bantuan', 'Beneficiary registration'],
  ]),
  topic('kesehatan', 'Kesehatan', 'Health', [
    ['bpjs-kesehatan', 'BPJS Kesehatan/JKN', 'National health insurance (BPJS Kesehatan/JKN)'],
    ['puskesmas', 'Puskesmas', 'Community health centres (Puskesmas)'],
    ['rumah-sakit', 'Rumah Sakit', 'Hospitals'],
    ['obat-makanan', 'Obat dan Makanan', 'Drugs and food safety'],
  ]),
  topic('pendidikan', 'Pendidikan', 'Education', [
    ['spmb', 'Penerimaan Murid Baru (PPDB/SPMB)', 'School admissions (PPDB/SPMB)'],
    ['kip', 'Kartu Indonesia Pintar (KIP)', 'Indonesia Smart Card scholarships (KIP)'],
    ['pungutan-sekolah', 'Pungutan Sekolah', 'School levies'],
    ['sarana-sekolah', 'Sarana dan Prasarana Sekolah', 'School buildings and facilities'],
  ]),
  topic('pinjol', 'Pinjaman Online Ilegal', 'Illegal online lending', [
    ['penagihan', 'Penagihan Tidak Beretika', 'Abusive debt collection'],
    ['data-pribadi', 'Penyebaran Data Pribadi', 'Disclosure of personal data'],
  ]),
  topic('lingkungan', 'Lingkungan Hidup', 'Environment', [
    ['sampah', 'Sampah', 'Waste'],
    ['banjir', 'Banjir', 'Flooding'],
    ['pencemaran', 'Pencemaran', 'Pollution'],
  ]),
  topic('ketertiban', 'Ketertiban Umum', 'Public order', [
    ['pkl', 'Pedagang Kaki Lima', 'Street vendors'],
    ['parkir-liar', 'Parkir Liar', 'Illegal parking'],
    ['gangguan', 'Gangguan Keamanan dan Ketertiban', 'Disturbances of public order'],
  ]),
  topic('transportasi', 'Transportasi', 'Transport', [
    ['angkutan-umum', 'Angkutan Umum', 'Public transport'],
    ['lalu-lintas', 'Lalu Lintas', 'Traffic'],
  ]),
  topic('utilitas', 'Listrik dan Air Bersih', 'Electricity and clean water', [
    ['listrik', 'Listrik', 'Electricity'],
    ['air-bersih', 'Air Bersih (PDAM)', 'Piped water (PDAM)'],
  ]),
  topic('pertanahan', 'Pertanahan', 'Land', [
    ['sertifikat', 'Sertifikat Tanah', 'Land titles'],
    ['sengketa', 'Sengketa Tanah', 'Land disputes'],
  ]),
  topic('ketenagakerjaan', 'Ketenagakerjaan', 'Employment', [
    ['upah', 'Upah dan THR', 'Wages and holiday allowance (THR)'],
    ['phk', 'Pemutusan Hubungan Kerja', 'Dismissal'],
    ['bpjs-ketenagakerjaan', 'BPJS Ketenagakerjaan', 'Workers\u2019 social security (BPJS Ketenagakerjaan)'],
  ]),
  topic('perizinan', 'Pelayanan Perizinan', 'Licensing services', [
    ['berusaha', 'Perizinan Berusaha (OSS)', 'Business licensing (OSS)'],
    ['pbg', 'Persetujuan Bangunan Gedung (PBG)', 'Building approval (PBG)'],
  ]),
  topic('pungli-korupsi', 'Pungutan Liar dan Korupsi', 'Illegal levies and corruption', [
    ['pungli', 'Pungutan Liar', 'Illegal levies'],
    ['korupsi', 'Korupsi dan Penyalahgunaan Wewenang', 'Corruption and abuse of power'],
  ]),
  topic('lainnya', 'Lainnya', 'Other'),
];

/** Loads the national category tree; existing codes are left as they are. */
export async function seedCategories(db: Db): Promise<{ total: number; inserted: number }> {
  const parents = CATEGORY_TREE;
  const children = CATEGORY_TREE.flatMap((parent) => (parent.children ?? []).map((child) => ({ ...child, parentCode: parent.code })));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const top = await tx.query(
      `INSERT INTO categories (code, name_id, name_en)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [parents.map((c) => c.code), parents.map((c) => c.nameId), parents.map((c) => c.nameEn)],
    );
    // A separate statement, because the parent join only sees rows written by earlier statements.
    const sub = await tx.query(
      `INSERT INTO categories (code, parent_id, name_id, name_en)
       SELECT s.code, p.id, s.name_id, s.name_en
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (code, parent_code, name_id, name_en)
       JOIN categories p ON p.code = s.parent_code
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [children.map((c) => c.code), children.map((c) => c.parentCode), children.map((c) => c.nameId), children.map((c) => c.nameEn)],
    );
    return { total: parents.length + children.length, inserted: top.length + sub.length };
  });
}
