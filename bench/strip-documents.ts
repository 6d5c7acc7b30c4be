/**
 * Document metadata stripping benchmark (npm run bench:strip): how long an upload waits for
 * stripAttachmentMetadata, per document type. Every file is stripped in the attachment workers
 * (a small pool started on first use and kept), so this is the time of the work plus the hand-off.
 *
 * Prints, for each document, its size and the time of six runs in a row (the first includes
 * loading the code). Always exits 0 once it has run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { stripAttachmentMetadata } from '../src/features/attachments/strip-metadata.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../test/fixtures/attachments');
const RUNS = 6;

async function manyPages(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage().drawText(`Halaman ${i} `.repeat(40));
  return doc.save();
}

const documents: [label: string, mediaType: string, bytes: Uint8Array][] = [
  ['document.pdf (fixture)', 'application/pdf', new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'document.pdf')))],
  ['PDF, 200 pages of text', 'application/pdf', await manyPages(200)],
  ['PDF, 2,000 pages of text', 'application/pdf', await manyPages(2000)],
  [
    'letter.docx (fixture)',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'letter.docx'))),
  ],
];

console.log(`Document metadata stripping — ${new Date().toISOString()}`);
console.log(
  `Node ${process.version}, ${os.type()} ${os.release()}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? '?'})`,
);
for (const [label, mediaType, bytes] of documents) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await stripAttachmentMetadata(mediaType, bytes);
    ms.push(performance.now() - started);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(28)} ${(bytes.length / 1024).toFixed(0).padStart(6)} KiB: ${ms.map((x) => x.toFixed(0)).join(' ')} ms; median ${sorted[RUNS / 2]!.toFixed(0)} ms`,
  );
}
