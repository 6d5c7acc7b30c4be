import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { constants, inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFString, type PDFDict } from '@cantoo/pdf-lib';
import CFB from 'cfb';
import { strToU8, strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { AppError } from '../../errors.ts';
import { stripOdf, stripOle, stripOoxml, stripPdf } from './strip-documents.ts';
import { stripAttachmentMetadata, stripMetadata } from './strip-metadata.ts';

const NAME = 'Budi Santoso Rahasia';
const PDF_REFUSAL = 'PDF tidak dapat diproses (terkunci sandi atau rusak); simpan ulang tanpa sandi';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../test/fixtures/attachments/${name}`, import.meta.url)));

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const utf16le = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf16le') + Buffer.from(bytes.subarray(1)).toString('utf16le');
const utf16beHex = (text: string): string => Buffer.from(text, 'utf16le').swap16().toString('hex');

/** Whether a zip mentions NAME: in its raw bytes or in any entry after inflating. */
function zipMentionsName(bytes: Uint8Array): boolean {
  if (latin1(bytes).includes(NAME)) return true;
  return Object.values(unzipSync(bytes)).some((data) => strFromU8(data).includes(NAME));
}

/** Whether a PDF mentions NAME: as a literal or UTF-16 hex string, also inside compressed streams. */
function pdfMentionsName(bytes: Uint8Array): boolean {
  const texts = [latin1(bytes)];
  const raw = texts[0]!;
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      texts.push(latin1(inflateSync(bytes.subarray(start, end), { finishFlush: constants.Z_SYNC_FLUSH })));
    } catch {
      // not a Flate stream
    }
  }
  const hex = utf16beHex(NAME);
  return texts.some((text) => text.includes(NAME) || text.toLowerCase().includes(hex));
}

async function assertRefused(promise: Promise<unknown>, message?: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    assert.equal(e.fields?.file, e.message);
    if (message !== undefined) assert.ok(e.message.startsWith(message), e.message);
    return true;
  });
}

function assertInvalidInput(fn: () => unknown, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    assert.equal(e.fields?.file, e.message);
    if (message !== undefined) assert.ok(e.message.startsWith(message), e.message);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// OOXML

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const DOCUMENT_XML =
  '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:body><w:p><w:r><w:t>Jalan rusak di Jl. Merdeka</w:t></w:r>' +
  `<w:ins w:id="1" w:author="${NAME}" w:date="2026-11-03T08:15:00Z"><w:r><w:t>sejak Oktober</w:t></w:r></w:ins>` +
  '</w:p></w:body></w:document>';
const IMAGE = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251);

function docx(): Uint8Array {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    'docProps/core.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:title>Surat ${NAME}</dc:title><dc:creator>${NAME}</dc:creator><cp:lastModifiedBy>${NAME}</cp:lastModifiedBy>` +
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-03T08:15:00Z</dcterms:created></cp:coreProperties>',
    ),
    'docProps/app.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">' +
        `<Template>C:\\Users\\${NAME}\\Normal.dotm</Template><Pages>1</Pages><Application>Microsoft Office Word</Application>` +
        `<Company>CV ${NAME}</Company><Manager>${NAME}</Manager></Properties>`,
    ),
    'docProps/custom.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ' +
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
        `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Pelapor"><vt:lpwstr>${NAME}</vt:lpwstr></property></Properties>`,
    ),
    'word/document.xml': strToU8(DOCUMENT_XML),
    'word/comments.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:comment w:id="0" w:author="${NAME}" w:initials="BSR"><w:p><w:r><w:t>cek lagi</w:t></w:r></w:p></w:comment></w:comments>`,
    ),
    'word/people.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">' +
        `<w15:person w15:author="${NAME}"><w15:presenceInfo w15:providerId="AD" w15:userId="S::budi@${NAME.replaceAll(' ', '')}.id"/></w15:person></w15:people>`,
    ),
    'word/media/image1.png': [IMAGE, { level: 0 }],
  };
  return zipSync(files, { level: 6 });
}

