import { constants, crc32, deflateRawSync, inflateRawSync, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFObjectStreamParser,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFXRefStreamParser,
} from '@cantoo/pdf-lib';
import { AppError } from '../../errors.ts';
import { stripOffThread } from './attachment-workers.ts';
import { le16, le32, readCfb, readRanges, writeRanges } from './cfb.ts';
import { blankEmbeddedImageMetadata, embeddedImageType, holdsImageMetadata, stripMetadata } from './strip-metadata.ts';

/**
 * Removes what names a document's author (and the people who edited, printed or commented on
 * it) from PDF and Office documents before they are stored, and what could act on a reader's
 * machine. Text, sheets and image pixels are copied as they are (unchanged zip entries byte for
 * byte, still compressed).
 *
 *  - OOXML (docx/xlsx/pptx): docProps/core.xml and custom.xml become empty, identifying elements
 *    leave docProps/app.xml, comment, tracked-change and co-author names are blanked, customXml
 *    parts and the attached template go (with their relationships and content types).
 *  - ODF (odt/ods): meta.xml (also an embedded object's) is replaced by an empty one, comment and
 *    tracked-change authors and the printer name are blanked; `mimetype` stays first, stored.
 *  - In both, every image (JPEG, PNG, GIF, WebP, wherever it lives) is stripped like an upload;
 *    a TIFF is refused; embedded documents are stripped one level deep.
 *  - PDF: the Info dictionary, every XMP /Metadata stream, /PieceInfo, the file /ID, comment
 *    (markup annotation) authors, JPEG image metadata, and active content (scripts, open and
 *    additional actions, form submission, launch actions, embedded files) go, and the file is
 *    rewritten from the objects still reachable, so earlier revisions and orphaned objects go too.
 *  - Legacy OLE (doc/xls/ppt): the SummaryInformation and DocumentSummaryInformation streams
 *    become empty property sets, the user name is blanked in Excel's WRITEACCESS record and
 *    PowerPoint's "Current User" stream, and free sectors are zeroed; all in place.
 *
 * Every inflate is bounded (InflateBudget: per part, per document, and by ratio; 413 beyond).
 * Anything that cannot be read as the container it claims to be is refused with a 400. These
 * functions are synchronous and CPU-bound: the upload path runs them in the attachment workers.
 */

function unreadableDocument(): AppError {
  const message =
    'Dokumen tidak dapat diproses (rusak atau tidak sesuai formatnya) / The document cannot be processed (damaged or not in its stated format)';
  return new AppError('invalid_input', message, { file: message });
}

function legacyPictureMetadata(): AppError {
  const message =
    'Dokumen lama ini memuat foto dengan metadata (EXIF/XMP, mis. lokasi) yang tidak dapat dihapus; simpan sebagai DOCX, XLSX, PPTX atau PDF lalu unggah lagi / ' +
    'This legacy document holds a photo whose metadata (EXIF/XMP, e.g. a location) cannot be removed; save it as DOCX, XLSX, PPTX or PDF and upload it again';
  return new AppError('invalid_input', message, { file: message });
}

function unreadablePdf(): AppError {
  const message =
    'PDF tidak dapat diproses (terkunci sandi atau rusak); simpan ulang tanpa sandi / The PDF cannot be processed (password-protected or damaged); save it again without a password';
  return new AppError('invalid_input', message, { file: message });
}

