import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError, z } from 'zod';
import { AppError, type ErrorCode, invalidInput, putField } from '../errors.ts';
import type { AppEnv } from './context.ts';
import { installBilingualMessages, unknownFieldMessage } from './zod-messages.ts';

installBilingualMessages();

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
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  attachment_type_not_allowed: 415,
  attachment_type_mismatch: 415,
  answer_only_promises: 422,
  too_many_attempts: 429,
  data_dir_locked: 503,
  server_busy: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; requestId?: string };
}

/** Every error a client gets names the request, so that support can find its log line. */
export function errorBody(c: Context, code: string, message: string, fields?: Record<string, string>): ErrorBody {
  const requestId = (c as Context<AppEnv>).get('requestId') as string | undefined;
  return { error: { code, message, ...(fields ? { fields } : {}), ...(requestId ? { requestId } : {}) } };
}

/**
 * Names each bad field by its path ("attachments.0", "location.latitude"); a field the schema does
 * not know is named itself, with a hint where the intended field is plain.
 */
function fieldsFromZod(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) putField(fields, [...issue.path, key].join('.'), unknownFieldMessage(key));
      continue;
    }
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    putField(fields, key, issue.message);
  }
  return fields;
}

/**
 * PostgreSQL text cannot hold U+0000; a string carrying one must be refused as input, field by
 * field, before it reaches a query and fails there.
 */
export function findNulFields(value: unknown, path: string[] = [], out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) putField(out, path.join('.') || '_', 'Karakter NUL tidak diizinkan / NUL characters are not allowed');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      findNulFields(v, [...path, String(i)], out);
    });
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
  return c.json(errorBody(c, 'invalid_input', 'Input tidak valid / Invalid input', fieldsFromZod(error)), 400);
}

/**
 * PostgreSQL's own words never reach a client (they name tables, columns and values); data
 * exceptions (class 22) are the client's input all the same, so they get a 400 in our words.
 */
const DATA_EXCEPTION_MESSAGES: Record<string, string> = {
  '22001': 'Teks terlalu panjang / Text too long',
  '22003': 'Angka di luar jangkauan / Number out of range',
  '22007': 'Tanggal atau waktu tidak valid / Invalid date or time',
  '22008': 'Tanggal atau waktu di luar jangkauan / Date or time out of range',
  '22P02': 'Format nilai tidak valid / Invalid value format',
  '22021': 'Karakter tidak valid dalam teks / Invalid character in text',
};

export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody(c, err.code, err.message, err.fields), ERROR_STATUS[err.code]);
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
    return c.json(errorBody(c, code, message), status >= 500 ? 500 : (status as ContentfulStatusCode));
  }
  const sqlState = (err as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    const message = DATA_EXCEPTION_MESSAGES[sqlState] ?? 'Nilai tidak dapat disimpan / Value cannot be stored';
    return c.json(errorBody(c, 'invalid_input', `Input tidak valid / Invalid input: ${message}`), 400);
  }
  // The log line names the request; the client gets only the request ID. PostgreSQL's `detail`
  // and parameters are left out of the log, since they can hold personal data.
  (c as Context<AppEnv>)
    .get('log')
    ?.error({ err: { type: err.name, message: err.message, code: sqlState, stack: err.stack } }, 'request failed');
  return c.json(errorBody(c, 'internal', 'Kesalahan server / Internal server error'), 500);
}
