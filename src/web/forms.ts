import type { Context } from 'hono';
import { AppError } from '../errors.ts';
import { readCapped } from '../http/request-body.ts';
import { cleanForm } from '../http/sanitize.ts';

/**
 * A plain HTML form's body, read once under a size limit and cleaned like every API body (NUL and
 * control characters refused, text normalised). Only the two media types a browser's form sends
 * are taken. Text fields come back as strings (the last value of a repeated name), files apart.
 */
export interface PostedForm {
  fields: Record<string, string>;
  files: File[];
  /** Field → problem found while cleaning (a NUL byte, say): shown next to the field. */
  problems: Record<string, string>;
}

export const FORM_LIMIT = 64 * 1024;

export async function readForm(c: Context, maxBytes = FORM_LIMIT): Promise<PostedForm> {
  const contentType = c.req.header('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'multipart/form-data') {
    throw new AppError('unsupported_media_type', 'Kirim lewat formulir / Send it through the form');
  }
  const bytes = c.req.raw.body ? await readCapped(c, maxBytes) : new Uint8Array(0);
  let form: FormData;
  try {
    form = await new Request('http://form.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: bytes as Uint8Array<ArrayBuffer>,
    }).formData();
  } catch {
    throw new AppError('invalid_input', 'Formulir tidak dapat dibaca / The form could not be read');
  }
  const problems: Record<string, string> = {};
  const cleaned = cleanForm(form, problems);
  const fields: Record<string, string> = {};
  const files: File[] = [];
  for (const [name, value] of cleaned.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (value.size > 0 || value.name !== '') files.push(value);
  }
  return { fields, files: files.filter((f) => f.size > 0), problems };
}

/** Where to go after signing in: a path on this site only, never another origin. */
export function safeNext(raw: string | undefined | null, fallback = '/'): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\r\n]/.test(raw)) return fallback;
  return raw!.slice(0, 500);
}

/** Field errors of an AppError, or one general message under `_`. */
export function fieldErrors(err: AppError): Record<string, string> {
  return err.fields && Object.keys(err.fields).length > 0 ? err.fields : { _: err.message };
}
