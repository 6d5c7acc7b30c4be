import type { Queryable } from '../../db/db.ts';
import { type Sql, query, sql } from '../../db/sql.ts';

/** The SQL of the integration API: apps (integrator accounts), their keys, webhooks and delivery log. */

export interface IntegratorRow {
  id: number;
  name: string;
  email: string | null;
  body_id: number;
  body_name: string;
  disabled_at: Date | null;
  active_keys: number;
  last_used_at: Date | null;
  webhook_url: string | null;
  webhook_active: boolean | null;
}

/** The integrator accounts a condition on `u` allows, with what the admin's list shows of each. */
export async function selectIntegrators(
  db: Queryable,
  scope: Sql,
  now: Date,
  page: { limit: number; offset: number; id?: number },
): Promise<{ rows: IntegratorRow[]; total: number }> {
  const where = sql`u.role = 'integrator' AND ${scope}${page.id === undefined ? sql`` : sql` AND u.id = ${page.id}`}`;
  const rows = await query<IntegratorRow>(
    db,
    sql`SELECT ${columnsAt(now)}
          FROM users u JOIN bodies b ON b.id = u.body_id LEFT JOIN integration_webhooks w ON w.integrator_id = u.id
         WHERE ${where} ORDER BY b.name, u.name, u.id LIMIT ${page.limit} OFFSET ${page.offset}`,
  );
  const [count] = await query<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users u WHERE ${where}`);
  return { rows, total: count?.n ?? 0 };
}

function columnsAt(now: Date): Sql {
  return sql`u.id, u.name, u.email, u.body_id, b.name AS body_name, u.disabled_at,
    (SELECT count(*) FROM integration_keys k WHERE k.integrator_id = u.id AND (k.revoked_at IS NULL OR k.revoked_at > ${now}))::int AS active_keys,
    (SELECT max(k.last_used_at) FROM integration_keys k WHERE k.integrator_id = u.id) AS last_used_at,
    w.url AS webhook_url, w.active AS webhook_active`;
}

export interface KeyRow {
  id: number;
  integrator_id: number;
  name: string;
  prefix: string;
  created_at: Date;
  created_by_name: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  replaced_by: number | null;
}

const KEY_COLUMNS = `k.id, k.integrator_id, k.name, k.prefix, k.created_at, cb.name AS created_by_name, k.last_used_at, k.revoked_at, k.replaced_by`;

export function selectKeys(db: Queryable, integratorId: number): Promise<KeyRow[]> {
  return db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM integration_keys k LEFT JOIN users cb ON cb.id = k.created_by
      WHERE k.integrator_id = $1 ORDER BY k.id DESC`,
    [integratorId],
  );
}

