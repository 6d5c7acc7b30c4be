import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Queryable } from '../db/db.ts';
import { AppError, invalidInput } from '../errors.ts';
import type { AppDeps, AppEnv } from './context.ts';
import type { ParsedBody } from './request-body.ts';

/**
 * `Idempotency-Key` on every POST that creates or changes something (sign-in and session routes
 * excepted: their answer is a new secret each time). Phones on bad networks retry:
 * - a retry with the same key and the same request gets the first response again, for 24 hours;
 * - the same key with another request is refused (422);
 * - parallel requests with one key make one effect: the first claims the key in one atomic
 *   INSERT, the others wait for its response and get it.
 * Only successful responses are kept; a refused request can be corrected and sent again under the
 * same key. A claim abandoned by a crashed process is taken over after LEASE_MS.
 */

const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const LEASE_MS = 60_000;
const WAIT_MS = 15_000;
const POLL_MS = 50;
const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

function applies(method: string, path: string): boolean {
  if (method !== 'POST' || !path.startsWith('/api/')) return false;
  return !path.startsWith('/api/v1/auth/') || path === '/api/v1/auth/register';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The request as a canonical byte string: JSON with sorted keys; a form field by field (a multipart boundary differs between retries). */
async function canonicalRequest(method: string, path: string, key: string, body: ParsedBody | null): Promise<Buffer> {
  const hash = createHash('sha256').update(`${method} ${path}\n${key}\n`);
  if (body?.kind === 'json') hash.update(`json\n${JSON.stringify(sortKeys(body.value))}`);
  else if (body?.kind === 'form') {
    hash.update('form\n');
    for (const [name, value] of body.value.entries()) {
      if (typeof value === 'string') hash.update(`s ${name.length}:${name} ${value.length}:${value}\n`);
      else {
        const digest = createHash('sha256')
          .update(new Uint8Array(await value.arrayBuffer()))
          .digest('hex');
        hash.update(`f ${name.length}:${name} ${value.name.length}:${value.name} ${value.type} ${digest}\n`);
      }
    }
  } else if (body?.kind === 'raw') hash.update(`raw ${body.mediaType}\n`).update(body.value);
  return hash.digest();
}

function derive(label: string, canonical: Buffer): Buffer {
  return createHash('sha256').update(label).update(canonical).digest();
}

function seal(key: Buffer, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

interface KeyRow {
  fingerprint: Buffer;
  state: 'pending' | 'done';
  status: number | null;
  content_type: string | null;
  response: Buffer | null;
  locked_until: Date;
  expires_at: Date;
}

async function claim(db: Queryable, scope: string, key: string, fingerprint: Buffer, now: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, state, created_at, locked_until, expires_at)
     VALUES ($1, $2, $3, 'pending', $4, $5, $6)
     ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
    [scope, key, fingerprint, now, new Date(now.getTime() + LEASE_MS), new Date(now.getTime() + IDEMPOTENCY_TTL_MS)],
  );
  return rows.length > 0;
}

/** Takes over a key whose 24 hours are over, or whose first request was abandoned mid-way. */
async function takeOver(db: Queryable, scope: string, key: string, fingerprint: Buffer, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE idempotency_keys
        SET fingerprint = $3, state = 'pending', status = NULL, content_type = NULL, response = NULL,
            created_at = $4, locked_until = $5, expires_at = $6
      WHERE scope = $1 AND key = $2
        AND (expires_at <= $4 OR (state = 'pending' AND locked_until <= $4 AND fingerprint = $3))
      RETURNING 1`,
    [scope, key, fingerprint, now, new Date(now.getTime() + LEASE_MS), new Date(now.getTime() + IDEMPOTENCY_TTL_MS)],
  );
  return rows.length > 0;
}

async function readKey(db: Queryable, scope: string, key: string): Promise<KeyRow | null> {
  const rows = await db.query<KeyRow>(
    'SELECT fingerprint, state, status, content_type, response, locked_until, expires_at FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  return rows[0] ?? null;
}

/** Deletes keys past their 24 hours; the worker calls it with each sweep. */
export async function purgeExpiredIdempotencyKeys(db: Queryable, now: Date): Promise<number> {
  const rows = await db.query('DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING 1', [now]);
  return rows.length;
}

export function idempotency(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !applies(c.req.method, c.req.path)) return next();
    if (!KEY_PATTERN.test(key)) {
      throw invalidInput({ 'Idempotency-Key': '1–255 karakter ASCII yang terlihat / 1–255 visible ASCII characters' });
    }
    const principal = c.get('principal');
    const scope = principal ? `user:${principal.userId}` : 'anonymous';
    const canonical = await canonicalRequest(c.req.method, c.req.path, key, c.get('body'));
    const fingerprint = derive('lapor.idempotency.fingerprint', canonical);
    const sealKey = derive('lapor.idempotency.seal', canonical);

    let claimed = await claim(deps.db, scope, key, fingerprint, deps.now());
    const waitUntil = Date.now() + WAIT_MS;
    while (!claimed) {
      const row = await readKey(deps.db, scope, key);
      const now = deps.now();
      if (!row) {
        claimed = await claim(deps.db, scope, key, fingerprint, now);
        continue;
      }
      if (row.expires_at <= now || (row.state === 'pending' && row.locked_until <= now)) {
        if (await takeOver(deps.db, scope, key, fingerprint, now)) {
          claimed = true;
          break;
        }
      }
      if (!Buffer.from(row.fingerprint).equals(fingerprint)) {
        throw new AppError(
          'idempotency_key_reused',
          'Idempotency-Key ini sudah dipakai untuk permintaan lain / This Idempotency-Key was used for another request',
        );
      }
      if (row.state === 'done') {
        const body = open(sealKey, Buffer.from(row.response!));
        return c.body(new Uint8Array(body), row.status as 200, {
          'content-type': row.content_type ?? 'application/json',
          'idempotent-replayed': 'true',
        });
      }
      if (Date.now() >= waitUntil) {
        const error = new AppError(
          'idempotency_in_progress',
          'Permintaan pertama dengan kunci ini masih diproses; coba lagi sebentar / The first request with this key is still being processed; retry shortly',
        );
        error.retryAfterSeconds = 1;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    await next();
    const res = c.res;
    if (res.status >= 200 && res.status < 300) {
      const body = new Uint8Array(await res.clone().arrayBuffer());
      await deps.db.query(
        `UPDATE idempotency_keys SET state = 'done', status = $4, content_type = $5, response = $6
          WHERE scope = $1 AND key = $2 AND fingerprint = $3 AND state = 'pending'`,
        [scope, key, fingerprint, res.status, res.headers.get('content-type'), seal(sealKey, body)],
      );
    } else {
      await deps.db.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND fingerprint = $3 AND state = 'pending'`, [
        scope,
        key,
        fingerprint,
      ]);
    }
  };
}
