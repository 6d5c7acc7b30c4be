import type { Db, Tx } from '../db.ts';
import { SEED_LOCK_KEY } from './regions.ts';

export type BodyKind =
  | 'ministry'
  | 'agency'
  | 'national_oversight'
  | 'ombudsman'
  | 'province'
  | 'regency'
  | 'city'
  | 'state_company'
  | 'university'
  | 'mission'
  | 'unit';

export type TimeZone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';

export interface BodySeed {
  code: string;
  name: string;
  kind: BodyKind;
  /** Code of the parent body; only units and Ombudsman provincial offices have one. */
  parentCode: string | null;
  regionCode: string | null;
  timeZone: TimeZone;
}

// Every province code in use is listed under one zone, so a new province (another split of
// Papua, say) fails loudly here instead of silently getting Jakarta time.
const PROVINCE_TIME_ZONES: Record<TimeZone, readonly string[]> = {
  'Asia/Jakarta': ['11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36', '61', '62'],
  'Asia/Makassar': ['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76'],
  'Asia/Jayapura': ['81', '82', '91', '92', '93', '94', '95', '96'],
};

/** The time zone of a province, from its code or the code of any region inside it (`61`, `61.71.01`). */
export function timeZoneForProvince(code: string): TimeZone {
  const province = code.split('.')[0];
  for (const [zone, provinces] of Object.entries(PROVINCE_TIME_ZONES) as [TimeZone, readonly string[]][]) {
    if (provinces.includes(province)) return zone;
  }
  throw new Error(`No time zone known for province code "${province}"`);
}

const NATIONAL_TZ: TimeZone = 'Asia/Jakarta';

function national(code: string, name: string, kind: BodyKind): BodySeed {
  return { code, name, kind, parentCode: null, regionCode: null, timeZone: NATIONAL_TZ };
}

/** Kabinet Merah Putih (2024–) names, as the ministries publish them. */
const MINISTRIES: [string, string][] = [
  ['kemendagri', 'Kementerian Dalam Negeri'],
  ['kemenlu', 'Kementerian Luar Negeri'],
  ['kemhan', 'Kementerian Pertahanan'],
  ['kemensetneg', 'Kementerian Sekretariat Negara'],
  ['kemenag', 'Kementerian Agama'],
  ['kemenkum', 'Kementerian Hukum'],
  ['kemenham', 'Kementerian Hak Asasi Manusia'],
  ['kemenimipas', 'Kementerian Imigrasi dan Pemasyarakatan'],
  ['kemenkeu', 'Kementerian Keuangan'],
  ['kemendikdasmen', 'Kementerian Pendidikan Dasar dan Menengah'],
  ['kemdiktisaintek', 'Kementerian Pendidikan Tinggi, Sains, dan Teknologi'],
  ['kemenbud', 'Kementerian Kebudayaan'],
  ['kemenkes', 'Kementerian Kesehatan'],
  ['kemensos', 'Kementerian Sosial'],
  ['kemnaker', 'Kementerian Ketenagakerjaan'],
  ['kp2mi', 'Kementerian Pelindungan Pekerja Migran Indonesia'],
  ['kemenperin', 'Kementerian Perindustrian'],
  ['kemendag', 'Kementerian Perdagangan'],
  ['kemenesdm', 'Kementerian Energi dan Sumber Daya Mineral'],
  ['kemenpu', 'Kementerian Pekerjaan Umum'],
  ['kemenpkp', 'Kementerian Perumahan dan Kawasan Permukiman'],
  ['kemendesa', 'Kementerian Desa dan Pembangunan Daerah Tertinggal'],
  ['kementrans', 'Kementerian Transmigrasi'],
  ['kemenhub', 'Kementerian Perhubungan'],
  ['komdigi', 'Kementerian Komunikasi dan Digital'],
  ['kementan', 'Kementerian Pertanian'],
  ['kemenhut', 'Kementerian Kehutanan'],
  ['kkp', 'Kementerian Kelautan dan Perikanan'],
  // A ministry in law although LAPOR! lists it with the agencies; complaints about land titles go here.
  ['kementerian-atr-bpn', 'Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional'],
  ['bappenas', 'Kementerian Perencanaan Pembangunan Nasional/Badan Perencanaan Pembangunan Nasional'],
  ['kemenkop', 'Kementerian Koperasi'],
  ['kemenumkm', 'Kementerian Usaha Mikro, Kecil, dan Menengah'],
  ['kemenpar', 'Kementerian Pariwisata'],
  ['kemenekraf', 'Kementerian Ekonomi Kreatif/Badan Ekonomi Kreatif'],
  ['kemenpppa', 'Kementerian Pemberdayaan Perempuan dan Perlindungan Anak'],
  ['kemenpora', 'Kementerian Pemuda dan Olahraga'],
  ['kemenlh', 'Kementerian Lingkungan Hidup/Badan Pengendalian Lingkungan Hidup'],
  ['kemenhaj', 'Kementerian Haji dan Umrah'],
];