/** Runs a stripper; anything but our own AppError (a library throwing on odd input) becomes a 400. */
function guarded(strip: (bytes: Uint8Array) => Uint8Array, bytes: Uint8Array): Uint8Array {
  try {
    return strip(bytes);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadableDocument();
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------------
// Zip (OOXML and ODF)
//
// The archive is rewritten entry by entry: entries that are not changed are copied still
// compressed, so their bytes (and CRCs) are exactly those of the upload, and nothing is inflated
// that we do not need to read (a zip bomb costs nothing). Entry timestamps, extra fields (Unix
// owner IDs, NTFS times) and comments are not copied.

/**
 * Decompression limits. Every part we inflate (XML we read, images we strip) is bounded three
 * ways before and while it is inflated: its own size, the document's total, and its ratio to
 * its compressed size (real XML deflates 5-20:1, a zip bomb of zeros 1000:1). A part small
 * enough to be harmless may have any ratio. Over a limit the upload is refused with a 413.
 */
export const ZIP_LIMITS = {
  maxPartBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 200,
  ratioFreeBytes: 1024 * 1024,
};

export function decompressionBomb(): AppError {
  const mb = (n: number) => Math.round(n / (1024 * 1024));
  const { maxPartBytes, maxTotalBytes, maxRatio } = ZIP_LIMITS;
  const message =
    `Isi dokumen terlalu besar setelah diekstrak (maks. ${mb(maxPartBytes)} MB per bagian, ${mb(maxTotalBytes)} MB seluruhnya, rasio ${maxRatio}:1) / ` +
    `Document content too large when decompressed (max ${mb(maxPartBytes)} MB per part, ${mb(maxTotalBytes)} MB in all, ratio ${maxRatio}:1)`;
  return new AppError('attachment_too_large', message, { file: message });
}

/** What is left of one document's decompression allowance. */
export class InflateBudget {
  remaining = ZIP_LIMITS.maxTotalBytes;

  /** The most a part of `compressedSize` bytes may inflate to now. */
  capFor(compressedSize: number): number {
    const byRatio = Math.max(ZIP_LIMITS.ratioFreeBytes, compressedSize * ZIP_LIMITS.maxRatio);
    return Math.min(ZIP_LIMITS.maxPartBytes, this.remaining, byRatio);
  }

  /**
   * Inflates raw deflate data (zip entries) or zlib data (PDF FlateDecode) within the budget;
   * `declared` is the size the container announces, if any (checked before any work).
   */
  inflate(data: Uint8Array, format: 'raw' | 'zlib', declared?: number): Uint8Array {
    const cap = this.capFor(data.length);
    if (declared !== undefined && declared > cap) throw decompressionBomb();
    let out: Uint8Array;
    try {
      // +1 so that output of exactly `cap` bytes is told apart from output cut at the cap.
      out = format === 'raw' ? inflateRawSync(data, { maxOutputLength: cap + 1 }) : inflateSync(data, { maxOutputLength: cap + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw decompressionBomb();
      throw unreadableDocument();
    }
    if (out.length > cap) throw decompressionBomb();
    this.remaining -= out.length;
    return out;
  }

  /** Counts bytes read without inflating (stored entries) against the total. */
  take(length: number): void {
    if (length > Math.min(ZIP_LIMITS.maxPartBytes, this.remaining)) throw decompressionBomb();
    this.remaining -= length;
  }
}

const MAX_ZIP_ENTRIES = 0xffff;

interface ZipEntry {
  name: string;
  nameBytes: Uint8Array;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** The compressed bytes, a view into the upload. */
  data: Uint8Array;
}

function le64(b: Uint8Array, o: number): number {
  const high = le32(b, o + 4);
  if (high > 0x1fffff) throw unreadableDocument();
  return high * 2 ** 32 + le32(b, o);
}

function readZip(b: Uint8Array): ZipEntry[] {
  // The end-of-central-directory record: last in the file, before a comment of up to 64 KiB.
  let eocd = -1;
  for (let pos = b.length - 22; pos >= Math.max(0, b.length - 22 - 0xffff); pos--) {
    if (le32(b, pos) === 0x06054b50) {
      eocd = pos;
      break;
    }
  }
  if (eocd < 0) throw unreadableDocument();
  let count = le16(b, eocd + 10);
  let cdOffset = le32(b, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    // Zip64: the locator just before the EOCD points at the zip64 EOCD record.
    const locator = eocd - 20;
    if (locator < 0 || le32(b, locator) !== 0x07064b50) throw unreadableDocument();
    const record = le64(b, locator + 8);
    if (record + 56 > b.length || le32(b, record) !== 0x06064b50) throw unreadableDocument();
    count = le64(b, record + 32);
    cdOffset = le64(b, record + 48);
  }
  if (count === 0 || count > MAX_ZIP_ENTRIES) throw unreadableDocument();

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let pos = cdOffset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > b.length || le32(b, pos) !== 0x02014b50) throw unreadableDocument();
    const flags = le16(b, pos + 8);
    const method = le16(b, pos + 10);
    const crc = le32(b, pos + 16);
    let compressedSize = le32(b, pos + 20);
    let size = le32(b, pos + 24);
    const nameLength = le16(b, pos + 28);
    const extraLength = le16(b, pos + 30);
    const commentLength = le16(b, pos + 32);
    let localOffset = le32(b, pos + 42);
    const next = pos + 46 + nameLength + extraLength + commentLength;
    if (next > b.length) throw unreadableDocument();
    const nameBytes = b.subarray(pos + 46, pos + 46 + nameLength);

    // Zip64 extended information: the 8-byte values for whichever fields are 0xFFFFFFFF.
    let extra = pos + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = le16(b, extra);
      const length = le16(b, extra + 2);
      if (extra + 4 + length > extraEnd) throw unreadableDocument();
      if (id === 0x0001) {
        let field = extra + 4;
        const take = (): number => {
          if (field + 8 > extra + 4 + length) throw unreadableDocument();
          const value = le64(b, field);
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      extra += 4 + length;
    }

    // Bit 0: encrypted. Office and ODF never encrypt zip entries (their encryption is different).
    if ((flags & 0x0001) !== 0 || (method !== 0 && method !== 8)) throw unreadableDocument();
    if (method === 0 && compressedSize !== size) throw unreadableDocument();
    if (localOffset + 30 > b.length || le32(b, localOffset) !== 0x04034b50) throw unreadableDocument();
    const dataStart = localOffset + 30 + le16(b, localOffset + 26) + le16(b, localOffset + 28);
    if (dataStart + compressedSize > b.length) throw unreadableDocument();

    // Bit 11: UTF-8 names. Without it the name is CP437; Office and ODF part names are ASCII.
    const name = (flags & 0x0800) !== 0 ? utf8Decoder.decode(nameBytes) : String.fromCharCode(...nameBytes);
    // Two entries with one name: readers disagree on which one counts, so neither can be trusted.
    if (names.has(name)) throw unreadableDocument();
    names.add(name);
    entries.push({ name, nameBytes, method, crc, compressedSize, size, data: b.subarray(dataStart, dataStart + compressedSize) });
    pos = next;
  }
  return entries;
}

function readZipEntry(entry: ZipEntry, budget: InflateBudget): Uint8Array {
  let bytes: Uint8Array;
  if (entry.method === 0) {
    budget.take(entry.size);
    bytes = entry.data;
  } else {
    bytes = budget.inflate(entry.data, 'raw', entry.size);
  }
  if (bytes.length !== entry.size || crc32(bytes) !== entry.crc) throw unreadableDocument();
  return bytes;
}

/** The first bytes of an entry, to recognise an image, inflating only its first few kilobytes. */
function peekZipEntry(entry: ZipEntry): Uint8Array {
  if (entry.method === 0) return entry.data.subarray(0, 16);
  try {
    // A dynamic deflate block starts with its code tables (up to a few hundred bytes), so take
    // enough input to reach the first literals; 4 KiB inflate to at most ~4 MiB.
    return inflateRawSync(entry.data.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 4096 * 1032 + 1024 });
  } catch {
    return new Uint8Array(0); // not worth knowing: the entry is copied as it is
  }
}

function newZipEntry(entry: ZipEntry, content: Uint8Array, store = false): ZipEntry {
  const data = store ? content : new Uint8Array(deflateRawSync(content));
  return { ...entry, method: store ? 0 : 8, crc: crc32(content), compressedSize: data.length, size: content.length, data };
}

function writeZip(entries: ZipEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.size > 0xfffffffe || entry.compressedSize > 0xfffffffe) throw unreadableDocument();
    // Version 2.0, flags: UTF-8 names, date 1980-01-01 00:00 (no real time is worth keeping).
    const common = (view: DataView, at: number): void => {
      view.setUint16(at, 20, true);
      view.setUint16(at + 2, 0x0800, true);
      view.setUint16(at + 4, entry.method, true);
      view.setUint16(at + 6, 0, true);
      view.setUint16(at + 8, 0x21, true);
      view.setUint32(at + 10, entry.crc, true);
      view.setUint32(at + 14, entry.compressedSize, true);
      view.setUint32(at + 18, entry.size, true);
      view.setUint16(at + 22, entry.nameBytes.length, true);
    };
    const local = new Uint8Array(30 + entry.nameBytes.length);
    const localView = new DataView(local.buffer);
    localView.setUint32(0, 0x04034b50, true);
    common(localView, 4);
    local.set(entry.nameBytes, 30);

    const header = new Uint8Array(46 + entry.nameBytes.length);
    const headerView = new DataView(header.buffer);
    headerView.setUint32(0, 0x02014b50, true);
    headerView.setUint16(4, 20, true); // version made by
    common(headerView, 6);
    headerView.setUint32(42, offset, true);
    header.set(entry.nameBytes, 46);

    parts.push(local, entry.data);
    central.push(header);
    offset += local.length + entry.data.length;
    if (offset > 0xfffffffe) throw unreadableDocument();
  }
  const cdSize = central.reduce((n, part) => n + part.length, 0);
  const eocd = new Uint8Array(22);
  const view = new DataView(eocd.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, entries.length, true);
  view.setUint16(10, entries.length, true);
  view.setUint32(12, cdSize, true);
  view.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, eocd]);
}

