import type { Queryable } from '../../db/db.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError, invalidInput } from '../../errors.ts';
import * as repo from './categories.repository.ts';

/**
 * The category tree (issue 10 §2): national categories, two levels deep, which national admins
 * add, rename and retire; under a national top-level category a body's agency admin may add
 * sub-categories of its own (`categories.body_id`), which its staff may give the reports it
 * handles. A category is never deleted, since reports point at it: it is retired (`active`),
 * and a retired category, or one under a retired parent, is no longer offered.
 *
 * Codes: a national top-level category is its slug (`infrastruktur`), a national sub-category
 * `<parent>.<slug>` (`infrastruktur.jalan`), a body's own `<body code>:<parent>.<slug>`
 * (`pemkot-61.71:infrastruktur.parit`), so two bodies never compete for a code.
 */

export interface AdminCategory {
  id: number;
  code: string;
  parentId: number | null;
  parent: { id: number; code: string; name: string; nameEn: string } | null;
  /** The body whose own category this is; null for a national one. */
  body: { id: number; name: string } | null;
  name: string;
  nameEn: string;
  active: boolean;
  /** Offered to reports now: active, under an active parent. */
  offered: boolean;
  /** Whether the caller may rename and retire it. */
  editable: boolean;
}

function toAdminCategory(row: repo.CategoryRow, principal: Principal | null): AdminCategory {
  return {
    id: row.id,
    code: row.code,
    parentId: row.parent_id,
    parent:
      row.parent_id === null ? null : { id: row.parent_id, code: row.parent_code!, name: row.parent_name_id!, nameEn: row.parent_name_en! },
    body: row.body_id === null ? null : { id: row.body_id, name: row.body_name! },
    name: row.name_id,
    nameEn: row.name_en,
    active: row.active,
    offered: row.active && row.parent_active !== false,
    editable: principal !== null && mayEdit(principal, row),
  };
}

function adminBodyOf(principal: Principal): number | null {
  if (principal.role === 'national_admin') return null;
  if (principal.role === 'agency_admin' && principal.bodyId !== null) return principal.bodyId;
  throw new AppError('forbidden', 'Hanya admin yang dapat mengelola kategori / Only admins manage categories');
}

/** National admins edit every category; an agency admin its own body's. */
function mayEdit(principal: Principal, row: repo.CategoryRow): boolean {
  return principal.role === 'national_admin' || (row.body_id !== null && row.body_id === principal.bodyId);
}

export interface CategoryQuery {
  q?: string;
  /** national: national categories only; own: the agency admin's body's only. */
  owner?: 'national' | 'own';
  status?: 'active' | 'inactive';
  page: number;
  perPage: number;
}

/** The tree as an admin manages it: national categories, and for an agency admin its body's own too. */
export async function listManagedCategories(db: Queryable, principal: Principal, query: CategoryQuery) {
  const bodyId = adminBodyOf(principal);
  const { rows, total } = await repo.selectCategories(db, {
    bodyId,
    own: query.owner === undefined ? null : query.owner === 'own',
    q: query.q?.trim() || null,
    active: query.status === undefined ? null : query.status === 'active',
    limit: query.perPage,
    offset: (query.page - 1) * query.perPage,
  });
  return { items: rows.map((r) => toAdminCategory(r, principal)), total, page: query.page, perPage: query.perPage };
}

