import { fileTypeFromBuffer, supportedExtensions } from 'file-type';
import { AppError } from '../../errors.ts';
import { cfbStreamNames } from './cfb.ts';
import { hasStripper } from './strip-metadata.ts';

type Kind =
  | 'jpg' | 'png' | 'webp' | 'gif' | 'heic' | 'pdf'
  | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods'
  | 'doc' | 'xls' | 'ppt';

interface AllowedType {
  mediaType: string;
  /** What the name may end with; the first one is what we append when the name has none. */
  nameExtensions: string[];
  /** Content-Types a client may declare for it (browsers and mobile apps vary). */
  declaredTypes: string[];
  label: string;
}

// Windows without Office, and some Android pickers, label OOXML/ODF uploads as plain zip.
const ZIP_DECLARED = ['application/zip', 'application/x-zip-compressed'];

const ALLOWED: Record<Kind, AllowedType> = {
  jpg: { mediaType: 'image/jpeg', nameExtensions: ['jpg', 'jpeg', 'jpe', 'jfif'], declaredTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'], label: 'JPEG' },
  png: { mediaType: 'image/png', nameExtensions: ['png', 'apng'], declaredTypes: ['image/png', 'image/x-png', 'image/apng'], label: 'PNG' },
  webp: { mediaType: 'image/webp', nameExtensions: ['webp'], declaredTypes: ['image/webp'], label: 'WebP' },
  gif: { mediaType: 'image/gif', nameExtensions: ['gif'], declaredTypes: ['image/gif'], label: 'GIF' },
  heic: { mediaType: 'image/heic', nameExtensions: ['heic', 'heif', 'hif'], declaredTypes: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'], label: 'HEIC' },
  pdf: { mediaType: 'application/pdf', nameExtensions: ['pdf'], declaredTypes: ['application/pdf', 'application/x-pdf'], label: 'PDF' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', nameExtensions: ['docx'], declaredTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ...ZIP_DECLARED], label: 'DOCX' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', nameExtensions: ['xlsx'], declaredTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...ZIP_DECLARED], label: 'XLSX' },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', nameExtensions: ['pptx'], declaredTypes: ['application/vnd.openxmlformats-officedocument.presentationml.presentation', ...ZIP_DECLARED], label: 'PPTX' },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', nameExtensions: ['odt'], declaredTypes: ['application/vnd.oasis.opendocument.text', ...ZIP_DECLARED], label: 'ODT' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', nameExtensions: ['ods'], declaredTypes: ['application/vnd.oasis.opendocument.spreadsheet', ...ZIP_DECLARED], label: 'ODS' },
  doc: { mediaType: 'application/msword', nameExtensions: ['doc'], declaredTypes: ['application/msword'], label: 'DOC' },
  xls: { mediaType: 'application/vnd.ms-excel', nameExtensions: ['xls'], declaredTypes: ['application/vnd.ms-excel', 'application/x-msexcel', 'application/excel'], label: 'XLS' },
  ppt: { mediaType: 'application/vnd.ms-powerpoint', nameExtensions: ['ppt'], declaredTypes: ['application/vnd.ms-powerpoint', 'application/mspowerpoint'], label: 'PPT' },
};

const KINDS = Object.keys(ALLOWED) as Kind[];

/** Every media type an upload may be stored as (each has a metadata stripper). */
export const ACCEPTED_MEDIA_TYPES: readonly string[] = [
  ...KINDS.map((k) => ALLOWED[k].mediaType),
  ...ALLOWED.heic.declaredTypes, // the HEIF variants file-type may report
];

/** The extension of a stored file of this media type, for the neutral name others see (lampiran-1.jpg). */
export function extensionForMediaType(mediaType: string): string {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const kind = KINDS.find((k) => ALLOWED[k].mediaType === type || (k === 'heic' && ALLOWED.heic.declaredTypes.includes(type)));
  return kind === undefined ? 'bin' : ALLOWED[kind].nameExtensions[0]!;
}
const ZIP_CONTAINER_KINDS = new Set<Kind>(['docx', 'xlsx', 'pptx', 'odt', 'ods']);

/** What file-type reports (by its `ext`) for each allowed kind; cfb is resolved separately. */
const DETECTED_EXT_TO_KIND: Record<string, Kind> = {
  jpg: 'jpg', png: 'png', apng: 'png', webp: 'webp', gif: 'gif', heic: 'heic', pdf: 'pdf',
  docx: 'docx', xlsx: 'xlsx', pptx: 'pptx', odt: 'odt', ods: 'ods',
};

/** Declared types that say nothing: browsers send these when the OS has no mapping. */
const UNINFORMATIVE_DECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/**
 * Extensions we recognise as claims about the content, beyond our own and file-type's. An
 * extension in none of these lists is treated as part of the name ("Surat No.12" has no type).
 */
const OTHER_KNOWN_EXTENSIONS = new Set([
  'txt', 'text', 'csv', 'tsv', 'json', 'md', 'log', 'html', 'htm', 'xhtml', 'shtml', 'svg', 'svgz',
  'js', 'mjs', 'cjs', 'ts', 'css', 'php', 'phtml', 'asp', 'aspx', 'jsp', 'cgi', 'pl', 'py', 'rb',
  'sh', 'bash', 'bat', 'cmd', 'com', 'scr', 'pif', 'vbs', 'vbe', 'wsf', 'hta', 'ps1', 'psm1', 'lnk',
  'url', 'reg', 'msi', 'msp', 'dll', 'sys', 'so', 'dylib', 'app', 'ipa', 'img', 'docm', 'dotm',
  'xlsm', 'xltm', 'pptm', 'potm', 'odp', 'odg', 'key', 'pages', 'numbers', 'tif', 'tiff', 'bmp',
]);

const MAX_BASE_NAME_CHARS = 100;
const FALLBACK_BASE_NAME = 'lampiran';

export interface InspectedAttachment {
  mediaType: string;
  extension: string;
  fileName: string;
}

/**
 * Decides from the bytes, never from the client's word, what an upload is; rejects what is not
 * on the allowlist or lies about itself. The client's name and Content-Type are only cross-checked.
 */
export async function inspectAttachment(
  input: { fileName: string; declaredType?: string; bytes: Uint8Array },
  limits: { maxBytes: number },
): Promise<InspectedAttachment> {
  const { bytes } = input;
  if (bytes.length === 0) {
    const message = 'Lampiran kosong / Attachment is empty';
    throw new AppError('invalid_input', message, { file: message });
  }
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      'attachment_too_large',
      `Lampiran terlalu besar / Attachment too large (max ${formatMegabytes(limits.maxBytes)} MB)`,
    );
  }

  const name = splitFileName(input.fileName);
  const nameClaim = claimFromExtension(name.extension);
  const declaredClaim = claimFromDeclaredType(input.declaredType);
  const { kind, mime } = await detectKind(bytes);

  // "application/zip" is an honest label for a plain zip too, so it alone does not make a disguise.
  const declaredIsSpecific = Array.isArray(declaredClaim) && !declaredClaim.every((k) => ZIP_CONTAINER_KINDS.has(k));
  const claimsAllowedKind = Array.isArray(nameClaim) || declaredIsSpecific;
  // 'cfb-unknown' is an OLE container that is not Word/Excel/PowerPoint (an .msi, an Outlook .msg).
  if (kind === undefined || kind === 'cfb-unknown') {
    // A .jpg that is really text or a program is a disguise, not just an unsupported type.
    if (claimsAllowedKind) throw mismatch();
    throw notAllowed();
  }

  if (nameClaim === 'other' || (Array.isArray(nameClaim) && !nameClaim.includes(kind))) throw mismatch();
  if (declaredClaim === 'other' || (Array.isArray(declaredClaim) && !declaredClaim.includes(kind))) throw mismatch();
  if ((kind === 'doc' || kind === 'xls' || kind === 'ppt') && nameClaim === 'none') {
    // Legacy Office files are only taken with their proper extension (the OLE container is also
    // used by installers and mail files, so the name is a required second signal).
    throw notAllowed();
  }

  const allowed = ALLOWED[kind];
  // HEIF has several honest variants (image/heic, image/heif, *-sequence); pass the exact one on.
  const mediaType = kind === 'heic' && mime !== undefined ? mime : allowed.mediaType;
  // Nothing is stored that cannot be cleaned of metadata (see strip-metadata.ts).
  if (!hasStripper(mediaType)) throw notAllowed();
  const extension = allowed.nameExtensions[0]!;
  const nameExtension = nameClaim === 'none' ? extension : name.extension!;
  const base = nameClaim === 'none' ? name.whole : name.base;
  return {
    mediaType,
    extension,
    fileName: `${capBaseName(base)}.${nameExtension}`,
  };
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