/** What a transform returns to remove an entry from the archive. */
const DROP = Symbol('drop');

/**
 * Rewrites a zip: `transform` gets each entry's name and returns new XML text for it, DROP to
 * leave it out, or undefined to keep it. `read` inflates the entry's text on demand. Every kept
 * entry that is an image (by its content, wherever it lives: word/media, Pictures, thumbnails)
 * is stripped like an uploaded image and stored uncompressed (images do not deflate).
 */
function rewriteZip(
  bytes: Uint8Array,
  transform: (name: string, read: () => string) => string | undefined | typeof DROP,
  budget = new InflateBudget(),
  depth = 0,
): ZipEntry[] {
  const out: ZipEntry[] = [];
  for (const entry of readZip(bytes)) {
    const text = transform(entry.name, () => utf8Decoder.decode(readZipEntry(entry, budget)));
    if (text === DROP) continue;
    if (text !== undefined) {
      out.push(newZipEntry(entry, utf8.encode(text)));
      continue;
    }
    if (/\.(xml|rels)$/i.test(entry.name)) {
      out.push(entry);
      continue;
    }
    const head = peekZipEntry(entry);
    const image = embeddedImageType(head);
    const embedded = embeddedDocumentType(head);
    if (image === 'tiff') {
      throw embeddedTiff();
    } else if (image !== undefined) {
      out.push(newZipEntry(entry, stripMetadata(image, readZipEntry(entry, budget)), true));
    } else if (embedded !== undefined) {
      // A document inside a document (word/embeddings/*.xlsx, oleObject*.bin): its own
      // properties and images name its author just the same. One level deep is what Office writes.
      if (depth >= 1) throw embeddedTooDeep();
      out.push(newZipEntry(entry, stripEmbedded(embedded, readZipEntry(entry, budget), budget, depth + 1)));
    } else {
      out.push(entry);
    }
  }
  return out;
}

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function embeddedDocumentType(head: Uint8Array): 'zip' | 'ole' | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (OLE_SIGNATURE.every((byte, i) => head[i] === byte)) return 'ole';
  return undefined;
}