/** The national top-level categories, under which new ones go (for a form's choices). */
export async function listParentChoices(db: Queryable): Promise<AdminCategory[]> {
  const { rows } = await repo.selectCategories(db, { bodyId: null, own: false, q: null, active: true, limit: 1000, offset: 0 });
  return rows.filter((r) => r.parent_id === null).map((r) => toAdminCategory(r, null));
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function cleanName(value: unknown): string | null {
  return typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : null;
}

function checkName(fields: Record<string, string>, field: string, value: string | null): void {
  if (!value) fields[field] = 'Wajib diisi / Required';
  else if (value.length < 2) fields[field] = 'Paling sedikit 2 karakter / At least 2 characters';
  else if (value.length > 120) fields[field] = 'Paling banyak 120 karakter / At most 120 characters';
}

export interface NewCategory {
  code: string;
  parentId?: number | null;
  name: string;
  nameEn: string;
}

/**
 * Adds a category. A national admin: a national top-level one, or a sub-category under one. An
 * agency admin: a sub-category of its body's own, under a national top-level category.
 */
export async function createCategory(db: Queryable, principal: Principal, input: NewCategory): Promise<AdminCategory> {
  const bodyId = adminBodyOf(principal);
  const fields: Record<string, string> = {};
  const slug = typeof input.code === 'string' ? input.code.trim().toLowerCase() : '';
  if (slug === '') fields.code = 'Wajib diisi / Required';
  else if (slug.length < 2 || slug.length > 40) fields.code = 'Antara 2 dan 40 karakter / Between 2 and 40 characters';
  else if (!SLUG.test(slug))
    fields.code = 'Huruf kecil, angka dan tanda hubung, mis. parit-kota / Lower-case letters, digits and hyphens, e.g. parit-kota';
  const name = cleanName(input.name);
  const nameEn = cleanName(input.nameEn);
  checkName(fields, 'name', name);
  checkName(fields, 'nameEn', nameEn);
  const parentId = input.parentId ?? null;
  let parent: repo.CategoryRow | null = null;
  if (parentId === null) {
    if (bodyId !== null) fields.parentId = 'Pilih kategori nasional induknya / Choose the national category it goes under';
  } else {
    parent = await repo.selectCategory(db, parentId);
    if (!parent || parent.body_id !== null) fields.parentId = 'Kategori induk tidak dikenal / Unknown parent category';
    else if (parent.parent_id !== null) {
      fields.parentId =
        'Induknya harus kategori utama: pohon ini dua tingkat / The parent must be a top-level category: the tree is two levels deep';
    } else if (!parent.active) fields.parentId = 'Kategori induk ini nonaktif / This parent category is inactive';
  }
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  let code = parent ? `${parent.code}.${slug}` : slug;
  if (bodyId !== null) code = `${await repo.selectBodyCode(db, bodyId)}:${code}`;
  const id = await repo.insertCategory(db, { code, parentId, bodyId, nameId: name!, nameEn: nameEn! });
  if (id === null)
    throw new AppError('conflict', 'Kode sudah dipakai / Code already in use', { code: 'Kode sudah dipakai / Code already in use' });
  return toAdminCategory((await repo.selectCategory(db, id))!, principal);
}

/** One category as the caller sees it: any national one, and an agency admin's own body's (another body's: not_found). */
export async function getManagedCategory(db: Queryable, principal: Principal, id: number): Promise<AdminCategory> {
  return toAdminCategory(await visibleCategory(db, principal, id), principal);
}

async function visibleCategory(db: Queryable, principal: Principal, id: number): Promise<repo.CategoryRow> {
  const bodyId = adminBodyOf(principal);
  const row = await repo.selectCategory(db, id);
  if (!row || (bodyId !== null && row.body_id !== null && row.body_id !== bodyId)) {
    throw new AppError('not_found', 'Kategori tidak ditemukan / Category not found');
  }
  return row;
}

export interface CategoryPatch {
  name?: string;
  nameEn?: string;
  active?: boolean;
}

/**
 * Renames, retires or restores a category the caller may edit. Another body's category does not
 * exist for an agency admin (not_found); a national one it may read but not change (forbidden).
 */
export async function updateCategory(
  db: Queryable,
  principal: Principal,
  id: number,
  patch: CategoryPatch,
): Promise<{ before: AdminCategory; after: AdminCategory }> {
  const row = await visibleCategory(db, principal, id);
  if (!mayEdit(principal, row)) {
    throw new AppError('forbidden', 'Kategori nasional diatur oleh admin nasional / National categories are managed by national admins');
  }
  const fields: Record<string, string> = {};
  const name = patch.name === undefined ? row.name_id : cleanName(patch.name);
  const nameEn = patch.nameEn === undefined ? row.name_en : cleanName(patch.nameEn);
  checkName(fields, 'name', name);
  checkName(fields, 'nameEn', nameEn);
  if (Object.keys(fields).length > 0) throw invalidInput(fields);
  const active = patch.active ?? row.active;
  if (name === row.name_id && nameEn === row.name_en && active === row.active) {
    throw invalidInput({ name: 'Tidak ada yang berubah / Nothing changes' }, 'Tidak ada yang berubah / Nothing changes');
  }
  await repo.updateCategory(db, id, { nameId: name!, nameEn: nameEn!, active });
  return { before: toAdminCategory(row, principal), after: toAdminCategory((await repo.selectCategory(db, id))!, principal) };
}

/** Whether a report handled by `bodyId` (null: not yet at a body) may be given this category now. */
export function isCategoryOffered(db: Queryable, categoryId: number, bodyId: number | null): Promise<boolean> {
  return repo.isOffered(db, categoryId, bodyId);
}

/** The categories a report may be given: national ones and, with `bodyId`, that body's own. */
export async function listOfferedCategories(db: Queryable, bodyId: number | null = null) {
  const rows = await repo.selectOffered(db, bodyId);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name_id, nameEn: r.name_en, parentId: r.parent_id, bodyId: r.body_id }));
}

/** A national category a citizen may give a report now, by its code; null when there is none (or it is retired). */
export async function findOfferedCategoryByCode(db: Queryable, code: string) {
  const row = await repo.selectOfferedNationalByCode(db, code);
  return row
    ? {
        id: row.id,
        code: row.code,
        name: row.name_id,
        nameEn: row.name_en,
        parent: row.parent_id === null ? null : { code: row.parent_code!, name: row.parent_name_id!, nameEn: row.parent_name_en! },
      }
    : null;
}