test('OOXML: author, company, template, custom properties and comment authors are gone; content is intact', () => {
  const input = docx();
  assert.ok(zipMentionsName(input), 'the test document carries the name');
  const out = stripOoxml(input);
  assert.ok(!zipMentionsName(out), 'no trace of the name, raw or inflated');

  const before = unzipSync(input);
  const after = unzipSync(out);
  assert.deepEqual(Object.keys(after), Object.keys(before), 'same parts, same order');
  assert.deepEqual(after['word/media/image1.png'], IMAGE);
  assert.deepEqual(after['[Content_Types].xml'], before['[Content_Types].xml']);
  assert.equal(strFromU8(after['word/document.xml']!), DOCUMENT_XML.replace(`w:author="${NAME}"`, 'w:author=""'));

  const core = strFromU8(after['docProps/core.xml']!);
  assert.match(core, /^<\?xml [^>]*\?>\s*<cp:coreProperties [^>]*\/>$/);
  assert.doesNotMatch(core, /creator|lastModifiedBy|created|title/);
  const app = strFromU8(after['docProps/app.xml']!);
  assert.match(app, /<Pages>1<\/Pages>/, 'harmless statistics stay');
  assert.doesNotMatch(app, /Company|Manager|Template|Application/);
  assert.match(app, /^<\?xml[^>]*\?><Properties [^>]*>.*<\/Properties>$/);
  assert.match(strFromU8(after['docProps/custom.xml']!), /<Properties [^>]*\/>$/);
  assert.match(strFromU8(after['word/comments.xml']!), /w:author="" w:initials=""><w:p><w:r><w:t>cek lagi</);
});

test('OOXML: Excel comment authors, persons and saved-in path; PowerPoint comment authors', () => {
  const input = zipSync({
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    'xl/workbook.xml': strToU8(
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">' +
        `<fileSharing userName="${NAME}"/><x15ac:absPath url="C:\\Users\\${NAME}\\Documents\\"/><sheets><sheet name="Data" sheetId="1"/></sheets></workbook>`,
    ),
    'xl/comments1.xml': strToU8(
      `<comments><authors><author>${NAME}</author></authors><commentList><comment ref="A1" authorId="0"><text><t>periksa</t></text></comment></commentList></comments>`,
    ),
    'xl/persons/person.xml': strToU8(`<personList><person displayName="${NAME}" id="{1}" userId="budi" providerId="None"/></personList>`),
    'ppt/commentAuthors.xml': strToU8(
      `<p:cmAuthorLst xmlns:p="p"><p:cmAuthor id="0" name="${NAME}" initials="BSR" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>`,
    ),
  });
  assert.ok(zipMentionsName(input));
  const out = stripOoxml(input);
  assert.ok(!zipMentionsName(out));
  const after = unzipSync(out);
  assert.match(strFromU8(after['xl/workbook.xml']!), /<fileSharing userName=""\/><sheets><sheet name="Data" sheetId="1"\/><\/sheets>/);
  assert.match(strFromU8(after['xl/comments1.xml']!), /<authors><author><\/author><\/authors><commentList>.*periksa/);
  assert.match(strFromU8(after['ppt/commentAuthors.xml']!), /id="0" name="" initials="" lastIdx="1"/);
});

// ---------------------------------------------------------------------------------------------
// ODF

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';
const ODT_CONTENT =
  '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">' +
  '<office:body><office:text><text:p>Jalan rusak di Jl. Merdeka' +
  `<office:annotation><dc:creator>${NAME}</dc:creator><dc:date>2026-11-03T08:15:00</dc:date><text:p>cek</text:p></office:annotation>` +
  '</text:p></office:text></office:body></office:document-content>';

function odt(mimetypeFirst = true): Uint8Array {
  const meta =
    '<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>' +
    `<meta:initial-creator>${NAME}</meta:initial-creator><dc:creator>${NAME}</dc:creator><meta:printed-by>${NAME}</meta:printed-by>` +
    '<meta:creation-date>2026-11-03T08:15:00</meta:creation-date><meta:generator>LibreOffice/7.6</meta:generator>' +
    `<meta:user-defined meta:name="Pelapor">${NAME}</meta:user-defined></office:meta></office:document-meta>`;
  const settings =
    '<office:document-settings xmlns:office="o" xmlns:config="c"><config:config-item config:name="PrinterName" config:type="string">' +
    `Printer ${NAME}</config:config-item></office:document-settings>`;
  const rest: Zippable = {
    'content.xml': strToU8(ODT_CONTENT),
    'meta.xml': strToU8(meta),
    'settings.xml': strToU8(settings),
    'Pictures/foto.png': [IMAGE, { level: 0 }],
  };
  const mimetype: Zippable = { mimetype: [strToU8(ODT_MIMETYPE), { level: mimetypeFirst ? 0 : 9 }] };
  return zipSync(mimetypeFirst ? { ...mimetype, ...rest } : { ...rest, ...mimetype });
}

