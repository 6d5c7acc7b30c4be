import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Response, TestApp } from './app.ts';
import { reportInput } from './app.ts';

export const ATTACHMENT_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/attachments');

export function fixtureBytes(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fs.readFileSync(path.join(ATTACHMENT_FIXTURES, name)));
}

/** What photo-gps.jpg (and the documents built from it) says of its owner: none may survive. */
export const PHOTO_IDENTITY = ['Budi Santoso', 'SAMSUNG', 'SM-A546E', 'R58T90ABCDE'];

export function includesText(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, 'utf8')) || Buffer.from(bytes).includes(Buffer.from(text, 'utf16le'));
}

/** The JPEG's segments before the scan: marker and length. */
export function jpegSegments(b: Uint8Array): { marker: number; length: number }[] {
  assert.equal(b[0], 0xff);
  assert.equal(b[1], 0xd8);
  const out: { marker: number; length: number }[] = [];
  let pos = 2;
  while (pos + 4 <= b.length && b[pos] === 0xff) {
    const marker = b[pos + 1]!;
    const length = (b[pos + 2]! << 8) | b[pos + 3]!;
    out.push({ marker, length });
    if (marker === 0xda) break;
    pos += 2 + length;
  }
  return out;
}

/** A stripped JPEG: no EXIF beyond the orientation-only block, no XMP, IPTC, ICC or comment. */
export function assertCleanJpeg(b: Uint8Array, where: string): void {
  for (const { marker, length } of jpegSegments(b)) {
    if (marker === 0xe1) assert.ok(length <= 34, `${where}: an APP1 (EXIF/XMP) of ${length} bytes is left`);
    else
      assert.ok(
        !(marker >= 0xe2 && marker <= 0xef && marker !== 0xee) && marker !== 0xfe,
        `${where}: segment 0x${marker.toString(16)} is left`,
      );
  }
  for (const text of PHOTO_IDENTITY) assert.ok(!includesText(b, text), `${where}: "${text}" is left`);
}

export async function submitWithFiles(t: TestApp, token: string, overrides: Record<string, unknown>, files: File[]): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(reportInput(overrides))) form.set(k, String(v));
  for (const f of files) form.append('attachments', f);
  return t.request('POST', '/api/v1/reports', { token, form });
}

/** Downloads raw bytes (TestApp.request reads text). */
export async function download(t: TestApp, url: string, token?: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const res = await t.app.request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** The file name a Content-Disposition header gives, preferring `filename*` (RFC 6266). */
export function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]!);
  return /filename="([^"]*)"/.exec(header)?.[1];
}
