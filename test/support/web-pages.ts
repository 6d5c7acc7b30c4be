/**
 * The main pages of the web app and demo data to show on them, made through the API as people
 * would make it: for npm run bench:web and npm run screenshots.
 */
import assert from 'node:assert/strict';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { fixtureBytes } from './files.ts';
import type { TestUser } from './app.ts';
import { openSession } from '../../src/features/accounts/accounts.service.ts';
import { type WebServer, sessionCookie } from './browser.ts';

export interface WebDemo {
  /** Tracking IDs of demo reports, one per state. */
  reports: { waiting: string; verified: string; inProgress: string; answered: string };
  /** A browser session cookie of a national admin (the verification desk), for the back office. */
  staffCookie: string;
  /** A browser session cookie of the citizen who filed the demo reports, for the form and their own pages. */
  reporterCookie: string;
  /** Ids the admin pages are shown for: Pontianak's government, and its agency admin's account. */
  ids: { pontianak: number; agencyAdmin: number };
}

const PONTIANAK = 'pemkot-61.71';
const PUPR = 'pemkot-61.71/dinas-pupr';

/** A few reports in different states: waiting for verification, verified (public), at a unit, answered. */
export async function seedWebDemo(web: WebServer): Promise<WebDemo> {
  const { t } = web;
  const citizen = await t.user('reporter');
  const national = await t.user('national_admin');
  const agency = await t.user('agency_admin', PONTIANAK);
  const unit = await t.user('unit_officer', PUPR);
  const pontianakId = await t.bodyId(PONTIANAK);
  const puprId = await t.bodyId(PUPR);

  const act = async (user: TestUser, id: string, action: string, body: Record<string, unknown> | FormData) => {
    const res = await t.request('POST', `/api/v1/reports/${id}/${action}`, {
      token: user.token,
      ...(body instanceof FormData ? { form: body } : { json: body }),
    });
    assert.equal(res.status, 200, `${action} ${id}: ${res.text}`);
  };
  const file = async (title: string, body: string, extra: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/api/v1/reports', {
      token: citizen.token,
      json: { classification: 'pengaduan', title, body, incidentDate: '2026-11-20', regionCode: '61.71.01', ...extra },
    });
    assert.equal(res.status, 201, `filing "${title}": ${res.text}`);
    return res.body.trackingId as string;
  };

  const verified = await file(
    'Jalan berlubang di Jl. Gajah Mada',
    'Jalan berlubang besar di depan pasar sudah dua bulan, membahayakan pengendara motor terutama malam hari.',
  );
  await act(national, verified, 'verify', { resolutionClass: 14 });

  const inProgress = await file(
    'Drainase tersumbat di Kelurahan Benua Melayu Darat',
    'Saluran air tersumbat sampah sehingga setiap hujan air meluap ke rumah warga di gang Mawar.',
  );
  await act(national, inProgress, 'verify', { resolutionClass: 14 });
  await act(national, inProgress, 'route', { bodyId: pontianakId });
  await act(agency, inProgress, 'disposition', { unitId: puprId, message: 'Mohon ditindaklanjuti.' });
  await act(unit, inProgress, 'follow-ups', { message: 'Tim sudah dijadwalkan memeriksa lokasi.' });

  const answered = await file(
    'Lampu penerangan jalan mati',
    'Lampu PJU di Jl. Tanjungpura mati sejak minggu lalu, jalan gelap dan rawan kejahatan.',
    { anonymous: true },
  );
  await act(national, answered, 'verify', { resolutionClass: 5 });
  await act(national, answered, 'route', { bodyId: pontianakId });
  await act(agency, answered, 'disposition', { unitId: puprId });
  const evidence = new FormData();
  evidence.set('message', 'Lampu PJU di Jl. Tanjungpura telah diganti dengan lampu LED baru dan menyala kembali sejak 23 November.');
  evidence.append('attachments', new File([fixtureBytes('document.pdf')], 'berita-acara-perbaikan.pdf', { type: 'application/pdf' }));
  await act(unit, answered, 'answer', evidence);

  const waiting = await file(
    'Pungutan liar pengurusan KTP',
    'Petugas kelurahan meminta uang Rp100.000 untuk mempercepat pembuatan KTP-el tanpa kuitansi resmi.',
  );

  const { token } = await sessionCookie(web, 'national_admin');
  const reporter = await openSession(t.deps.db, t.deps.config, citizen.principal.userId, 'cookie', t.deps.now());
  return {
    reports: { waiting, verified, inProgress, answered },
    staffCookie: token,
    reporterCookie: reporter.token,
    ids: { pontianak: pontianakId, agencyAdmin: agency.principal.userId },
  };
}

