import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError, z } from 'zod';
import { AppError, type ErrorCode, invalidInput } from '../errors.ts';

/** The one place that knows HTTP status codes. */
export const ERROR_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  payload_too_large: 413,
  attachment_too_large: 413,
  unsupported_media_type: 415,
  attachment_type_not_allowed: 415,
  attachment_type_mismatch: 415,
  answer_only_promises: 422,
  too_many_attempts: 429,
  data_dir_locked: 503,
  server_busy: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function errorBody(code: string, message: string, fields?: Record<string, string>): ErrorBody {
  return { error: fields ? { code, message, fields } : { code, message } };
}

/** Names each bad field by its path ("attachments.0", "location.latitude"). */
export function fieldsFromZod(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * PostgreSQL text cannot hold U+0000; a string carrying one must be refused as input, field by
 * field, before it reaches a query and fails there.
 */
export function findNulFields(value: unknown, path: string[] = [], out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[path.join('.') || '_'] = 'Karakter NUL tidak diizinkan / NUL characters are not allowed';
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findNulFields(v, [...path, String(i)], out));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Blob)) {
    for (const [k, v] of Object.entries(value)) findNulFields(v, [...path, k], out);
  }
  return out;
}

/** Validates with a schema and refuses NUL characters; throws AppError('invalid_input') naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const nul = findNulFields(data);
  if (Object.keys(nul).length > 0) throw invalidInput(nul);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalidInput(fieldsFromZod(parsed.error));
  return parsed.data;
}

export function validationFailed(c: Context, error: ZodError) {
  return c.json(errorBody('invalid_input', 'Input tidak valid / Invalid input', fieldsFromZod(error)), 400);
}

export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody(err.code, err.message, err.fields), ERROR_STATUS[err.code]);
  }
  if (err instanceof HTTPException) {
    // Hono raises these for malformed bodies (bad JSON, broken multipart) and body limits.
    const status = err.status;
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_input';
    const message =
      status === 413
        ? 'Permintaan terlalu besar / Request too large'
        : status >= 500
          ? 'Kesalahan server / Server error'
          : `Permintaan tidak valid / Malformed request: ${err.message || 'unreadable body'}`;
    return c.json(errorBody(code, message), status >= 500 ? 500 : (status as ContentfulStatusCode));
  }
  // Data the validators let through but PostgreSQL cannot store (class 22: data exceptions) is
  // still the client's input, never a server fault.
  const sqlState = (err as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return c.json(errorBody('invalid_input', `Input tidak valid / Invalid input: ${err.message}`), 400);
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody('internal', 'Kesalahan server / Internal server error'), 500);
}
