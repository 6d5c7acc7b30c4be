import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../db/db.ts';
import { normalizePhone } from '../../domain/phone.ts';
import type { Role } from '../../domain/roles.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { Principal } from '../../domain/principal.ts';
import * as repo from './accounts.repository.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';

export interface PublicUser {
  id: number;
  role: Role;
  name: string;
  email: string | null;
  phone: string | null;
  bodyId: number | null;
}

export function toPublicUser(row: repo.UserRow): PublicUser {
  return { id: row.id, role: row.role, name: row.name, email: row.email, phone: row.phone, bodyId: row.body_id };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

interface NewAccount {
  name: string;
  email?: string | null;
  phone?: string | null;
  password: string;
}

function normalizeContacts(input: { email?: string | null; phone?: string | null }) {
  const email = input.email?.trim().toLowerCase() || null;
  let phone: string | null = null;
  if (input.phone?.trim()) {
    phone = normalizePhone(input.phone);
    if (!phone) throw invalidInput({ phone: 'Nomor telepon tidak valid / Invalid phone number' });
  }
  if (!email && !phone) {
    throw invalidInput({
      email: 'Isi email atau nomor telepon / Give an email or a phone number',
      phone: 'Isi email atau nomor telepon / Give an email or a phone number',
    });
  }
  return { email, phone };
}

async function insertAccount(
  db: Queryable,
  input: NewAccount & { role: Role; bodyId: number | null },
): Promise<repo.UserRow> {
  const { email, phone } = normalizeContacts(input);
  const passwordHash = await hashPassword(input.password);
  try {
    return await repo.insertUser(db, { role: input.role, name: input.name.trim(), email, phone, passwordHash, bodyId: input.bodyId });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AppError('conflict', 'Email atau nomor telepon sudah terdaftar / Email or phone already registered', {
        [String((err as { constraint?: string }).constraint ?? '').includes('phone') ? 'phone' : 'email']: 'sudah terdaftar / already registered',
      });
    }
    throw err;
  }
}

export function registerReporter(db: Queryable, input: NewAccount): Promise<repo.UserRow> {
  return insertAccount(db, { ...input, role: 'reporter', bodyId: null });
}

/**
 * Staff accounts are made by admins. A national admin may create any role; an agency admin only
 * unit officers for units of its own body, and integrators for its body.
 */
export async function createStaffUser(
  db: Queryable,
  creator: Principal | 'cli',
  input: NewAccount & { role: Role; bodyId?: number | null },
): Promise<repo.UserRow> {
  const bodyId = input.bodyId ?? null;
  const needsBody = ['agency_admin', 'unit_officer', 'ombudsman', 'integrator'].includes(input.role);
  if (input.role === 'reporter') throw invalidInput({ role: 'Pelapor mendaftar sendiri / Reporters register themselves' });
  if (needsBody && bodyId === null) throw invalidInput({ bodyId: `Wajib untuk peran ${input.role} / Required for role ${input.role}` });
  if (!needsBody && bodyId !== null) throw invalidInput({ bodyId: `Tidak dipakai untuk peran ${input.role} / Not used for role ${input.role}` });
  if (bodyId !== null) {
    const body = await repo.bodyExists(db, bodyId);
    if (!body) throw invalidInput({ bodyId: 'Instansi tidak ditemukan / Unknown body' });
    if (input.role === 'unit_officer' && body.kind !== 'unit') throw invalidInput({ bodyId: 'Harus sebuah unit / Must be a unit' });
    if (input.role === 'agency_admin' && (body.kind === 'unit' || body.kind === 'ombudsman')) {
      throw invalidInput({ bodyId: 'Harus instansi K/L/D / Must be a ministry, agency or government' });
    }
    if (input.role === 'ombudsman' && body.kind !== 'ombudsman') throw invalidInput({ bodyId: 'Harus kantor Ombudsman / Must be an Ombudsman office' });
  }
  if (creator !== 'cli' && creator.role !== 'national_admin') {
    const allowed =
      creator.role === 'agency_admin' &&
      (input.role === 'unit_officer' || input.role === 'integrator') &&
      bodyId !== null &&
      creator.bodyId !== null &&
      (await repo.isBodyWithin(db, bodyId, creator.bodyId));
    if (!allowed) throw new AppError('forbidden', 'Tidak boleh membuat akun ini / Not allowed to create this account');
  }
  return insertAccount(db, { ...input, bodyId });
}

export async function openSession(
  db: Queryable,
  config: Config,
  userId: number,
  kind: 'cookie' | 'bearer',
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + config.sessionTtlHours * 3_600_000);
  await repo.insertSession(db, { tokenHash: hashToken(token), userId, kind, expiresAt });
  return { token, expiresAt };
}

/**
 * Checks a login and password, throttled per login and per client address so that neither
 * guessing one account's password nor spraying many accounts from one address gets far.
 */
export async function authenticate(
  db: Queryable,
  config: Config,
  input: { login: string; password: string; clientAddress: string },
  now: Date,
): Promise<repo.UserRow> {
  const login = input.login.trim().toLowerCase();
  const phone = normalizePhone(login);
  // One account is guarded tightly; one address more loosely, since many citizens share an
  // address behind carrier-grade NAT or an office proxy.
  const limits = [
    { key: `login:${phone ?? login}`, max: config.loginMaxAttempts },
    { key: `ip:${input.clientAddress}`, max: config.loginMaxAttempts * 10 },
  ];
  const keys = limits.map((l) => l.key);
  const windowStart = new Date(now.getTime() - config.loginWindowSeconds * 1000);
  for (const { key, max } of limits) {
    const state = await repo.readThrottle(db, key, windowStart);
    if (state.failures >= max) {
      const error = new AppError('too_many_attempts', 'Terlalu banyak percobaan masuk, coba lagi nanti / Too many sign-in attempts, try again later');
      const reopensAt = state.windowStart!.getTime() + config.loginWindowSeconds * 1000;
      error.retryAfterSeconds = Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000));
      throw error;
    }
  }
  const user = await repo.findUserByLogin(db, phone ?? login);
  const ok = user?.password_hash
    ? await verifyPassword(input.password, user.password_hash)
    : (await verifyPassword(input.password, await dummyPasswordHash()), false);
  if (!user || !ok || user.disabled_at) {
    for (const key of keys) await repo.recordFailure(db, key, now, windowStart);
    throw new AppError('invalid_credentials', 'Login atau kata sandi salah / Wrong login or password');
  }
  await repo.clearThrottle(db, keys[0]!);
  return user;
}

export async function resolvePrincipal(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ principal: Principal; kind: 'cookie' | 'bearer' } | null> {
  const row = await repo.findActiveSession(db, hashToken(token), now);
  if (!row) return null;
  return { principal: { userId: row.user_id, role: row.role, name: row.name, bodyId: row.body_id }, kind: row.kind };
}

export function closeSession(db: Queryable, token: string): Promise<void> {
  return repo.deleteSession(db, hashToken(token));
}