const AGENCIES: [string, string][] = [
  ['bpjs-kesehatan', 'BPJS Kesehatan'],
  ['bpjs-ketenagakerjaan', 'BPJS Ketenagakerjaan'],
  ['polri', 'Kepolisian Negara Republik Indonesia'],
  ['kejaksaan', 'Kejaksaan Republik Indonesia'],
  ['bkn', 'Badan Kepegawaian Negara'],
  ['bpom', 'Badan Pengawas Obat dan Makanan'],
  ['ojk', 'Otoritas Jasa Keuangan'],
  ['bnn', 'Badan Narkotika Nasional'],
  ['basarnas', 'Badan Nasional Pencarian dan Pertolongan'],
  ['bmkg', 'Badan Meteorologi, Klimatologi, dan Geofisika'],
  ['bnpb', 'Badan Nasional Penanggulangan Bencana'],
  ['bps', 'Badan Pusat Statistik'],
  ['bgn', 'Badan Gizi Nasional'],
  ['bpkp', 'Badan Pengawasan Keuangan dan Pembangunan'],
  ['lkpp', 'Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah'],
  ['bssn', 'Badan Siber dan Sandi Negara'],
];

const STATE_COMPANIES: [string, string][] = [
  ['pln', 'PT PLN (Persero)'],
  ['pertamina', 'PT Pertamina (Persero)'],
  ['kai', 'PT Kereta Api Indonesia (Persero)'],
  ['pos-indonesia', 'PT Pos Indonesia (Persero)'],
  ['telkom', 'PT Telkom Indonesia (Persero) Tbk'],
  ['jasa-marga', 'PT Jasa Marga (Persero) Tbk'],
];

/** Governments seeded with units, for demos and tests: one per time zone and the seeds' two cities. */
export const DEMO_GOVERNMENT_CODES = ['pemkot-61.71', 'pemkot-18.72', 'pemprov-51', 'pemkot-73.71', 'pemkot-91.71'] as const;

interface UnitSeed {
  slug: string;
  name: string;
  children?: UnitSeed[];
}