function assertMimetypeFirstAndStored(zip: Uint8Array): void {
  const view = Buffer.from(zip);
  assert.equal(view.readUInt32LE(0), 0x04034b50, 'a local file header first');
  assert.equal(view.readUInt16LE(8), 0, 'stored, not deflated');
  const nameLength = view.readUInt16LE(26);
  const extraLength = view.readUInt16LE(28);
  assert.equal(latin1(zip.subarray(30, 30 + nameLength)), 'mimetype');
  const dataStart = 30 + nameLength + extraLength;
  assert.equal(latin1(zip.subarray(dataStart, dataStart + ODT_MIMETYPE.length)), ODT_MIMETYPE);
}

test('ODF: meta.xml is emptied, comment authors and printer blanked; mimetype stays first and stored', () => {
  const input = odt();
  assert.ok(zipMentionsName(input));
  const out = stripOdf(input);
  assert.ok(!zipMentionsName(out));
  assertMimetypeFirstAndStored(out);

  const after = unzipSync(out);
  assert.deepEqual(after['Pictures/foto.png'], IMAGE);
  assert.equal(strFromU8(after['content.xml']!), ODT_CONTENT.replace(`<dc:creator>${NAME}</dc:creator>`, '<dc:creator></dc:creator>'));
  const meta = strFromU8(after['meta.xml']!);
  assert.match(meta, /<office:document-meta [^>]*office:version="1.3"><office:meta\/><\/office:document-meta>$/);
  assert.doesNotMatch(meta, /creator|printed-by|date|generator|user-defined/);
});

test('ODF: a mimetype entry that was not first or was deflated is put first and stored', () => {
  const out = stripOdf(odt(false));
  assertMimetypeFirstAndStored(out);
  assert.equal(strFromU8(unzipSync(out)['content.xml']!).includes('Jalan rusak'), true);
});

// ---------------------------------------------------------------------------------------------
// Real files written by LibreOffice and Ghostscript still open after stripping

test('the fixture documents still open, with their content', async () => {
  for (const name of ['letter.docx', 'sheet.xlsx', 'slides.pptx']) {
    const before = unzipSync(fixture(name));
    const after = unzipSync(stripOoxml(fixture(name)));
    assert.deepEqual(Object.keys(after), Object.keys(before), name);
    for (const part of Object.keys(before)) {
      if (!part.startsWith('docProps/')) assert.deepEqual(after[part], before[part], `${name}: ${part}`);
    }
  }
  for (const name of ['letter.odt', 'sheet.ods']) {
    const out = stripOdf(fixture(name));
    const before = unzipSync(fixture(name));
    const after = unzipSync(out);
    assert.deepEqual(Object.keys(after), Object.keys(before), name);
    assert.deepEqual(after['content.xml'], before['content.xml'], name);
    assert.doesNotMatch(strFromU8(after['meta.xml']!), /generator|date/, name);
  }
  for (const name of ['letter.doc', 'sheet.xls']) {
    const input = fixture(name);
    const out = stripOle(input);
    assert.equal(out.length, input.length, `${name}: edited in place`);
    const before = CFB.read(input, { type: 'buffer' });
    const after = CFB.read(out, { type: 'buffer' });
    assert.deepEqual(after.FullPaths, before.FullPaths, name);
    for (const [i, entry] of before.FileIndex.entries()) {
      if (entry.type !== 2) continue;
      const stripped = after.FileIndex[i]!;
      if (entry.name.startsWith('\u0005')) assertEmptyPropertySet(stripped.content, `${name}: ${entry.name}`);
      else if (entry.name !== 'Workbook') assert.deepEqual(stripped.content, entry.content, `${name}: ${entry.name}`);
    }
  }
  const pdf = await PDFDocument.load(await stripPdf(fixture('document.pdf')), { updateMetadata: false });
  assert.equal(pdf.getPageCount(), 1);
  assert.equal(pdf.getProducer(), undefined, 'Ghostscript no longer named');
});

// ---------------------------------------------------------------------------------------------
// PDF