/** An embedded OOXML, ODF or OLE document, stripped like an upload (within the outer budget). */
function stripEmbedded(kind: 'zip' | 'ole', bytes: Uint8Array, budget: InflateBudget, depth: number): Uint8Array {
  if (kind === 'ole') return stripOle(bytes);
  const names = new Set(readZip(bytes).map((entry) => entry.name));
  if (names.has('[Content_Types].xml')) return writeZip(rewriteZip(bytes, ooxmlTransform, budget, depth));
  if (names.has(ODF_MIMETYPE)) return odfFromEntries(rewriteZip(bytes, odfTransform, budget, depth));
  // A plain zip inside a document is neither; its contents are unknown, so it is not kept.
  throw embeddedUnknown();
}

function embeddedTooDeep(): AppError {
  const message =
    'Dokumen berisi dokumen tersemat bertingkat yang tidak dapat diperiksa / The document contains nested embedded documents that cannot be checked';
  return new AppError('attachment_type_not_allowed', message, { file: message });
}

function embeddedUnknown(): AppError {
  const message =
    'Dokumen berisi arsip tersemat yang tidak dapat diperiksa / The document contains an embedded archive that cannot be checked';
  return new AppError('attachment_type_not_allowed', message, { file: message });
}

function embeddedTiff(): AppError {
  const message =
    'Dokumen berisi gambar TIFF, yang metadatanya tidak dapat dibersihkan; ganti dengan JPEG atau PNG / ' +
    'The document contains a TIFF image, whose metadata cannot be cleaned; replace it with a JPEG or PNG';
  return new AppError('attachment_type_not_allowed', message, { file: message });
}

/** Applies `edit` to an XML text and returns the result only if something changed. */
function changed(text: string, edit: (xml: string) => string): string | undefined {
  const result = edit(text);
  return result === text ? undefined : result;
}

/** Empties the given attributes (qualified names, e.g. "w:author") in every tag of an XML text. */
function blankAttributes(xml: string, names: string[]): string {
  const attribute = new RegExp(`(\\s(?:${names.map(escapeRegExp).join('|')})\\s*=\\s*)(?:"[^"]*"|'[^']*')`, 'g');
  return xml.replace(/<[^!?/][^>]*>/g, (tag) => tag.replace(attribute, '$1""'));
}

/** Empties the text of every element with one of the given qualified names. */
function blankElementText(xml: string, names: string[]): string {
  const element = new RegExp(`<(${names.map(escapeRegExp).join('|')})(\\s[^>]*)?>[^<]*</\\1\\s*>`, 'g');
  return xml.replace(element, '<$1$2></$1>');
}