function allowedLabels(): string {
  return KINDS.map((k) => ALLOWED[k].label).join(', ');
}

function notAllowed(): AppError {
  return new AppError(
    'attachment_type_not_allowed',
    `Jenis lampiran tidak diizinkan / Attachment type not allowed (${allowedLabels()})`,
  );
}

function mismatch(): AppError {
  return new AppError(
    'attachment_type_mismatch',
    'Isi lampiran tidak sesuai dengan nama atau jenisnya / Attachment content does not match its name or type',
  );
}

async function detectKind(bytes: Uint8Array): Promise<{ kind: Kind | 'cfb-unknown' | undefined; mime?: string }> {
  let detected: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    detected = await fileTypeFromBuffer(bytes);
  } catch {
    // file-type gives up on some damaged containers by throwing; for us that is "unknown".
    return { kind: undefined };
  }
  if (!detected) return { kind: undefined };
  if (detected.ext === 'cfb') return { kind: legacyOfficeKind(bytes) ?? 'cfb-unknown' };
  return { kind: DETECTED_EXT_TO_KIND[detected.ext], mime: detected.mime };
}

/** `Kind[]` = the extension/type names one of ours; 'none' = no claim; 'other' = claims something else. */
type Claim = Kind[] | 'none' | 'other';

function claimFromExtension(extension: string | undefined): Claim {
  if (extension === undefined) return 'none';
  const kinds = KINDS.filter((k) => ALLOWED[k].nameExtensions.includes(extension));
  if (kinds.length > 0) return kinds;
  if (supportedExtensions.has(extension as never) || OTHER_KNOWN_EXTENSIONS.has(extension)) return 'other';
  return 'none';
}