async function pdfWithName(options: { objectStreams: boolean }): Promise<{ bytes: Uint8Array; content: Uint8Array }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([300, 200]);
  page.drawText('Jalan rusak di Jl. Merdeka', { x: 20, y: 100, size: 12 });
  const { context } = doc;
  context.trailerInfo.Info = context.register(
    context.obj({
      Author: PDFString.of(NAME),
      Creator: PDFString.of(`Word (${NAME})`),
      Producer: PDFString.of('Microsoft Word'),
      Title: PDFString.of(`Surat ${NAME}`),
      CreationDate: PDFString.of('D:20261103081500+07' + "'00'"),
    }),
  );
  doc.setSubject(NAME); // a UTF-16 hex string
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><dc:creator>${NAME}</dc:creator></rdf:RDF></x:xmpmeta>`;
  doc.catalog.set(PDFName.of('Metadata'), context.register(context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' })));
  const note = context.obj({
    Type: 'Annot',
    Subtype: 'Text',
    Rect: [10, 10, 30, 30],
    T: PDFString.of(NAME),
    Contents: PDFString.of('cek'),
  });
  page.node.set(PDFName.of('Annots'), context.obj([context.register(note)]));
  const bytes = await doc.save({ useObjectStreams: options.objectStreams });
  return { bytes, content: pageContent((await PDFDocument.load(bytes)).getPage(0).node) };
}

/** The page's content stream bytes (still encoded), all of them in order. */
function pageContent(page: PDFDict): Uint8Array {
  const contents = page.lookup(PDFName.of('Contents'));
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.context.lookup(ref)) : [contents];
  return Buffer.concat(
    streams.map((stream) => {
      assert.ok(stream instanceof PDFRawStream);
      return stream.getContents();
    }),
  );
}

/** Appends an incremental update whose new Info no longer names anyone; the old Info stays in the file. */
function withIncrementalUpdate(bytes: Uint8Array, root: string, number: number): Uint8Array {
  const text = latin1(bytes);
  const previous = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const object = `${number} 0 obj\n<< /Producer (Revisi kedua) >>\nendobj\n`;
  const objectOffset = bytes.length + 1;
  const xrefOffset = objectOffset + object.length;
  const update =
    `\n${object}xref\n${number} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${number + 1} /Root ${root} /Info ${number} 0 R /Prev ${previous} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([bytes, Buffer.from(update, 'latin1')]);
}

test('PDF: Info, XMP and comment authors are gone from the bytes; pages and content are intact', async () => {
  for (const objectStreams of [false, true]) {
    const { bytes, content } = await pdfWithName({ objectStreams });
    assert.ok(pdfMentionsName(bytes), 'the test PDF carries the name');
    const out = await stripPdf(bytes);
    assert.ok(!pdfMentionsName(out), `no trace of the name (object streams: ${objectStreams})`);

    const doc = await PDFDocument.load(out, { updateMetadata: false });
    assert.equal(doc.getPageCount(), 1);
    assert.deepEqual(pageContent(doc.getPage(0).node), content, 'page content stream unchanged');
    assert.equal(doc.context.trailerInfo.Info, undefined, 'no Info dictionary'); // before getAuthor(), which makes one
    assert.ok(!latin1(out).includes('/Info'));
    assert.equal(doc.getAuthor(), undefined);
    assert.equal(doc.getTitle(), undefined);
    assert.equal(doc.catalog.get(PDFName.of('Metadata')), undefined);
    const annots = doc.getPage(0).node.Annots();
    assert.equal(annots?.size(), 1, 'the comment itself stays');
    assert.equal(latin1(out).includes('(cek)'), true, 'with its text');
  }
});

test('PDF: values left behind by an earlier revision are gone too', async () => {
  const { bytes } = await pdfWithName({ objectStreams: false });
  const doc = await PDFDocument.load(bytes);
  const updated = withIncrementalUpdate(bytes, doc.context.trailerInfo.Root!.toString(), doc.context.largestObjectNumber + 1);
  const reloaded = await PDFDocument.load(updated, { updateMetadata: false });
  assert.equal(reloaded.getProducer(), 'Revisi kedua', 'the update is what readers see');
  assert.ok(latin1(updated).includes(`/Author (${NAME})`), 'while the old Info is still in the file');

  const out = await stripPdf(updated);
  assert.ok(!pdfMentionsName(out));
  assert.ok(!latin1(out).includes('Revisi kedua'));
  assert.equal((await PDFDocument.load(out)).getPageCount(), 1);
});

test('PDF: an encrypted PDF is refused with a clear message', async () => {
  const doc = await PDFDocument.create();
  doc.setAuthor(NAME);
  doc.addPage();
  await doc.encrypt({ userPassword: 'rahasia', ownerPassword: 'pemilik' });
  const bytes = await doc.save();
  assert.ok(latin1(bytes).includes('/Encrypt'));
  await assertRefused(stripPdf(bytes), PDF_REFUSAL);
});