/** Removes every element with one of the given local names (any prefix), with its content. */
function removeElements(xml: string, localNames: string[]): string {
  const names = localNames.map(escapeRegExp).join('|');
  const element = new RegExp(`<((?:[\\w.-]+:)?(?:${names}))(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</\\1\\s*>)`, 'g');
  return xml.replace(element, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const EMPTY_OOXML_CORE =
  XML_DECLARATION +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
  ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';

const EMPTY_OOXML_CUSTOM =
  XML_DECLARATION +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"' +
  ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

/** Extended properties that name a person, an organisation, a path or the software. */
const OOXML_APP_IDENTIFYING = ['Company', 'Manager', 'HyperlinkBase', 'Template', 'Application', 'AppVersion', 'TotalTime'];

/** Attributes naming people: comment and tracked-change authors, co-authors (word/people.xml). */
const WORD_PERSON_ATTRIBUTES = ['w:author', 'w:initials', 'w15:author', 'w15:userId', 'w15:providerId'];
/** Threaded-comment persons, shared-workbook revision users, <fileSharing userName>. */
const EXCEL_PERSON_ATTRIBUTES = ['displayName', 'userId', 'providerId', 'userName'];
/** Comment authors (ppt/commentAuthors.xml, and ppt/authors.xml for modern comments). */
const POWERPOINT_PERSON_ATTRIBUTES = ['name', 'initials', 'userId', 'providerId'];

/**
 * Relationships that go: to customXml parts (data stores that SharePoint and document
 * management systems fill with user names, e-mail addresses and IDs), and to the document
 * template (attachedTemplate: a path such as C:\Users\budi\…\Normal.dotm, or a server URL).
 */
function isDroppedRelationship(tag: string): boolean {
  const target = /\sTarget\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const type = /\sType\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const targetText = (target?.[1] ?? target?.[2] ?? '').toLowerCase();
  const typeText = type?.[1] ?? type?.[2] ?? '';
  return /(^|\/)customxml\//.test(targetText) || /\/attachedTemplate$/.test(typeText) || /\/customXml$/.test(typeText);
}

function dropRelationships(xml: string): string {
  return xml.replace(/<Relationship\b[^>]*?(?:\/>|>[\s\S]*?<\/Relationship\s*>)/g, (tag) => (isDroppedRelationship(tag) ? '' : tag));
}

function dropCustomXmlOverrides(xml: string): string {
  return xml.replace(/<Override\b[^>]*?(?:\/>|>[\s\S]*?<\/Override\s*>)/g, (tag) =>
    /\sPartName\s*=\s*["']\/customXml\//i.test(tag) ? '' : tag,
  );
}

function ooxmlTransform(name: string, read: () => string): string | undefined | typeof DROP {
  const part = name.toLowerCase();
  if (part.startsWith('customxml/')) return DROP;
  if (part === '[content_types].xml') return changed(read(), dropCustomXmlOverrides);
  if (part.endsWith('.rels')) return changed(read(), dropRelationships);
  // .NET's System.IO.Packaging keeps core properties in package/services/metadata/…/*.psmdcp.
  if (part === 'docprops/core.xml' || part.endsWith('.psmdcp')) return EMPTY_OOXML_CORE;
  if (part === 'docprops/custom.xml') return EMPTY_OOXML_CUSTOM;
  if (part === 'docprops/app.xml') return changed(read(), (xml) => removeElements(xml, OOXML_APP_IDENTIFYING));
  if (/^word\/[^/]+\.xml$/.test(part)) {
    // settings.xml: <w:attachedTemplate r:id>, the template reference (its target goes with the rels).
    return changed(read(), (xml) => removeElements(blankAttributes(xml, WORD_PERSON_ATTRIBUTES), ['attachedTemplate']));
  }
  if (/^xl\/comments[^/]*\.xml$/.test(part)) return changed(read(), (xml) => blankElementText(xml, ['author']));
  if (/^xl\/(persons\/[^/]+|revisions\/[^/]+|workbook)\.xml$/.test(part)) {
    // workbook.xml: <fileSharing userName>, and absPath, the folder it was saved in (C:\Users\…).
    return changed(read(), (xml) => removeElements(blankAttributes(xml, EXCEL_PERSON_ATTRIBUTES), ['absPath']));
  }
  if (part === 'ppt/commentauthors.xml' || part === 'ppt/authors.xml') {
    return changed(read(), (xml) => blankAttributes(xml, POWERPOINT_PERSON_ATTRIBUTES));
  }
  return undefined;
}

export function stripOoxml(bytes: Uint8Array): Uint8Array {
  return guarded((input) => {
    const entries = rewriteZip(input, ooxmlTransform);
    if (!entries.some((entry) => entry.name === '[Content_Types].xml')) throw unreadableDocument();
    return writeZip(entries);
  }, bytes);
}

const ODF_MIMETYPE = 'mimetype';

function emptyOdfMeta(original: string): string {
  const version = /\soffice:version\s*=\s*"([^"]*)"/.exec(original)?.[1] ?? '1.2';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"' +
    ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
    ` office:version="${escapeXmlAttribute(version)}"><office:meta/></office:document-meta>`
  );
}

function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function odfTransform(name: string, read: () => string): string | undefined | typeof DROP {
  // Embedded objects (a chart, a formula, another document) are folders of the same archive,
  // "Object 1/meta.xml" and so on, with parts of their own: matched by the last name segment.
  const part = name.slice(name.lastIndexOf('/') + 1);
  if (name.startsWith('META-INF/')) return undefined;
  // meta.xml: creator, initial creator, printed-by, dates, generator, template path, user fields.
  if (part === 'meta.xml') return emptyOdfMeta(read());
  // Comment (office:annotation) and tracked-change (office:change-info) authors.
  if (part === 'content.xml' || part === 'styles.xml') return changed(read(), (xml) => blankElementText(xml, ['dc:creator']));
  if (part === 'settings.xml') {
    return changed(read(), (xml) =>
      xml.replace(/(<config:config-item\s[^>]*config:name="(?:PrinterName|PrinterSetup)"[^>]*>)[^<]*(<\/config:config-item>)/g, '$1$2'),
    );
  }
  return undefined;
}

export function stripOdf(bytes: Uint8Array): Uint8Array {
  return guarded((input) => odfFromEntries(rewriteZip(input, odfTransform)), bytes);
}

function odfFromEntries(entries: ZipEntry[]): Uint8Array {
  const mimetype = entries.find((entry) => entry.name === ODF_MIMETYPE);
  if (mimetype === undefined || !entries.some((entry) => entry.name === 'content.xml')) throw unreadableDocument();
  // ODF requires `mimetype` first and stored, so it can be read at a fixed offset.
  const first = mimetype.method === 0 ? mimetype : newZipEntry(mimetype, readZipEntry(mimetype, new InflateBudget()), true);
  return writeZip([first, ...entries.filter((entry) => entry !== mimetype)]);
}

