import type { Db, Queryable } from '../../db/db.ts';
import { timeZoneForProvince } from '../../db/seed/bodies.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError, invalidInput } from '../../errors.ts';
import * as repo from './bodies.repository.ts';

/**
 * Managing the body directory (issue 10 §2). A national admin adds top-level bodies, renames any
 * body and retires or restores it. A body's agency admin manages the units below its body: adds
 * one under the body or under one of its units, renames and retires them. A body outside the
 * caller's scope does not exist for it (not_found, never a refusal that confirms the id).
 *
 * A body is never deleted (reports, accounts and calendars point at it). Retiring one is refused
 * while it or anything below it still holds an open report or an active account, or while a unit
 * below it is still active: retire from the bottom up, after moving the work and the people. A
 * retired body is not offered for routing, disposition or as a suggestion, and routing to it is
 * refused (report-actions). A unit comes back only under an active parent.
 */

/** The kinds an admin may create at the top of the tree (units are made under a body; the Ombudsman's offices are fixed). */
export const TOP_KINDS = [
  'ministry',
  'agency',
  'national_oversight',
  'province',
  'regency',
  'city',
  'state_company',
  'university',
  'mission',
] as const;
export type TopKind = (typeof TOP_KINDS)[number];
export const BODY_KINDS = [...TOP_KINDS, 'ombudsman', 'unit'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export type TimeZone = (typeof TIME_ZONES)[number];

export interface AdminBody {
  id: number;
  code: string;
  name: string;
  kind: BodyKind;
  parentId: number | null;
  parentName: string | null;
  /** Ids from the top-level body down to this one. */
  path: number[];
  regionCode: string | null;
  regionName: string | null;
  timeZone: TimeZone;
  active: boolean;
  createdAt: string;
}

export interface AdminUnit extends AdminBody {
  /** 1 for a unit right under the body, 2 under that, … */
  depth: number;
  /** What the unit holds itself (not counting the units below it). */
  openReports: number;
  activeAccounts: number;
}

function toAdminBody(row: repo.BodyRow): AdminBody {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as BodyKind,
    parentId: row.parent_id,
    parentName: row.parent_name,
    path: row.path.map(Number),
    regionCode: row.region_code,
    regionName: row.region_name,
    timeZone: row.time_zone as TimeZone,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

const NOT_FOUND = 'Instansi tidak ditemukan / Body not found';

/** Null: every body (national admins); else the agency admin's own body, whose subtree it manages. */
function scopeOf(principal: Principal): number | null {
  if (principal.role === 'national_admin') return null;
  if (principal.role === 'agency_admin' && principal.bodyId !== null) return principal.bodyId;
  throw new AppError('forbidden', 'Hanya admin yang dapat mengelola instansi / Only admins manage bodies');
}

async function bodyInScope(db: Queryable, principal: Principal, id: number): Promise<repo.BodyRow> {
  const row = await repo.selectBody(db, id, scopeOf(principal));
  if (!row) throw new AppError('not_found', NOT_FOUND);
  return row;
}

/** A body's name as a person types it: trimmed, inner runs of space made one, 3–200 characters. */
function cleanName(name: unknown, field = 'name'): string {
  const text = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  if (text === '') throw invalidInput({ [field]: 'Wajib diisi / Required' });
  if (text.length < 3) throw invalidInput({ [field]: 'Paling sedikit 3 karakter / At least 3 characters' });
  if (text.length > 200) throw invalidInput({ [field]: 'Paling banyak 200 karakter / At most 200 characters' });
  return text;
}

export interface BodyQuery {
  q?: string;
  kind?: string;
  regionCode?: string;
  status?: 'active' | 'inactive';
  page: number;
  perPage: number;
}

/** The bodies in the caller's scope, by name; units only when asked for with kind=unit. */
export async function listManagedBodies(db: Queryable, principal: Principal, query: BodyQuery) {
  const scopeId = scopeOf(principal);
  const { rows, total } = await repo.selectBodies(db, {
    scopeId,
    q: query.q?.trim() || null,
    kind: query.kind ?? null,
    regionCode: query.regionCode ?? null,
    active: query.status === undefined ? null : query.status === 'active',
    limit: query.perPage,
    offset: (query.page - 1) * query.perPage,
  });
  return { items: rows.map(toAdminBody), total, page: query.page, perPage: query.perPage };
}

/** One body in scope, with every unit below it (parents first) and what each holds. */
export async function getManagedBody(db: Queryable, principal: Principal, id: number) {
  const row = await bodyInScope(db, principal, id);
  const units = await repo.selectUnits(db, row.id);
  return {
    ...toAdminBody(row),
    units: units.map(
      (u): AdminUnit => ({
        ...toAdminBody(u),
        depth: u.path.length - row.path.length,
        openReports: u.open_reports,
        activeAccounts: u.active_accounts,
      }),
    ),
    /** Whether the caller may rename and retire this body itself (not only its units). */
    manageable: canManage(principal, row),
  };
}

/** A national admin manages every body; an agency admin only the units below its own body. */
function canManage(principal: Principal, row: repo.BodyRow): boolean {
  if (principal.role === 'national_admin') return true;
  return row.kind === 'unit' && row.id !== principal.bodyId && row.path.map(Number).includes(principal.bodyId ?? -1);
}

function assertCanManage(principal: Principal, row: repo.BodyRow): void {
  if (!canManage(principal, row)) {
    throw new AppError(
      'forbidden',
      'Nama dan status instansi Anda diatur oleh admin nasional / Your body’s name and status are managed by national admins',
    );
  }
}

export interface NewTopBody {
  code: string;
  name: string;
  kind: string;
  regionCode?: string | null;
  timeZone: string;
}

const CODE = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ZONE_WORDS: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** A national admin adds a top-level body (a ministry, a regional government…). */
export async function createBody(db: Db, principal: Principal, input: NewTopBody): Promise<AdminBody> {
  if (principal.role !== 'national_admin') {
    throw new AppError('forbidden', 'Hanya admin nasional yang dapat menambah instansi / Only national admins add bodies');
  }
  const fields: Record<string, string> = {};
  const code = typeof input.code === 'string' ? input.code.trim().toLowerCase() : '';
  if (code === '') fields.code = 'Wajib diisi / Required';
  else if (code.length < 2 || code.length > 60) fields.code = 'Antara 2 dan 60 karakter / Between 2 and 60 characters';
  else if (!CODE.test(code))
    fields.code =
      'Huruf kecil, angka, titik dan tanda hubung, mis. pemkab-61.12 / Lower-case letters, digits, dots and hyphens, e.g. pemkab-61.12';
  let name = '';
  try {
    name = cleanName(input.name);
  } catch (err) {
    Object.assign(fields, (err as AppError).fields);
  }
  const kind = input.kind as TopKind;
  if (!(TOP_KINDS as readonly string[]).includes(kind)) fields.kind = `Salah satu dari / One of: ${TOP_KINDS.join(', ')}`;
  if (!(TIME_ZONES as readonly string[]).includes(input.timeZone)) fields.timeZone = `Salah satu dari / One of: ${TIME_ZONES.join(', ')}`;
  const regionCode = input.regionCode?.trim() || null;
  const level = kind === 'province' ? 1 : kind === 'regency' || kind === 'city' ? 2 : null;
  if (regionCode === null) {
    if (level !== null) fields.regionCode = 'Wajib untuk pemerintah daerah / Required for a regional government';
  } else {
    const region = regionCode.length <= 20 ? await repo.selectRegion(db, regionCode) : null;
    if (!region) fields.regionCode = 'Wilayah tidak dikenal / Unknown region';
    else if (level !== null && region.level !== level) {
      fields.regionCode =
        level === 1
          ? 'Pemerintah provinsi memakai kode provinsi, mis. 61 / A province government takes a province code, e.g. 61'
          : 'Pemerintah kabupaten/kota memakai kode kabupaten/kota, mis. 61.71 / A regency or city takes a regency code, e.g. 61.71';
    } else if (region.level > 2) {
      fields.regionCode = 'Provinsi atau kabupaten/kota, mis. 61.71 / A province or a regency, e.g. 61.71';
    } else if (!fields.timeZone && timeZoneForProvince(region.code) !== input.timeZone) {
      const zone = timeZoneForProvince(region.code);
      fields.timeZone = `Wilayah ini memakai ${ZONE_WORDS[zone]} (${zone}) / This region keeps ${ZONE_WORDS[zone]} (${zone})`;
    }
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  const id = await db.transaction((tx) =>
    repo.insertBody(tx, { code, name, kind, parentId: null, parentPath: [], regionCode, timeZone: input.timeZone }),
  );
  if (id === null)
    throw new AppError('conflict', 'Kode sudah dipakai / Code already in use', { code: 'Kode sudah dipakai / Code already in use' });
  return toAdminBody((await repo.selectBody(db, id, null))!);
}

/**
 * Adds a unit under a body or a unit in scope. Its code is the parent's code, a slash and the
 * slug given (`pemkot-61.71/dinas-pupr/bina-marga`); its region and time zone are the parent's.
 */
export async function createUnit(
  db: Db,
  principal: Principal,
  parentId: number,
  input: { slug: string; name: string },
): Promise<AdminBody> {
  const parent = await bodyInScope(db, principal, parentId);
  if (parent.kind === 'ombudsman')
    throw invalidInput({ parentId: 'Kantor Ombudsman tidak memiliki unit di sini / Ombudsman offices have no units here' });
  const fields: Record<string, string> = {};
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase() : '';
  if (slug === '') fields.slug = 'Wajib diisi / Required';
  else if (slug.length < 2 || slug.length > 40) fields.slug = 'Antara 2 dan 40 karakter / Between 2 and 40 characters';
  else if (!SLUG.test(slug))
    fields.slug = 'Huruf kecil, angka dan tanda hubung, mis. bina-marga / Lower-case letters, digits and hyphens, e.g. bina-marga';
  let name = '';
  try {
    name = cleanName(input.name);
  } catch (err) {
    Object.assign(fields, (err as AppError).fields);
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  const code = `${parent.code}/${slug}`;
  if (code.length > 300) throw invalidInput({ slug: 'Unit terlalu dalam / The unit is nested too deep' });
  const id = await db.transaction(async (tx) => {
    await repo.lockBody(tx, parent.id);
    const fresh = (await repo.selectBody(tx, parent.id, null))!;
    if (!fresh.active) throw new AppError('conflict', 'Induknya sudah dinonaktifkan / Its parent is deactivated');
    return repo.insertBody(tx, {
      code,
      name,
      kind: 'unit',
      parentId: parent.id,
      parentPath: fresh.path.map(Number),
      regionCode: fresh.region_code,
      timeZone: fresh.time_zone,
    });
  });
  if (id === null) {
    throw new AppError('conflict', 'Kode unit sudah dipakai di bawah induk ini / That unit code is already used under this parent', {
      slug: 'Sudah dipakai / Already in use',
    });
  }
  return toAdminBody((await repo.selectBody(db, id, null))!);
}

export async function renameBody(db: Db, principal: Principal, id: number, name: string): Promise<{ before: string; body: AdminBody }> {
  const row = await bodyInScope(db, principal, id);
  assertCanManage(principal, row);
  const next = cleanName(name);
  if (next === row.name) throw invalidInput({ name: 'Nama ini sama dengan yang sekarang / This is the current name' });
  await db.transaction((tx) => repo.updateName(tx, id, next));
  return { before: row.name, body: toAdminBody((await repo.selectBody(db, id, null))!) };
}

/**
 * Retires (active false) or restores a body in scope. Retiring is refused while the body or
 * anything below it holds an open report or an active account, or a unit below it is active;
 * restoring a unit is refused while its parent is retired. Checked under the body's row lock.
 */
export async function setBodyActive(db: Db, principal: Principal, id: number, active: boolean): Promise<AdminBody> {
  const row = await bodyInScope(db, principal, id);
  assertCanManage(principal, row);
  await db.transaction(async (tx) => {
    await repo.lockBody(tx, id);
    const fresh = (await repo.selectBody(tx, id, null))!;
    if (fresh.active === active) {
      throw new AppError(
        'conflict',
        active ? 'Instansi ini sudah aktif / This body is already active' : 'Instansi ini sudah nonaktif / This body is already inactive',
      );
    }
    if (active) {
      if (fresh.parent_id !== null) {
        const parent = await repo.selectBody(tx, fresh.parent_id, null);
        if (parent && !parent.active) {
          throw new AppError('conflict', `Aktifkan dulu induknya, ${parent.name} / Reactivate its parent, ${parent.name}, first`);
        }
      }
    } else {
      const held = await repo.selectHoldings(tx, id);
      const reasons: { id: string; en: string }[] = [];
      if (held.openReports > 0) reasons.push({ id: `${held.openReports} laporan terbuka`, en: `${held.openReports} open reports` });
      if (held.activeAccounts > 0) reasons.push({ id: `${held.activeAccounts} akun aktif`, en: `${held.activeAccounts} active accounts` });
      if (held.activeUnits > 0)
        reasons.push({ id: `${held.activeUnits} unit aktif di bawahnya`, en: `${held.activeUnits} active units below it` });
      if (reasons.length > 0) {
        throw new AppError(
          'conflict',
          `Belum dapat dinonaktifkan: masih ada ${reasons.map((r) => r.id).join(', ')}. Pindahkan atau selesaikan dulu. / ` +
            `Cannot be deactivated yet: it still has ${reasons.map((r) => r.en).join(', ')}. Move or finish them first.`,
        );
      }
    }
    await repo.updateActive(tx, id, active);
  });
  return toAdminBody((await repo.selectBody(db, id, null))!);
}

/** A body by its code, in the caller's scope (for a form that takes a code); null when there is none. */
export async function findManagedBodyByCode(db: Queryable, principal: Principal, code: string): Promise<AdminBody | null> {
  const row = code.length <= 300 ? await repo.selectBodyByCode(db, code.trim().toLowerCase()) : null;
  if (!row) return null;
  const scope = scopeOf(principal);
  if (scope !== null && !row.path.map(Number).includes(scope)) return null;
  return toAdminBody(row);
}
