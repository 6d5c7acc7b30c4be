import type { AppDeps } from './deps.ts';
import type { Principal } from './domain/principal.ts';
import type { Role } from './domain/roles.ts';
import { createStaffUser, registerReporter } from './features/accounts/accounts.service.ts';
import { performAction } from './features/reports/report-actions.service.ts';
import { submitReport } from './features/reports/reports.service.ts';

/** Printed at start in demo mode only; never use these outside a demo. */
export const DEMO_PASSWORD = 'demo-lapor-2026';

interface DemoAccount {
  role: Role;
  email: string;
  name: string;
  bodyCode?: string;
  phone?: string;
}

const ACCOUNTS: DemoAccount[] = [
  { role: 'national_admin', email: 'admin@demo.lapor.go.id', name: 'Admin Nasional (KemenPAN-RB)' },
  { role: 'agency_admin', email: 'admin.pontianak@demo.lapor.go.id', name: 'Admin Pemkot Pontianak', bodyCode: 'pemkot-61.71' },
  {
    role: 'unit_officer',
    email: 'pupr.pontianak@demo.lapor.go.id',
    name: 'Petugas Dinas PUPR Pontianak',
    bodyCode: 'pemkot-61.71/dinas-pupr',
  },
  { role: 'agency_admin', email: 'admin.metro@demo.lapor.go.id', name: 'Admin Pemkot Metro', bodyCode: 'pemkot-18.72' },
  { role: 'ombudsman', email: 'ombudsman.kalbar@demo.lapor.go.id', name: 'Ombudsman RI Perwakilan Kalbar', bodyCode: 'ombudsman-61' },
  { role: 'monitor', email: 'pemantau@demo.lapor.go.id', name: 'Pemantau KSP' },
  { role: 'integrator', email: 'integrasi.pontianak@demo.lapor.go.id', name: 'Aplikasi Gencil (Pontianak)', bodyCode: 'pemkot-61.71' },
  { role: 'reporter', email: 'warga@demo.lapor.go.id', name: 'Siti Rahayu', phone: '081234567890' },
];

async function bodyIdByCode(deps: AppDeps, code: string): Promise<number> {
  const rows = await deps.db.query<{ id: number }>('SELECT id FROM bodies WHERE code = $1', [code]);
  if (!rows[0]) throw new Error(`demo seed: body ${code} is missing; run the reference seed first`);
  return rows[0].id;
}

/**
 * Demo accounts for every role and a handful of reports in different states, made through the
 * same services the API uses. Runs once: a database that already has the demo admin is left alone.
 */
export async function seedDemo(deps: AppDeps): Promise<{ created: boolean; accounts: { role: Role; login: string }[] }> {
  const accounts = ACCOUNTS.map((a) => ({ role: a.role, login: a.email }));
  const existing = await deps.db.query('SELECT 1 FROM users WHERE lower(email) = $1', [ACCOUNTS[0]!.email]);
  if (existing.length > 0) return { created: false, accounts };

  const principals = new Map<string, Principal>();
  for (const a of ACCOUNTS) {
    const input = { name: a.name, email: a.email, phone: a.phone ?? null, password: DEMO_PASSWORD };
    const row =
      a.role === 'reporter'
        ? await registerReporter(deps.db, input)
        : await createStaffUser(deps.db, 'cli', {
            ...input,
            role: a.role,
            bodyId: a.bodyCode ? await bodyIdByCode(deps, a.bodyCode) : null,
          });
    principals.set(a.email, { userId: row.id, role: row.role, name: row.name, bodyId: row.body_id });
  }
  const citizen = principals.get('warga@demo.lapor.go.id')!;
  const admin = principals.get('admin@demo.lapor.go.id')!;
  const pontianak = principals.get('admin.pontianak@demo.lapor.go.id')!;
  const pupr = principals.get('pupr.pontianak@demo.lapor.go.id')!;
  const pontianakId = await bodyIdByCode(deps, 'pemkot-61.71');
  const puprId = await bodyIdByCode(deps, 'pemkot-61.71/dinas-pupr');
  const today = deps.now().toISOString().slice(0, 10);
  const file = (title: string, body: string, extra: Partial<Parameters<typeof submitReport>[2]> = {}) =>
    submitReport(
      deps,
      citizen,
      { classification: 'pengaduan', title, body, incidentDate: today, anonymous: false, secret: false, channel: 'web', ...extra },
      [],
    );

  await file(
    'Jalan berlubang di Jl. Gajah Mada',
    'Jalan berlubang besar di depan pasar sudah dua bulan, membahayakan pengendara motor terutama malam hari.',
    {
      regionCode: '61.71.01',
      suggestedBodyId: pontianakId,
    },
  );
  const routed = await file(
    'Drainase tersumbat di Kelurahan Benua Melayu Darat',
    'Saluran air tersumbat sampah sehingga setiap hujan air meluap ke rumah warga di gang Mawar.',
    {
      regionCode: '61.71.01',
    },
  );
  await performAction(deps, admin, routed.trackingId, 'verify', { resolutionClass: 14 });
  await performAction(deps, admin, routed.trackingId, 'route', { bodyId: pontianakId });
  await performAction(deps, pontianak, routed.trackingId, 'disposition', { unitId: puprId, message: 'Mohon ditindaklanjuti.' });

  const answered = await file(
    'Lampu penerangan jalan mati',
    'Lampu PJU di Jl. Tanjungpura mati sejak minggu lalu, jalan gelap dan rawan kejahatan.',
    {
      regionCode: '61.71.01',
      anonymous: true,
    },
  );
  await performAction(deps, admin, answered.trackingId, 'verify', { resolutionClass: 5 });
  await performAction(deps, admin, answered.trackingId, 'route', { bodyId: pontianakId });
  await performAction(deps, pontianak, answered.trackingId, 'disposition', { unitId: puprId });
  await performAction(deps, pupr, answered.trackingId, 'follow_up', { message: 'Tim sudah dijadwalkan memeriksa lokasi.' });
  await performAction(
    deps,
    pupr,
    answered.trackingId,
    'answer',
    {
      message: 'Lampu PJU di Jl. Tanjungpura telah diganti dengan lampu LED baru dan menyala kembali sejak 20 November.',
    },
    [new File([DEMO_EVIDENCE_PDF], 'berita-acara-perbaikan.pdf', { type: 'application/pdf' })],
  );

  await file('Pungutan liar pengurusan KTP', 'Petugas kelurahan meminta uang Rp100.000 untuk mempercepat pembuatan KTP-el.', {
    classification: 'pengaduan',
    secret: true,
    anonymous: true,
  });
  await file('Usulan taman bermain anak', 'Mohon dibangun taman bermain anak di lahan kosong dekat kantor kelurahan.', {
    classification: 'aspirasi',
    regionCode: '18.72',
  });
  return { created: true, accounts };
}

// A one-page PDF, so the demo answer carries real evidence through the real upload checks.
const DEMO_EVIDENCE_PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