test('PDF: garbage and a truncated file are refused as invalid input', async () => {
  const { bytes } = await pdfWithName({ objectStreams: false });
  await assertRefused(stripPdf(strToU8('bukan PDF sama sekali')), PDF_REFUSAL);
  await assertRefused(stripPdf(bytes.subarray(0, 120)), PDF_REFUSAL);
  await assertRefused(stripPdf(new Uint8Array(0)), PDF_REFUSAL);
});

// ---------------------------------------------------------------------------------------------
// Legacy OLE

const WORD_STREAM = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);

function ole(streams: Record<string, Uint8Array>): Uint8Array {
  const container = CFB.utils.cfb_new();
  for (const [name, content] of Object.entries(streams)) CFB.utils.cfb_add(container, `/${name}`, content);
  return new Uint8Array(CFB.write(container, { type: 'buffer' }) as Uint8Array);
}

const oleMentionsName = (bytes: Uint8Array): boolean => latin1(bytes).includes(NAME) || utf16le(bytes).includes(NAME);

/** An empty property set: byte order mark, one section with the SummaryInformation or DocumentSummaryInformation FMTID, only a CodePage. */
function assertEmptyPropertySet(content: ArrayLike<number>, label: string): void {
  const bytes = Buffer.from(Uint8Array.from(content));
  assert.equal(bytes.readUInt16LE(0), 0xfffe, `${label}: byte order`);
  assert.equal(bytes.readUInt32LE(24), 1, `${label}: one section`);
  assert.ok(['f29f85e0', 'd5cdd502'].includes(bytes.readUInt32LE(28).toString(16)), `${label}: FMTID`);
  assert.equal(bytes.readUInt32LE(44), 48, `${label}: section offset`);
  assert.equal(bytes.readUInt32LE(52), 1, `${label}: only the code page`);
  assert.ok(
    bytes.subarray(72).every((byte) => byte === 0),
    `${label}: the rest is zeros`,
  );
}

test('OLE: SummaryInformation and DocumentSummaryInformation become empty; other streams are intact', () => {
  // Property sets with the author as a code-page string and as UTF-16 (the shape is what counts here).
  const summary = Buffer.concat([Buffer.from([0xfe, 0xff, 0, 0]), Buffer.alloc(96), Buffer.from(`Author\0${NAME}\0`, 'latin1')]);
  const documentSummary = Buffer.concat([Buffer.from([0xfe, 0xff, 0, 0]), Buffer.alloc(96), Buffer.from(`Company\0${NAME}\0`, 'utf16le')]);
  const input = ole({
    WordDocument: WORD_STREAM,
    '\u0005SummaryInformation': summary,
    '\u0005DocumentSummaryInformation': documentSummary,
    'ObjectPool/_1/\u0005SummaryInformation': summary, // an embedded object's own properties
  });
  assert.ok(oleMentionsName(input));
  const out = stripOle(input);
  assert.ok(!oleMentionsName(out));
  assert.equal(out.length, input.length);

  const container = CFB.read(out, { type: 'buffer' });
  assert.deepEqual(new Uint8Array(CFB.find(container, '/WordDocument')!.content), WORD_STREAM);
  for (const path of ['/\u0005SummaryInformation', '/\u0005DocumentSummaryInformation', '/ObjectPool/_1/\u0005SummaryInformation']) {
    assertEmptyPropertySet(CFB.find(container, path)!.content, path);
  }
});

test('OLE: free sectors, which can hold an earlier save, are zeroed', () => {
  const input = ole({ WordDocument: WORD_STREAM });
  // One more sector at the end of the file, marked free (FREESECT) in the FAT.
  const padded = Buffer.concat([input, Buffer.alloc(512)]);
  const sector = padded.length / 512 - 2;
  const fatSector = padded.readUInt32LE(0x4c);
  assert.ok(sector < 128, 'covered by the first FAT sector');
  padded.writeUInt32LE(0xffffffff, (fatSector + 1) * 512 + sector * 4);
  padded.write(NAME, padded.length - 512, 'latin1');
  assert.ok(oleMentionsName(padded));
  const out = stripOle(padded);
  assert.ok(!oleMentionsName(out));
  assert.deepEqual(new Uint8Array(CFB.find(CFB.read(out, { type: 'buffer' }), '/WordDocument')!.content), WORD_STREAM);
});