function claimFromDeclaredType(declaredType: string | undefined): Claim {
  const type = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  if (UNINFORMATIVE_DECLARED.has(type)) return 'none';
  const kinds = KINDS.filter((k) => ALLOWED[k].declaredTypes.includes(type));
  return kinds.length > 0 ? kinds : 'other';
}

// ---------------------------------------------------------------------------------------------
// File names

interface SplitName {
  /** The cleaned name as a whole, used when the dot is not an extension. */
  whole: string;
  base: string;
  /** Lower-cased, only if the last dot segment looks like an extension. */
  extension?: string;
}

/**
 * The name is shown to officers and used in Content-Disposition, so anything that can hide or
 * spoof (paths, control and bidi characters such as U+202E "gpj.exe") goes before it is stored.
 */
function splitFileName(raw: string): SplitName {
  let name = String(raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');
  name = name.replace(/["*:<>?|]/g, '_');
  name = name.replace(/\s+/gu, ' ');
  // Windows silently drops trailing dots and spaces; leading dots make hidden files. The extension
  // is split off before the leading trim so that ".jpg" is an extension, not a name.
  name = name.replace(/[\s.]+$/u, '');
  const trimStart = (s: string): string => s.replace(/^[\s.]+/u, '');
  const dot = name.lastIndexOf('.');
  const candidate = dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
  if (!/^[a-z0-9]{1,10}$/.test(candidate) || !/[a-z]/.test(candidate)) {
    const whole = trimStart(name);
    return { whole, base: whole };
  }
  return { whole: trimStart(name), base: trimStart(name.slice(0, dot).replace(/[\s.]+$/u, '')), extension: candidate };
}

function capBaseName(base: string): string {
  const chars = Array.from(base); // code points, so a cut never splits a surrogate pair
  const capped = chars.length > MAX_BASE_NAME_CHARS ? chars.slice(0, MAX_BASE_NAME_CHARS).join('').trimEnd() : base;
  return capped === '' ? FALLBACK_BASE_NAME : capped;
}

// ---------------------------------------------------------------------------------------------
// Legacy Office (OLE / Compound File Binary)

/**
 * Reads the stream names of an OLE compound file ([MS-CFB]) to tell Word, Excel and PowerPoint
 * apart from the other things that share the container. Returns undefined for anything else,
 * including a structure too broken to read (see cfb.ts).
 */
function legacyOfficeKind(b: Uint8Array): Kind | undefined {
  const names = cfbStreamNames(b);
  if (!names) return undefined;
  if (names.has('WordDocument')) return 'doc';
  if (names.has('Workbook') || names.has('Book')) return 'xls';
  if (names.has('PowerPoint Document')) return 'ppt';
  return undefined;
}

