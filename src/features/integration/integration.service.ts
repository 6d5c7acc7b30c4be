import { createHash, randomBytes } from 'node:crypto';
import type { AppDeps } from '../../deps.ts';
import type { Queryable } from '../../db/db.ts';
import { type Sql, sql } from '../../db/sql.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';
import * as repo from './integration.repository.ts';
import { checkWebhookUrl } from './webhook-url.ts';

/**
 * Local government apps (issue 11 §4), the admin's side: each app is an integrator account of one
 * body. Its body's admins (an agency admin for its body and the units below it; a national admin
 * for any) make, rotate and revoke its API keys, set its webhook and read the webhook's delivery
 * log. Another body's app is not found (404), as if it did not exist.
 *
 * A key is `lpr_live_` and 32 random bytes (base64url), shown once when it is made; only its
 * sha256 is kept, with its first characters to tell keys apart.
 */

export const API_KEY_PREFIX = 'lpr_live_';
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
/** The longest a rotated key keeps working beside its successor. */
export const MAX_GRACE_MINUTES = 7 * 24 * 60;
/** last_used_at is written at most this often per key, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export const isApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);
const hashKey = (token: string) => createHash('sha256').update(token).digest();

const notFound = () => new AppError('not_found', 'Aplikasi tidak ditemukan / App not found');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface AppJson {
  id: number;
  name: string;
  email: string | null;
  body: { id: number; name: string };
  disabled: boolean;
  activeKeys: number;
  lastUsedAt: string | null;
  webhook: { url: string; active: boolean } | null;
}

function appJson(r: repo.IntegratorRow): AppJson {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    body: { id: r.body_id, name: r.body_name },
    disabled: r.disabled_at !== null,
    activeKeys: r.active_keys,
    lastUsedAt: iso(r.last_used_at),
    webhook: r.webhook_url === null ? null : { url: r.webhook_url, active: r.webhook_active === true },
  };
}

export interface KeyJson {
  id: number;
  name: string;
  /** The key's first characters, e.g. "lpr_live_Ab12Cd…": enough to tell keys apart, never to use one. */
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  /** When it stopped, or stops, working (a rotation's grace period); null while it works. */
  revokedAt: string | null;
  active: boolean;
  replacedBy: number | null;
}

function keyJson(k: repo.KeyRow, now: Date): KeyJson {
  return {
    id: k.id,
    name: k.name,
    prefix: `${k.prefix}…`,
    createdAt: k.created_at.toISOString(),
    createdBy: k.created_by_name,
    lastUsedAt: iso(k.last_used_at),
    revokedAt: iso(k.revoked_at),
    active: k.revoked_at === null || k.revoked_at > now,
    replacedBy: k.replaced_by,
  };
}

export interface WebhookJson {
  url: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

const webhookJson = (w: repo.WebhookRow): WebhookJson => ({
  url: w.url,
  active: w.active,
  createdAt: w.created_at.toISOString(),
  updatedAt: w.updated_at.toISOString(),
});

/** The apps an admin manages, as a condition on `u` (users); forbidden for every other role. */
function managedScope(admin: Principal): Sql {
  if (admin.role === 'national_admin') return sql`TRUE`;
  if (admin.role === 'agency_admin' && admin.bodyId !== null) {
    return sql`u.body_id IN (SELECT id FROM bodies WHERE path @> ARRAY[${admin.bodyId}::bigint])`;
  }
  throw new AppError('forbidden', 'Hanya admin instansi / Body admins only');
}

export async function listApps(deps: AppDeps, admin: Principal, page: { page: number; perPage: number }) {
  const { rows, total } = await repo.selectIntegrators(deps.db, managedScope(admin), deps.now(), {
    limit: page.perPage,
    offset: (page.page - 1) * page.perPage,
  });
  return { items: rows.map(appJson), total, page: page.page, perPage: page.perPage };
}

/** One app the admin manages, or 404. */
export async function managedApp(db: Queryable, admin: Principal, id: number, now: Date): Promise<repo.IntegratorRow> {
  const { rows } = await repo.selectIntegrators(db, managedScope(admin), now, { limit: 1, offset: 0, id });
  if (!rows[0]) throw notFound();
  return rows[0];
}

export async function getApp(deps: AppDeps, admin: Principal, id: number) {
  const now = deps.now();
  const app = await managedApp(deps.db, admin, id, now);
  const [keys, webhook] = await Promise.all([repo.selectKeys(deps.db, app.id), repo.selectWebhook(deps.db, app.id)]);
  return { app: appJson(app), keys: keys.map((k) => keyJson(k, now)), webhook: webhook ? webhookJson(webhook) : null };
}

function newKey(): { token: string; prefix: string; hash: Buffer } {
  const token = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashKey(token) };
}

function checkKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', { name: 'Wajib diisi / Required' });
  if (trimmed.length > 100) {
    throw new AppError('invalid_input', 'Input tidak valid / Invalid input', {
      name: 'Paling banyak 100 karakter / At most 100 characters',
    });
  }
  return trimmed;
}

function refuseDisabled(app: repo.IntegratorRow): void {
  if (app.disabled_at !== null) {
    throw new AppError('conflict', 'Akun aplikasi ini nonaktif; aktifkan dulu / This app’s account is disabled; enable it first');
  }
}

/** A new key for an app; the key itself is in the answer once, and nowhere after. */
export async function createKey(deps: AppDeps, admin: Principal, appId: number, name: string): Promise<{ key: KeyJson; token: string }> {
  const now = deps.now();
  const app = await managedApp(deps.db, admin, appId, now);
  refuseDisabled(app);
  const keyName = checkKeyName(name);
  const made = newKey();
  const id = await repo.insertKey(deps.db, {
    integratorId: app.id,
    name: keyName,
    prefix: made.prefix,
    hash: made.hash,
    createdBy: admin.userId,
    at: now,
  });
  return { key: keyJson((await repo.selectKey(deps.db, app.id, id))!, now), token: made.token };
}

/**
 * A new key in place of an old one: the old one stops working now, or after `graceMinutes` so the
 * app can switch without a gap. A key already rotated or revoked is not rotated again (409).
 */
export async function rotateKey(
  deps: AppDeps,
  admin: Principal,
  appId: number,
  keyId: number,
  options: { graceMinutes?: number; name?: string },
): Promise<{ key: KeyJson; token: string; replaced: KeyJson }> {
  const now = deps.now();
  const grace = options.graceMinutes ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_MINUTES) {
    throw new AppError('invalid_input', 'Input tidak valid / Invalid input', {
      graceMinutes: `0 sampai ${MAX_GRACE_MINUTES} menit / 0 to ${MAX_GRACE_MINUTES} minutes`,
    });
  }
  const app = await managedApp(deps.db, admin, appId, now);
  refuseDisabled(app);
  return deps.db.transaction(async (tx) => {
    const old = await repo.selectKey(tx, app.id, keyId, true);
    if (!old) throw new AppError('not_found', 'Kunci tidak ditemukan / Key not found');
    if (old.replaced_by !== null) {
      throw new AppError('conflict', 'Kunci ini sudah diganti; ganti kunci yang baru / This key was rotated already; rotate its successor');
    }
    if (old.revoked_at !== null && old.revoked_at <= now) throw new AppError('conflict', 'Kunci ini sudah dicabut / This key is revoked');
    const made = newKey();
    const name = options.name === undefined ? old.name : checkKeyName(options.name);
    const id = await repo.insertKey(tx, {
      integratorId: app.id,
      name,
      prefix: made.prefix,
      hash: made.hash,
      createdBy: admin.userId,
      at: now,
    });
    await repo.revokeKeyAt(tx, old.id, new Date(now.getTime() + grace * 60_000), admin.userId, id);
    return {
      key: keyJson((await repo.selectKey(tx, app.id, id))!, now),
      token: made.token,
      replaced: keyJson((await repo.selectKey(tx, app.id, old.id))!, now),
    };
  });
}

/** Stops a key now (a grace period left by a rotation included). Revoking a revoked key changes nothing. */
export async function revokeKey(deps: AppDeps, admin: Principal, appId: number, keyId: number): Promise<KeyJson> {
  const now = deps.now();
  const app = await managedApp(deps.db, admin, appId, now);
  const key = await repo.selectKey(deps.db, app.id, keyId);
  if (!key) throw new AppError('not_found', 'Kunci tidak ditemukan / Key not found');
  if (key.revoked_at === null || key.revoked_at > now) await repo.revokeKeyAt(deps.db, key.id, now, admin.userId, null);
  return keyJson((await repo.selectKey(deps.db, app.id, key.id))!, now);
}

