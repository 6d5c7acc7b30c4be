/**
 * The one error type below the HTTP layer. Codes say what went wrong in domain terms;
 * only src/http maps them to status codes (see ERROR_STATUS there).
 */
export type ErrorCode =
  | 'invalid_input' // a field is missing or malformed; `fields` names each one
  | 'unauthenticated' // no valid session or token
  | 'invalid_credentials'
  | 'too_many_attempts' // sign-in throttled
  | 'forbidden' // signed in, but the role or scope does not allow it
  | 'not_found'
  | 'conflict' // a unique value is taken (email, phone)
  | 'illegal_transition' // the lifecycle table does not allow this action now
  | 'answer_only_promises' // a "final answer" that only promises action
  | 'attachment_too_large'
  | 'attachment_type_not_allowed'
  | 'attachment_type_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused' // an Idempotency-Key sent again with another request
  | 'idempotency_in_progress' // the first request with this key has not finished yet
  | 'server_busy' // a bounded queue (attachment processing) is full: try again shortly
  | 'data_dir_locked';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  /** For too_many_attempts: when the caller may try again. */
  retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }
}

/**
 * Names a bad field in an error's `fields`, the first message for it winning. Defined, not
 * assigned, so that a field named "__proto__" is reported like any other instead of vanishing.
 */
export function putField(fields: Record<string, string>, name: string, message: string): void {
  if (Object.hasOwn(fields, name)) return;
  Object.defineProperty(fields, name, { value: message, enumerable: true, writable: true, configurable: true });
}

export function invalidInput(fields: Record<string, string>, message = 'Input tidak valid / Invalid input'): AppError {
  return new AppError('invalid_input', message, fields);
}