test("OLE: Excel's WRITEACCESS user name and PowerPoint's Current User are blanked in place", () => {
  const record = (type: number, data: Uint8Array): Buffer => {
    const header = Buffer.alloc(4);
    header.writeUInt16LE(type, 0);
    header.writeUInt16LE(data.length, 2);
    return Buffer.concat([header, data]);
  };
  const userName = Buffer.concat([Buffer.from([NAME.length, 0, 0]), Buffer.from(NAME, 'latin1')]);
  const writeAccess = Buffer.concat([userName, Buffer.alloc(112 - userName.length, 0x20)]);
  const workbook = Buffer.concat([record(0x0809, Buffer.alloc(16)), record(0x005c, writeAccess), record(0x000a, Buffer.alloc(0))]);

  const atom = Buffer.alloc(28);
  atom.writeUInt16LE(0x0ff6, 2);
  atom.writeUInt32LE(20, 8);
  atom.writeUInt16LE(NAME.length, 20);
  const currentUser = Buffer.concat([atom, Buffer.from(NAME, 'latin1'), Buffer.alloc(4), Buffer.from(NAME, 'utf16le')]);

  const out = stripOle(ole({ Workbook: workbook, 'Current User': currentUser, PowerPoint: WORD_STREAM }));
  assert.ok(!oleMentionsName(out));
  const container = CFB.read(out, { type: 'buffer' });
  const strippedWorkbook = Buffer.from(CFB.find(container, '/Workbook')!.content);
  assert.equal(strippedWorkbook.length, workbook.length, 'records keep their lengths');
  assert.deepEqual([...strippedWorkbook.subarray(24, 28)], [1, 0, 0, 0x20], 'a one-space user name');
  assert.deepEqual(strippedWorkbook.subarray(0, 20), workbook.subarray(0, 20), 'other records unchanged');
  assert.equal(CFB.find(container, '/Current User')!.content.length, currentUser.length);
  assert.deepEqual(new Uint8Array(CFB.find(container, '/PowerPoint')!.content), WORD_STREAM);
});

// ---------------------------------------------------------------------------------------------
// Refusals and routing

test('garbage or a truncated container is refused as invalid input, never a crash', () => {
  const zip = docx();
  const compound = ole({ WordDocument: WORD_STREAM });
  const garbage = strToU8('bukan dokumen sama sekali, hanya teks biasa yang cukup panjang');
  for (const strip of [stripOoxml, stripOdf, stripOle]) {
    assertInvalidInput(() => strip(garbage));
    assertInvalidInput(() => strip(new Uint8Array(0)));
  }
  assertInvalidInput(() => stripOoxml(zip.subarray(0, Math.floor(zip.length / 2))));
  assertInvalidInput(() => stripOoxml(zip.subarray(0, zip.length - 10)));
  assertInvalidInput(() => stripOdf(zip), 'Dokumen tidak dapat diproses'); // a zip, but no mimetype
  assertInvalidInput(() => stripOoxml(odt())); // a zip, but no [Content_Types].xml
  assertInvalidInput(() => stripOle(compound.subarray(0, 600)));
  assertInvalidInput(() => stripOle(zip));

  // An entry whose data does not match its CRC is refused rather than passed on.
  const damaged = docx();
  const at = latin1(damaged).indexOf('docProps/app.xml') + 'docProps/app.xml'.length + 5;
  damaged[at] = damaged[at]! ^ 0xff;
  assertInvalidInput(() => stripOoxml(damaged));
});

test('stripAttachmentMetadata routes documents to the document strippers; PDF only through it', async () => {
  const { bytes } = await pdfWithName({ objectStreams: false });
  assert.ok(!pdfMentionsName(await stripAttachmentMetadata('application/pdf', bytes)));
  assert.ok(!pdfMentionsName(await stripAttachmentMetadata('Application/PDF; q=1', bytes)));
  assert.throws(() => stripMetadata('application/pdf', bytes), TypeError, 'the synchronous path refuses PDF rather than pass it through');
  assert.ok(
    !zipMentionsName(await stripAttachmentMetadata('application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx())),
  );
  assert.ok(!zipMentionsName(stripMetadata('application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx())));
  assert.ok(!zipMentionsName(stripMetadata('application/vnd.oasis.opendocument.text', odt())));
  const doc = ole({ WordDocument: WORD_STREAM, '\u0005SummaryInformation': Buffer.from(`\xfe\xff${'\0'.repeat(80)}${NAME}`, 'latin1') });
  assert.ok(!oleMentionsName(stripMetadata('application/msword', doc)));
  await assertRefused(stripAttachmentMetadata('application/pdf', strToU8('bukan PDF')), PDF_REFUSAL);
});
