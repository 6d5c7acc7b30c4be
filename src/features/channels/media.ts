import { timingSafeEqual } from 'node:crypto';

/**
 * What the chat platforms share: a photo downloaded with a size cap, secrets compared in constant
 * time, and errors that say whether another try could help.
 */

/** A photo the platform will never give (too large, gone): the message goes on without it, and says why. */
export class MediaUnavailable extends Error {}

/** Sends and downloads give up after this long; the outbox or the replay tries again later. */
export const PLATFORM_TIMEOUT_MS = 15_000;

/** The bytes at a URL, refused before reading when the declared size is over the cap, and cut off once it is. */
export async function downloadCapped(url: string, init: RequestInit, maxBytes: number): Promise<Uint8Array> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS) });
  if (res.status === 404 || res.status === 410) throw new MediaUnavailable(`the file is gone (${res.status})`);
  if (!res.ok) throw new Error(`download answered ${res.status}`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new MediaUnavailable(`the file is larger than ${maxBytes} bytes`);
  }
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new MediaUnavailable(`the file is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** Two secrets compared without leaking, by timing, how much of them matched. */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An error a platform gave for a send: `permanent` when trying again cannot help. */
export function platformError(message: string, options: { status?: number; permanent: boolean }): Error {
  return Object.assign(new Error(message), { responseCode: options.status, permanent: options.permanent });
}

/** The text of a JSON answer, or null when it is not JSON. */
export async function jsonOf(res: Response): Promise<Record<string, unknown> | null> {
  const text = await res.text().catch(() => '');
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const stringOf = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

/** A latitude and longitude, each a finite number in range. */
export function coordinates(lat: unknown, lng: unknown): { latitude: number; longitude: number } | null {
  const latitude = typeof lat === 'string' ? Number(lat) : lat;
  const longitude = typeof lng === 'string' ? Number(lng) : lng;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) return null;
  return { latitude, longitude };
}