export async function selectKey(db: Queryable, integratorId: number, keyId: number, forUpdate = false): Promise<KeyRow | null> {
  const rows = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM integration_keys k LEFT JOIN users cb ON cb.id = k.created_by
      WHERE k.integrator_id = $1 AND k.id = $2${forUpdate ? ' FOR UPDATE OF k' : ''}`,
    [integratorId, keyId],
  );
  return rows[0] ?? null;
}

export async function insertKey(
  db: Queryable,
  k: { integratorId: number; name: string; prefix: string; hash: Buffer; createdBy: number | null; at: Date },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO integration_keys (integrator_id, name, prefix, key_hash, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [k.integratorId, k.name, k.prefix, k.hash, k.at, k.createdBy],
  );
  return row!.id;
}

/** Ends a key at `at` (now, or after a grace period); a key that ends sooner already keeps its end. */
export async function revokeKeyAt(db: Queryable, keyId: number, at: Date, by: number | null, replacedBy: number | null): Promise<void> {
  await db.query(
    `UPDATE integration_keys
        SET revoked_at = CASE WHEN revoked_at IS NOT NULL AND revoked_at < $2 THEN revoked_at ELSE $2 END,
            revoked_by = COALESCE(revoked_by, $3), replaced_by = COALESCE($4, replaced_by)
      WHERE id = $1`,
    [keyId, at, by, replacedBy],
  );
}

export interface KeyOwnerRow {
  key_id: number;
  user_id: number;
  name: string;
  body_id: number;
  last_used_at: Date | null;
}

/** The live key with this hash and its account: an integrator, not disabled. */
export async function findLiveKey(db: Queryable, hash: Buffer, now: Date): Promise<KeyOwnerRow | null> {
  const rows = await db.query<KeyOwnerRow>(
    `SELECT k.id AS key_id, u.id AS user_id, u.name, u.body_id, k.last_used_at
       FROM integration_keys k JOIN users u ON u.id = k.integrator_id
      WHERE k.key_hash = $1 AND (k.revoked_at IS NULL OR k.revoked_at > $2)
        AND u.role = 'integrator' AND u.disabled_at IS NULL`,
    [hash, now],
  );
  return rows[0] ?? null;
}

export async function touchKey(db: Queryable, keyId: number, now: Date): Promise<void> {
  await db.query('UPDATE integration_keys SET last_used_at = $2 WHERE id = $1', [keyId, now]);
}

export interface WebhookRow {
  integrator_id: number;
  url: string;
  secret: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  /** The app's account is an integrator's and not disabled: a disabled app hears nothing. */
  app_active?: boolean;
}

export async function selectWebhook(db: Queryable, integratorId: number): Promise<WebhookRow | null> {
  const rows = await db.query<WebhookRow>(
    `SELECT w.integrator_id, w.url, w.secret, w.active, w.created_at, w.updated_at,
            (u.role = 'integrator' AND u.disabled_at IS NULL) AS app_active
       FROM integration_webhooks w JOIN users u ON u.id = w.integrator_id WHERE w.integrator_id = $1`,
    [integratorId],
  );
  return rows[0] ?? null;
}

/** Sets an app's webhook; a new secret only when one is given (the first time, or a rotation). */
export async function upsertWebhook(
  db: Queryable,
  w: { integratorId: number; url: string; secret: string | null; by: number; at: Date },
): Promise<WebhookRow> {
  const [row] = await db.query<WebhookRow>(
    `INSERT INTO integration_webhooks (integrator_id, url, secret, active, created_at, updated_at, updated_by)
     VALUES ($1, $2, COALESCE($3::text, ''), true, $5, $5, $4)
     ON CONFLICT (integrator_id) DO UPDATE
       SET url = EXCLUDED.url, secret = COALESCE($3::text, integration_webhooks.secret), active = true,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING integrator_id, url, secret, active, created_at, updated_at`,
    [w.integratorId, w.url, w.secret, w.by, w.at],
  );
  return row!;
}

export async function deactivateWebhook(db: Queryable, integratorId: number, by: number, at: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE integration_webhooks SET active = false, updated_at = $3, updated_by = $2 WHERE integrator_id = $1 AND active RETURNING 1',
    [integratorId, by, at],
  );
  return rows.length > 0;
}

export interface DeliveryRow {
  id: number;
  outbox_id: number;
  event_id: number | null;
  attempt: number;
  url: string;
  at: Date;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
  outbox_status: string;
}

export async function insertDelivery(
  db: Queryable,
  d: {
    outboxId: number;
    integratorId: number;
    eventId: number | null;
    attempt: number;
    url: string;
    at: Date;
    httpStatus: number | null;
    latencyMs: number | null;
    error: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (outbox_id, integrator_id, event_id, attempt, url, at, http_status, latency_ms, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [d.outboxId, d.integratorId, d.eventId, d.attempt, d.url, d.at, d.httpStatus, d.latencyMs, d.error],
  );
}

export async function selectDeliveries(
  db: Queryable,
  integratorId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const rows = await db.query<DeliveryRow>(
    `SELECT d.id, d.outbox_id, d.event_id, d.attempt, d.url, d.at, d.http_status, d.latency_ms, d.error, o.status AS outbox_status
       FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
      WHERE d.integrator_id = $1 ORDER BY d.id DESC LIMIT $2 OFFSET $3`,
    [integratorId, page.limit, page.offset],
  );
  const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries WHERE integrator_id = $1', [
    integratorId,
  ]);
  return { rows, total: count?.n ?? 0 };
}