export interface WebPage {
  /** Short name, used in file names: home, form, tracking, answered, search, inbox. */
  name: string;
  path: string;
  area: 'portal' | 'office';
  /** Loaded signed in: as the demo citizen, or as the national admin (the back office); false: signed out. */
  signedIn: false | 'reporter' | 'staff';
  /** Gzipped JS + CSS of the first load, in KB (issue 10). */
  weightTargetKb: number;
  /** First contentful paint on the throttled phone, in ms; null: no speed target. */
  fcpTargetMs: number | null;
}

/**
 * The main pages: the portal's home, report form, tracking pages (a verified report; an answered
 * one) and search, and the back office's inbox. The speed targets are issue 10's.
 */
export function mainPages(demo: WebDemo): WebPage[] {
  const portal = { area: 'portal', signedIn: false, weightTargetKb: 50 } as const;
  return [
    { ...portal, name: 'home', path: '/', fcpTargetMs: 1000 },
    { ...portal, name: 'form', path: '/lapor', signedIn: 'reporter', fcpTargetMs: 1000 },
    { ...portal, name: 'tracking', path: `/laporan/${demo.reports.verified}`, fcpTargetMs: 1000 },
    { ...portal, name: 'answered', path: `/laporan/${demo.reports.answered}`, fcpTargetMs: null },
    { ...portal, name: 'search', path: '/laporan?q=jalan', fcpTargetMs: null },
    { name: 'inbox', path: '/kantor', area: 'office', signedIn: 'staff', weightTargetKb: 150, fcpTargetMs: 2500 },
  ];
}

/**
 * The back office's admin pages, as a national admin sees them: a body with its units, the
 * categories, the users, one account with its history, the calendar. For npm run screenshots
 * (bench:web measures the main pages only).
 */
export function adminPages(demo: WebDemo): WebPage[] {
  const office = { area: 'office', signedIn: 'staff', weightTargetKb: 150, fcpTargetMs: null } as const;
  return [
    { ...office, name: 'office-bodies', path: `/kantor/instansi/${demo.ids.pontianak}` },
    { ...office, name: 'office-categories', path: '/kantor/kategori' },
    { ...office, name: 'office-users', path: '/kantor/pengguna' },
    { ...office, name: 'office-account', path: `/kantor/pengguna/${demo.ids.agencyAdmin}` },
    { ...office, name: 'office-calendar', path: '/kantor/kalender' },
  ];
}

/** Whether the app serves `page` (anything but a 404), asked with a plain request. */
export async function pageExists(web: WebServer, demo: WebDemo, page: WebPage): Promise<{ exists: boolean; status: number }> {
  const res = await fetch(`${web.baseUrl}${page.path}`, {
    headers: page.signedIn ? { cookie: `${SESSION_COOKIE}=${cookieFor(demo, page)}` } : {},
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return { exists: res.status !== 404, status: res.status };
}

/** The session cookie a page is loaded with, when it is loaded signed in. */
export function cookieFor(demo: WebDemo, page: WebPage): string {
  return page.signedIn === 'reporter' ? demo.reporterCookie : demo.staffCookie;
}
