import { putField } from '../errors.ts';

/**
 * Text as it arrives is cleaned before any schema sees it: bidirectional controls (which can make
 * "gpj.exe" display as "exe.jpg", or reorder a sentence an officer reads) and stray control
 * characters are removed; zero-width spaces and joiners that only hide words from search are
 * removed; and a value made only of invisible characters is refused, since it would pass a
 * "required" check while saying nothing.
 */

const REMOVED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Whitespace, format characters and the blank "letters" (Hangul fillers, braille blank…) that render as nothing. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each joiner and selector is meant on its own, as a code point (u flag)
const INVISIBLE_ONLY = /^[\s\p{Cf}\p{Z}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0]*$/u;

const INVISIBLE_MESSAGE = 'Hanya berisi karakter tak terlihat / Contains only invisible characters';

/** Passwords are compared as typed; cleaning them would change what the owner chose. */
const UNTOUCHED_KEY = /password/i;

function cleanText(value: string): { text: string; invisibleOnly: boolean } {
  const text = value.replace(REMOVED, '');
  const invisibleOnly = text.trim().length > 0 && INVISIBLE_ONLY.test(text);
  return { text, invisibleOnly };
}

/** Cleans every string in a parsed JSON value; each invisible-only string is named in `problems`. */
export function cleanJson(value: unknown, problems: Record<string, string>, path: string[] = []): unknown {
  if (typeof value === 'string') {
    const { text, invisibleOnly } = cleanText(value);
    if (invisibleOnly) putField(problems, path.join('.') || '_', INVISIBLE_MESSAGE);
    return text;
  }
  if (Array.isArray(value)) return value.map((v, i) => cleanJson(v, problems, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      // Defined, not assigned: a "__proto__" key stays an own (and so unknown, refused) field
      // instead of becoming the copy's prototype, whose properties a schema would then read.
      Object.defineProperty(out, key, {
        value: UNTOUCHED_KEY.test(key) ? v : cleanJson(v, problems, [...path, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** The same for a multipart form: text fields, and the names of the files (shown to the reporter). */
export function cleanForm(form: FormData, problems: Record<string, string>): FormData {
  const out = new FormData();
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      if (UNTOUCHED_KEY.test(key)) {
        out.append(key, value);
        continue;
      }
      const { text, invisibleOnly } = cleanText(value);
      if (invisibleOnly) putField(problems, key, INVISIBLE_MESSAGE);
      out.append(key, text);
    } else {
      const name = cleanText(value.name).text;
      out.append(key, name === value.name ? value : new File([value], name, { type: value.type, lastModified: value.lastModified }));
    }
  }
  return out;
}