/** The app behind an API key, or null: a live key of an integrator account that is not disabled. */
export async function resolveApiKey(db: Queryable, token: string, now: Date): Promise<Principal | null> {
  if (!isApiKey(token)) return null;
  const found = await repo.findLiveKey(db, hashKey(token), now);
  if (!found) return null;
  if (!found.last_used_at || now.getTime() - found.last_used_at.getTime() >= TOUCH_EVERY_MS) await repo.touchKey(db, found.key_id, now);
  return { userId: found.user_id, role: 'integrator', name: found.name, bodyId: found.body_id };
}

// ---- webhooks ----

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Sets where an app hears of its reports. The first time (or with `rotateSecret`) a new signing
 * secret is made and returned, once; changing only the URL keeps the secret the app has.
 */
async function setWebhookOf(
  deps: AppDeps,
  appId: number,
  actorId: number,
  input: { url: string; rotateSecret?: boolean },
): Promise<{ webhook: WebhookJson; secret: string | null }> {
  const url = await checkWebhookUrl(input.url, { allowPrivate: deps.config.webhookAllowPrivate });
  const existing = await repo.selectWebhook(deps.db, appId);
  const secret = !existing || input.rotateSecret ? newSecret() : null;
  const row = await repo.upsertWebhook(deps.db, { integratorId: appId, url, secret, by: actorId, at: deps.now() });
  return { webhook: webhookJson(row), secret };
}

export async function setAppWebhook(deps: AppDeps, admin: Principal, appId: number, input: { url: string; rotateSecret?: boolean }) {
  const app = await managedApp(deps.db, admin, appId, deps.now());
  return setWebhookOf(deps, app.id, admin.userId, input);
}

export async function removeAppWebhook(deps: AppDeps, admin: Principal, appId: number): Promise<{ removed: boolean }> {
  const app = await managedApp(deps.db, admin, appId, deps.now());
  return { removed: await repo.deactivateWebhook(deps.db, app.id, admin.userId, deps.now()) };
}

/** The app's own account, as its key or session resolved it. */
function ownApp(principal: Principal): number {
  if (principal.role !== 'integrator') throw new AppError('forbidden', 'Hanya untuk aplikasi integrasi / Integration apps only');
  return principal.userId;
}

export async function getOwnWebhook(deps: AppDeps, app: Principal): Promise<WebhookJson | null> {
  const row = await repo.selectWebhook(deps.db, ownApp(app));
  return row?.active ? webhookJson(row) : null;
}

export function setOwnWebhook(deps: AppDeps, app: Principal, input: { url: string; rotateSecret?: boolean }) {
  return setWebhookOf(deps, ownApp(app), app.userId, input);
}

export async function removeOwnWebhook(deps: AppDeps, app: Principal): Promise<{ removed: boolean }> {
  return { removed: await repo.deactivateWebhook(deps.db, ownApp(app), app.userId, deps.now()) };
}

export interface DeliveryJson {
  id: number;
  at: string;
  eventId: number | null;
  attempt: number;
  url: string;
  httpStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  /** The message's state: 'sent', 'pending' (a retry is due), 'sending' or 'failed' (given up). */
  messageStatus: string;
}

async function deliveriesOf(deps: AppDeps, appId: number, page: { page: number; perPage: number }) {
  const { rows, total } = await repo.selectDeliveries(deps.db, appId, { limit: page.perPage, offset: (page.page - 1) * page.perPage });
  const items: DeliveryJson[] = rows.map((d) => ({
    id: d.id,
    at: d.at.toISOString(),
    eventId: d.event_id,
    attempt: d.attempt,
    url: d.url,
    httpStatus: d.http_status,
    latencyMs: d.latency_ms,
    error: d.error,
    messageStatus: d.outbox_status,
  }));
  return { items, total, page: page.page, perPage: page.perPage };
}

export async function listAppDeliveries(deps: AppDeps, admin: Principal, appId: number, page: { page: number; perPage: number }) {
  const app = await managedApp(deps.db, admin, appId, deps.now());
  return deliveriesOf(deps, app.id, page);
}

export function listOwnDeliveries(deps: AppDeps, app: Principal, page: { page: number; perPage: number }) {
  return deliveriesOf(deps, ownApp(app), page);
}