// ---------------------------------------------------------------------------------------------
// Legacy Office (OLE compound file, [MS-CFB])
//
// Edited in place: the file keeps its length and layout, and every stream we do not touch stays
// byte for byte. (Rebuilding it with a library re-sorts the directory tree, which for files with
// embedded objects can move streams into the wrong storage.) Every read is bounds-checked and
// every chain walk is capped by the number of sectors, so hostile input cannot loop.

/** A property set stream ([MS-OLEPS]) with one empty section: only the required CodePage (1252). */
function emptyPropertySet(fmtid: number[]): Uint8Array {
  const out = new Uint8Array(72);
  out.set([0xfe, 0xff], 0); // byte order; version 0, system identifier and CLSID stay zero
  out.set([1, 0, 0, 0], 24); // one property set
  out.set(fmtid, 28);
  out.set([48, 0, 0, 0], 44); // at offset 48
  out.set([24, 0, 0, 0, 1, 0, 0, 0], 48); // size 24, one property
  out.set([1, 0, 0, 0, 16, 0, 0, 0], 56); // PID_CODEPAGE at offset 16
  out.set([2, 0, 0, 0, 0xe4, 0x04, 0, 0], 64); // VT_I2 1252
  return out;
}

/** The FMTIDs of the two property streams, as their GUIDs are laid out in the file. */
const OLE_PROPERTY_STREAMS = new Map([
  ['\u0005SummaryInformation', [0xe0, 0x85, 0x9f, 0xf2, 0xf9, 0x4f, 0x68, 0x10, 0xab, 0x91, 0x08, 0x00, 0x2b, 0x27, 0xb3, 0xd9]],
  ['\u0005DocumentSummaryInformation', [0x02, 0xd5, 0xcd, 0xd5, 0x9c, 0x2e, 0x1b, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2b, 0x2c, 0xf9, 0xae]],
]);

export function stripOle(bytes: Uint8Array): Uint8Array {
  return guarded((input) => {
    const { streams, free } = readCfb(input);
    const out = input.slice(); // never mutate the caller's buffer
    for (const [offset, length] of free) out.fill(0, offset, offset + length);
    // Matched by name in every storage, so embedded objects (ObjectPool/…) are covered too.
    for (const stream of streams) {
      const fmtid = OLE_PROPERTY_STREAMS.get(stream.name);
      const content = readRanges(out, stream.ranges);
      let edited = true;
      if (fmtid !== undefined) {
        // Same length (the directory and sector chains stay valid); the section size tells
        // readers where the properties end, the rest is zeros.
        content.fill(0);
        if (content.length >= 72) content.set(emptyPropertySet(fmtid));
      } else if (stream.name === 'Workbook') blankWriteAccess(content, true);
      else if (stream.name === 'Book') blankWriteAccess(content, false);
      else if (stream.name === 'Current User') blankCurrentUser(content);
      else edited = false;
      // Pictures (Word's Data, PowerPoint's Pictures, Excel's drawings) lose their EXIF and XMP in
      // place; a picture whose metadata is still there afterwards (split across Excel's CONTINUE
      // records, say) means the file is refused rather than stored with a location in it.
      if (blankEmbeddedImageMetadata(content) > 0) edited = true;
      if (holdsImageMetadata(content)) throw legacyPictureMetadata();
      if (edited) writeRanges(out, stream.ranges, content);
    }
    return out;
  }, bytes);
}

/**
 * Excel's WRITEACCESS record (0x005C) holds the user name of whoever last saved the workbook. It
 * becomes a one-space name followed by the record's usual space padding, same length. Records
 * after a FILEPASS are encrypted, so an encrypted workbook is left alone there.
 */
function blankWriteAccess(stream: Uint8Array, biff8: boolean): void {
  let pos = 0;
  while (pos + 4 <= stream.length) {
    const type = stream[pos]! | (stream[pos + 1]! << 8);
    const length = stream[pos + 2]! | (stream[pos + 3]! << 8);
    if (pos + 4 + length > stream.length) return;
    if (type === 0x002f) return; // FILEPASS
    // BIFF8: XLUnicodeString (u16 length, u8 flags, chars); BIFF5: u8 length, chars.
    const header = biff8 ? [1, 0, 0] : [1];
    if (type === 0x005c && length > header.length) {
      for (let i = 0; i < length; i++) stream[pos + 4 + i] = header[i] ?? 0x20;
    }
    pos += 4 + length;
  }
}

/**
 * PowerPoint's "Current User" stream: a CurrentUserAtom with the last editor's name in ANSI and
 * (optionally) UTF-16. The names are overwritten with spaces, keeping every length and offset.
 */
