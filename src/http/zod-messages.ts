import { z } from '@hono/zod-openapi';

/**
 * Every validation message in both languages, saying what is wrong: too long, too small, out of
 * range, the wrong type. Installed once as zod's global error map; a message a schema gives
 * itself still wins.
 */

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['teks', 'text'],
  number: ['angka', 'a number'],
  int: ['bilangan bulat', 'a whole number'],
  boolean: ['true atau false', 'true or false'],
  object: ['objek JSON', 'a JSON object'],
  array: ['daftar', 'a list'],
  date: ['tanggal', 'a date'],
  file: ['berkas', 'a file'],
};

const FORMAT_NAMES: Record<string, [string, string]> = {
  email: ['alamat email', 'an email address'],
  date: ['tanggal ISO, mis. 2026-11-20', 'an ISO date, e.g. 2026-11-20'],
  datetime: ['waktu ISO dengan zona, mis. 2026-11-20T09:00:00+07:00', 'an ISO instant with an offset, e.g. 2026-11-20T09:00:00+07:00'],
  url: ['URL', 'a URL'],
  uuid: ['UUID', 'a UUID'],
  regex: ['format yang benar', 'the expected format'],
};

const UNITS: Record<string, [string, string]> = {
  string: ['karakter', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  file: ['byte', 'bytes'],
};

function describeType(expected: string): [string, string] {
  return TYPE_NAMES[expected] ?? [expected, expected];
}

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}

type Issue = z.core.$ZodRawIssue;

function bilingualMessage(iss: Issue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'Wajib diisi / Required';
      const [id, en] = describeType(String(iss.expected));
      if (iss.expected === 'int' && typeof iss.input === 'number') return 'Harus bilangan bulat / Must be a whole number';
      if (iss.expected === 'number' && typeof iss.input === 'number') return 'Harus angka yang terhingga / Must be a finite number';
      return `Harus berupa ${id} (bukan ${received(iss.input)}) / Must be ${en} (not ${received(iss.input)})`;
    }
    case 'too_big': {
      const max = String(iss.maximum);
      const unit = UNITS[iss.origin as string];
      if (unit) {
        return iss.inclusive === false
          ? `Harus kurang dari ${max} ${unit[0]} / Must be fewer than ${max} ${unit[1]}`
          : `Terlalu panjang: maksimal ${max} ${unit[0]} / Too long: at most ${max} ${unit[1]}`;
      }
      return iss.inclusive === false
        ? `Harus kurang dari ${max} / Must be less than ${max}`
        : `Terlalu besar: maksimal ${max} / Too large: at most ${max}`;
    }
    case 'too_small': {
      const min = String(iss.minimum);
      const unit = UNITS[iss.origin as string];
      if (unit) {
        if (iss.origin === 'string' && Number(iss.minimum) === 1) return 'Wajib diisi / Required';
        return iss.inclusive === false
          ? `Harus lebih dari ${min} ${unit[0]} / Must be more than ${min} ${unit[1]}`
          : `Terlalu pendek: minimal ${min} ${unit[0]} / Too short: at least ${min} ${unit[1]}`;
      }
      return iss.inclusive === false
        ? `Harus lebih dari ${min} / Must be more than ${min}`
        : `Terlalu kecil: minimal ${min} / Too small: at least ${min}`;
    }
    case 'invalid_format': {
      const [id, en] = FORMAT_NAMES[iss.format] ?? FORMAT_NAMES.regex!;
      return `Harus ${id} / Must be ${en}`;
    }
    case 'invalid_value': {
      const values = iss.values.map((v) => String(v)).join(', ');
      return `Salah satu dari: ${values} / One of: ${values}`;
    }
    case 'not_multiple_of':
      return `Harus kelipatan ${String(iss.divisor)} / Must be a multiple of ${String(iss.divisor)}`;
    case 'unrecognized_keys':
      return 'Kolom tidak dikenal / Unknown field';
    case 'invalid_union':
      return 'Nilai tidak sesuai dengan bentuk mana pun yang diterima / Value matches none of the accepted forms';
    case 'invalid_key':
    case 'invalid_element':
      return 'Nilai tidak valid / Invalid value';
    default:
      return undefined;
  }
}

/**
 * A field sent under a name the API does not know is refused, never ignored; these hints name the
 * field that was probably meant (the Indonesian word, or an old spelling).
 */
const FIELD_HINTS: Record<string, string> = {
  anonim: 'anonymous',
  anonym: 'anonymous',
  rahasia: 'secret',
  judul: 'title',
  isi: 'body',
  klasifikasi: 'classification',
  kategori: 'categoryId',
  tanggal: 'incidentDate',
  lampiran: 'attachments',
  pesan: 'message',
  kata_sandi: 'password',
  nama: 'name',
};

export function unknownFieldMessage(key: string): string {
  const hint = FIELD_HINTS[key.toLowerCase()];
  return hint
    ? `Kolom tidak dikenal; maksudnya "${hint}"? / Unknown field; did you mean "${hint}"?`
    : 'Kolom tidak dikenal / Unknown field';
}

let installed = false;
export function installBilingualMessages(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: bilingualMessage });
}