function cityUnits(puskesmas: string[]): UnitSeed[] {
  return [
    {
      slug: 'dinas-pupr',
      name: 'Dinas Pekerjaan Umum dan Penataan Ruang',
      children: [
        { slug: 'bina-marga', name: 'Bidang Bina Marga' },
        { slug: 'sumber-daya-air', name: 'Bidang Sumber Daya Air' },
      ],
    },
    { slug: 'disdukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' },
    {
      slug: 'dinkes',
      name: 'Dinas Kesehatan',
      children: puskesmas.map((place) => ({ slug: `puskesmas-${slugify(place)}`, name: `UPT Puskesmas ${place}` })),
    },
    { slug: 'dinsos', name: 'Dinas Sosial' },
    { slug: 'disdik', name: 'Dinas Pendidikan' },
    { slug: 'dlh', name: 'Dinas Lingkungan Hidup' },
    { slug: 'dishub', name: 'Dinas Perhubungan' },
    { slug: 'satpol-pp', name: 'Satuan Polisi Pamong Praja' },
    { slug: 'dpmptsp', name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu' },
  ];
}

// Puskesmas and civil registration are regency/city services; a province's health office runs hospitals.
function provinceUnits(hospital: string): UnitSeed[] {
  return [
    {
      slug: 'dinas-pupr',
      name: 'Dinas Pekerjaan Umum dan Penataan Ruang',
      children: [{ slug: 'bina-marga', name: 'Bidang Bina Marga' }],
    },
    {
      slug: 'dinkes',
      name: 'Dinas Kesehatan',
      children: [{ slug: `rsud-${slugify(hospital)}`, name: `RSUD ${hospital}` }],
    },
    { slug: 'dinsos', name: 'Dinas Sosial' },
    { slug: 'disdik', name: 'Dinas Pendidikan' },
    { slug: 'dlh', name: 'Dinas Lingkungan Hidup' },
    { slug: 'dishub', name: 'Dinas Perhubungan' },
    { slug: 'satpol-pp', name: 'Satuan Polisi Pamong Praja' },
  ];
}

const DEMO_UNITS: Record<(typeof DEMO_GOVERNMENT_CODES)[number], UnitSeed[]> = {
  'pemkot-61.71': cityUnits(['Kampung Dalam', 'Siantan Hilir', 'Gang Sehat']),
  'pemkot-18.72': cityUnits(['Metro', 'Yosomulyo']),
  'pemprov-51': provinceUnits('Bali Mandara'),
  'pemkot-73.71': cityUnits(['Kassi-Kassi', 'Batua']),
  'pemkot-91.71': cityUnits(['Hamadi', 'Abepura']),
};

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

// The office's own name differs from the province's for Jakarta (it also covers Bodetabek).
const OMBUDSMAN_OFFICE_NAMES: Record<string, string> = { '31': 'Ombudsman RI Perwakilan Jakarta Raya' };

/** The whole seed, parents before children, built from the provinces and regencies already in the database. */
function buildBodySeeds(regions: { code: string; name: string; level: number }[]): BodySeed[] {
  const seeds: BodySeed[] = [
    national('kemenpanrb', 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi', 'national_oversight'),
    national('ksp', 'Kantor Staf Presiden', 'national_oversight'),
    national('ombudsman-ri', 'Ombudsman Republik Indonesia', 'ombudsman'),
    ...MINISTRIES.map(([code, name]) => national(code, name, 'ministry')),
    ...AGENCIES.map(([code, name]) => national(code, name, 'agency')),
    ...STATE_COMPANIES.map(([code, name]) => national(code, name, 'state_company')),
  ];
  const provinces = regions.filter((r) => r.level === 1);
  const regencies = regions.filter((r) => r.level === 2);
  for (const province of provinces) {
    const timeZone = timeZoneForProvince(province.code);
    seeds.push({
      code: `ombudsman-${province.code}`,
      name: OMBUDSMAN_OFFICE_NAMES[province.code] ?? `Ombudsman RI Perwakilan ${province.name}`,
      kind: 'ombudsman',
      parentCode: 'ombudsman-ri',
      regionCode: province.code,
      timeZone,
    });
    seeds.push({
      code: `pemprov-${province.code}`,
      name: `Pemerintah Provinsi ${province.name}`,
      kind: 'province',
      parentCode: null,
      regionCode: province.code,
      timeZone,
    });
  }
  for (const regency of regencies) {
    const isCity = regency.name.startsWith('Kota ');
    if (!isCity && !regency.name.startsWith('Kabupaten ')) {
      throw new Error(`Regency ${regency.code} "${regency.name}" is neither a Kabupaten nor a Kota`);
    }
    seeds.push({
      code: `${isCity ? 'pemkot' : 'pemkab'}-${regency.code}`,
      name: `Pemerintah ${regency.name}`,
      kind: isCity ? 'city' : 'regency',
      parentCode: null,
      regionCode: regency.code,
      timeZone: timeZoneForProvince(regency.code),
    });
  }
  const byCode = new Map(seeds.map((s) => [s.code, s]));
  const addUnits = (parent: BodySeed, units: UnitSeed[]) => {
    for (const unit of units) {
      const seed: BodySeed = {
        code: `${parent.code}/${unit.slug}`,
        name: unit.name,
        kind: 'unit',
        parentCode: parent.code,
        regionCode: parent.regionCode,
        timeZone: parent.timeZone,
      };
      seeds.push(seed);
      if (unit.children) addUnits(seed, unit.children);
    }
  };
  for (const code of DEMO_GOVERNMENT_CODES) {
    const government = byCode.get(code);
    if (!government) throw new Error(`Demo government ${code} has no region in the database`);
    addUnits(government, DEMO_UNITS[code]);
  }
  return seeds;
}

function depthOf(seed: BodySeed, byCode: Map<string, BodySeed>): number {
  let depth = 0;
  for (let s = seed; s.parentCode; depth++) {
    const parent = byCode.get(s.parentCode);
    if (!parent) throw new Error(`Body ${s.code} has unknown parent ${s.parentCode}`);
    s = parent;
  }
  return depth;
}

async function insertBodies(tx: Tx, seeds: BodySeed[]): Promise<number> {
  const byCode = new Map(seeds.map((s) => [s.code, s]));
  const generations: BodySeed[][] = [];
  for (const seed of seeds) {
    const depth = depthOf(seed, byCode);
    generations[depth] ??= [];
    generations[depth].push(seed);
  }
  let inserted = 0;
  // One statement per generation: the parent join only sees rows from earlier statements.
  // The path starts empty because a body's own id is only known once it is inserted.
  for (const generation of generations) {
    const rows = await tx.query(
      `INSERT INTO bodies (code, name, kind, parent_id, path, region_code, time_zone)
       SELECT s.code, s.name, s.kind, p.id, '{}', s.region_code, s.time_zone
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS s (code, name, kind, parent_code, region_code, time_zone)
       LEFT JOIN bodies p ON p.code = s.parent_code
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [
        generation.map((s) => s.code),
        generation.map((s) => s.name),
        generation.map((s) => s.kind),
        generation.map((s) => s.parentCode),
        generation.map((s) => s.regionCode),
        generation.map((s) => s.timeZone),
      ],
    );
    inserted += rows.length;
  }
  if (inserted > 0) {
    await tx.query(
      `WITH RECURSIVE tree (id, path) AS (
         SELECT id, ARRAY[id] FROM bodies WHERE parent_id IS NULL
         UNION ALL
         SELECT b.id, tree.path || b.id FROM bodies b JOIN tree ON b.parent_id = tree.id
       )
       UPDATE bodies b SET path = tree.path FROM tree
       WHERE b.id = tree.id AND cardinality(b.path) = 0`,
    );
  }
  return inserted;
}

export interface BodySeedResult {
  /** Bodies the seed defines, all of which now exist. */
  total: number;
  inserted: number;
  /** Ids of the seeded bodies, by code. */
  ids: Map<string, number>;
}

/**
 * National bodies, an Ombudsman office and a government per province, a government per
 * regency and city, and units under the demo governments. Needs the regions loaded first.
 * Bodies that already exist (by code) are left untouched, so admins' edits survive a re-run.
 */
export async function seedBodies(db: Db): Promise<BodySeedResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const regions = await tx.query<{ code: string; name: string; level: number }>(
      'SELECT code, name, level FROM regions WHERE level <= 2 ORDER BY code',
    );
    const seeds = buildBodySeeds(regions);
    const inserted = await insertBodies(tx, seeds);
    const rows = await tx.query<{ id: number; code: string }>('SELECT id, code FROM bodies WHERE code = ANY($1::text[])', [
      seeds.map((s) => s.code),
    ]);
    return { total: seeds.length, inserted, ids: new Map(rows.map((r) => [r.code, r.id])) };
  });
}