function blankCurrentUser(stream: Uint8Array): void {
  if (stream.length < 28 || (stream[2]! | (stream[3]! << 8)) !== 0x0ff6) return; // RT_CurrentUserAtom
  const nameLength = stream[20]! | (stream[21]! << 8);
  const ansiStart = 28;
  const ansiEnd = ansiStart + nameLength;
  if (ansiEnd > stream.length) return;
  for (let i = ansiStart; i < ansiEnd; i++) stream[i] = 0x20;
  const unicodeStart = ansiEnd + 4; // after relVersion
  const unicodeEnd = Math.min(stream.length, unicodeStart + 2 * nameLength);
  for (let i = unicodeStart; i + 1 < unicodeEnd; i += 2) {
    stream[i] = 0x20;
    stream[i + 1] = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// PDF
//
// The work runs in the attachment workers (attachment-workers.ts): parsing a large or
// pathological PDF is CPU-bound, and in the API process it would hold up every other request.
// The worker is bounded in memory and time; a worker that crashes, runs out of memory or takes
// too long means the upload is refused.

/**
 * pdf-lib inflates object streams and cross-reference streams while it parses, with no limit:
 * 200 KB of deflated spaces become 200 MB of buffers, outside the worker's heap limit. Each
 * such stream is measured first, within the document's decompression budget (a FlateDecode
 * stream is inflated once within the caps, then handed on); any other filter is refused there.
 */
let pdfParse: { budget: InflateBudget; refused?: AppError } | undefined;

function checkParsedStream(stream: PDFRawStream): void {
  const parse = pdfParse ?? { budget: new InflateBudget() };
  try {
    const filter = stream.dict.lookup(PDFName.of('Filter'));
    const filters = filter === undefined ? [] : filter instanceof PDFArray ? filter.asArray() : [filter];
    if (filters.length === 0) {
      parse.budget.take(stream.getContentsSize());
      return;
    }
    if (filters.length !== 1 || !(filters[0] instanceof PDFName) || filters[0].decodeText() !== 'FlateDecode') throw unreadablePdf();
    try {
      parse.budget.inflate(stream.getContents(), 'zlib');
    } catch (error) {
      // Data that does not inflate at all (encrypted, damaged) is left to pdf-lib to refuse.
      if (error instanceof AppError && error.code === 'attachment_too_large') throw error;
    }
  } catch (error) {
    // pdf-lib skips objects it cannot parse; the refusal is kept and thrown once it is done.
    if (error instanceof AppError) parse.refused ??= error;
    throw error;
  }
}

const parseObjectStream = PDFObjectStreamParser.forStream;
PDFObjectStreamParser.forStream = (rawStream, shouldWaitForTick) => {
  checkParsedStream(rawStream);
  return parseObjectStream(rawStream, shouldWaitForTick);
};
const parseXRefStream = PDFXRefStreamParser.forStream;
PDFXRefStreamParser.forStream = (rawStream) => {
  checkParsedStream(rawStream);
  return parseXRefStream(rawStream);
};

/** Strips a PDF in an attachment worker. */
export function stripPdf(bytes: Uint8Array): Promise<Uint8Array> {
  return stripOffThread('application/pdf', bytes);
}

/** Markup annotations, whose /T is the name of the person who made the comment. */
const PDF_MARKUP_ANNOTATIONS = new Set([
  'Text',
  'FreeText',
  'Line',
  'Square',
  'Circle',
  'Polygon',
  'PolyLine',
  'Highlight',
  'Underline',
  'Squiggly',
  'StrikeOut',
  'Stamp',
  'Caret',
  'Ink',
  'Popup',
  'FileAttachment',
  'Sound',
  'Redact',
]);

/** Actions that run code, send data, or open other files and programs. URI, GoTo and Named stay. */
const PDF_DANGEROUS_ACTIONS = new Set([
  'JavaScript',
  'SubmitForm',
  'ImportData',
  'Launch',
  'GoToR',
  'GoToE',
  'RichMediaExecute',
  'Rendition',
]);

/**
 * Rewrites a PDF without its document information, XMP metadata, comment authors, image
 * metadata (JPEG streams lose EXIF/GPS, XMP, ICC-less APP segments like a JPEG upload) and
 * active content: JavaScript (document-level in Names/JavaScript, JS actions anywhere, XFA
 * scripts), /OpenAction and additional actions (/AA), form submit and import actions, launch and
 * remote go-to actions, embedded files (Names/EmbeddedFiles, file-attachment annotations,
 * associated files /AF, any file specification's /EF) and portfolios (/Collection).
 */
export async function stripPdfInThisThread(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return await rewritePdf(bytes);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadablePdf();
  }
}

async function rewritePdf(bytes: Uint8Array): Promise<Uint8Array> {
  let doc: PDFDocument;
  const parse: { budget: InflateBudget; refused?: AppError } = { budget: new InflateBudget() };
  const budget = parse.budget;
  try {
    // Without a password pdf-lib refuses encrypted files (EncryptedPDFError). XFA is taken out
    // below, with the rest of the active content.
    pdfParse = parse;
    doc = await PDFDocument.load(bytes, { updateMetadata: false, preserveXFA: true });
  } catch (error) {
    throw parse.refused ?? (error instanceof AppError ? error : unreadablePdf());
  } finally {
    pdfParse = undefined;
  }
  if (parse.refused) throw parse.refused;
  const { context } = doc;
  if (context.trailerInfo.Encrypt !== undefined) throw unreadablePdf();
  const root = context.trailerInfo.Root;
  if (!(root instanceof PDFRef) || !(context.lookup(root) instanceof PDFDict)) throw unreadablePdf();
  doc.getPageCount(); // throws on a missing or broken page tree

  // The Info dictionary and the ID (a fingerprint of the original file) leave the trailer.
  context.trailerInfo.Info = undefined;
  context.trailerInfo.ID = undefined;

  const name = (n: string) => PDFName.of(n);
  const catalog = context.lookup(root) as PDFDict;
  catalog.delete(name('OpenAction'));
  catalog.delete(name('Collection'));
  const acroForm = context.lookup(catalog.get(name('AcroForm')));
  if (acroForm instanceof PDFDict) {
    acroForm.delete(name('XFA'));
    acroForm.delete(name('NeedsRendering'));
  }
  const names = context.lookup(catalog.get(name('Names')));
  if (names instanceof PDFDict) {
    names.delete(name('JavaScript'));
    names.delete(name('EmbeddedFiles'));
  }

  // Walk everything still reachable from the catalog, dropping metadata and active content on
  // the way; objects left unreached (the old Info, XMP streams, scripts, embedded files, earlier
  // revisions, object streams) are deleted.
  const reachable = new Set<PDFRef>([root]);
  const pending: unknown[] = [catalog];
  const METADATA = name('Metadata');
  const PIECE_INFO = name('PieceInfo');
  const SUBTYPE = name('Subtype');
  const RECT = name('Rect');
  const T = name('T');
  const S = name('S');
  const isDangerousAction = (value: unknown): boolean => {
    const action = context.lookup(value as PDFRef);
    if (action instanceof PDFArray) return action.asArray().some(isDangerousAction);
    if (!(action instanceof PDFDict)) return false;
    const kind = action.get(S);
    return (kind instanceof PDFName && PDF_DANGEROUS_ACTIONS.has(kind.decodeText())) || action.has(name('JS'));
  };
  while (pending.length > 0) {
    const object = pending.pop();
    if (object instanceof PDFRef) {
      if (reachable.has(object)) continue;
      reachable.add(object);
      pending.push(context.lookup(object));
    } else if (object instanceof PDFStream) {
      if (object instanceof PDFRawStream) stripPdfImage(object, budget);
      pending.push(object.dict);
    } else if (object instanceof PDFDict) {
      object.delete(METADATA);
      object.delete(PIECE_INFO);
      object.delete(name('AA')); // additional actions: on open, close, page view, field events
      object.delete(name('JS'));
      object.delete(name('EF')); // a file specification's embedded file streams
      object.delete(name('AF')); // associated files (PDF/A-3, PDF 2.0): embedded files by another name
      object.delete(name('RichMediaContent'));
      for (const key of ['A', 'Next', 'PA'])
        if (object.has(name(key)) && isDangerousAction(object.get(name(key)))) object.delete(name(key));
      const subtype = object.get(SUBTYPE);
      if (subtype instanceof PDFName && object.has(RECT)) {
        if (PDF_MARKUP_ANNOTATIONS.has(subtype.decodeText())) object.delete(T);
        if (subtype.decodeText() === 'FileAttachment') object.delete(name('FS'));
      }
      for (const [, value] of object.entries()) pending.push(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) pending.push(value);
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reachable.has(ref)) context.delete(ref);

  // Plain objects (no object streams): what is left is readable, and checkable, as it is.
  return await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * A JPEG image stream (/DCTDecode, alone or after /FlateDecode) loses its metadata segments
 * like an uploaded JPEG; the compressed pixels stay as they are. A stream that says it is a JPEG
 * and is not one is refused: it cannot be checked.
 */
function stripPdfImage(stream: PDFRawStream, budget: InflateBudget): void {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFName ? [filter] : filter instanceof PDFArray ? filter.asArray() : [];
  const namesOf = filters.map((f) => (f instanceof PDFName ? f.decodeText() : ''));
  if (namesOf.at(-1) !== 'DCTDecode') return;
  let jpeg: Uint8Array;
  if (namesOf.length === 1) jpeg = stream.getContents();
  else if (namesOf.length === 2 && namesOf[0] === 'FlateDecode') jpeg = budget.inflate(stream.getContents(), 'zlib');
  else throw unreadablePdf();
  if (embeddedImageType(jpeg) !== 'image/jpeg') throw unreadablePdf();
  stream.updateContents(stripMetadata('image/jpeg', jpeg));
  if (namesOf.length === 2) {
    stream.dict.set(PDFName.of('Filter'), PDFName.of('DCTDecode'));
    const parms = stream.dict.lookup(PDFName.of('DecodeParms'));
    if (parms instanceof PDFArray && parms.size() === 2) stream.dict.set(PDFName.of('DecodeParms'), parms.get(1));
    else stream.dict.delete(PDFName.of('DecodeParms'));
  }
}
