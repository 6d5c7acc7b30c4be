import { ACCEPTED_MEDIA_TYPES, extensionForMediaType } from './inspect.ts';

/**
 * File names per reader. A name such as "KTP Budi Santoso.jpg" says who sent it, so the
 * original name is shown only to the reporter; every other reader (staff of the handling body,
 * overseers, national admins, the public for answer evidence) sees a neutral one,
 * `lampiran-N.<ext>`, numbered by upload order among the files that reader can see, with the
 * extension of the type detected from the content.
 */

/** SQL for `attachments a`: the neutral name. Built from the fixed list of accepted types. */
export function neutralFileNameSql(alias = 'a'): string {
  const types = [...new Set(ACCEPTED_MEDIA_TYPES.map((t) => t.toLowerCase()))];
  for (const type of types) if (!/^[a-z0-9.+/-]+$/.test(type)) throw new Error(`unexpected media type ${type}`);
  const cases = types.map((t) => `WHEN '${t}' THEN '${extensionForMediaType(t)}'`).join(' ');
  return (
    `'lampiran-' || row_number() OVER (PARTITION BY ${alias}.report_id ORDER BY ${alias}.id) || '.' || ` +
    `CASE lower(${alias}.media_type) ${cases} ELSE 'bin' END`
  );
}

/** The neutral name, computed in TypeScript (for tests and callers without SQL). */
export function neutralFileName(position: number, mediaType: string): string {
  return `lampiran-${position}.${extensionForMediaType(mediaType)}`;
}

/**
 * A Content-Disposition header for a download (RFC 6266): a plain ASCII `filename` for old
 * clients, and `filename*` (RFC 8187, UTF-8) with the real name, so any name downloads: header
 * values must be Latin-1, and "laporan-ñ-日本-📷.pdf" as a raw value would fail the response.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // ñ → n
    .replace(/[^\x20-\x7e]/gu, '_') // one _ per character, not per UTF-16 unit
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback || 'lampiran'}"; filename*=UTF-8''${encoded}`;
}
