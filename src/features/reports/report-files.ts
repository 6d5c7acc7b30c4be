import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../db/db.ts';
import type { Visibility } from '../../domain/workflow.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { prepareAttachment } from '../attachments/attachment-workers.ts';
import type { Pixels } from '../attachments/image-size.ts';
import { formatMegabytes } from '../attachments/inspect.ts';
import { type BlobStorage, newStorageKey } from '../attachments/storage.ts';
import { insertAttachment } from './reports.repository.ts';

export interface StoredFile {
  storageKey: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  /** An image's width and height from its header (null for documents, or when unreadable). */
  pixels: Pixels | null;
}

/**
 * Checks every file by its content, strips identifying metadata (EXIF GPS, camera, authors), and stores
 * it, all before the database transaction opens, so a bad file is refused before anything is
 * written and no transaction waits on disk I/O. Call `discardFiles` if the transaction fails.
 */
export async function prepareFiles(files: File[], config: Config, storage: BlobStorage, now: Date): Promise<StoredFile[]> {
  if (files.length > config.maxAttachments) {
    throw invalidInput({ attachments: `Maksimal ${config.maxAttachments} lampiran / At most ${config.maxAttachments} attachments` });
  }
  const checked: { bytes: Uint8Array; fileName: string; mediaType: string; pixels: Pixels | null }[] = [];
  for (const [index, file] of files.entries()) {
    if (file.size > config.maxAttachmentBytes) {
      throw new AppError(
        'attachment_too_large',
        `Lampiran terlalu besar / Attachment too large (max ${formatMegabytes(config.maxAttachmentBytes)} MB)`,
        { [`attachments.${index}`]: file.name },
      );
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      // Type check and metadata stripping run in a worker thread, never on the event loop.
      const {
        info,
        bytes: stripped,
        pixels,
      } = await prepareAttachment(
        { fileName: file.name, declaredType: file.type || undefined, bytes },
        { maxBytes: config.maxAttachmentBytes },
      );
      checked.push({ bytes: stripped, fileName: info.fileName, mediaType: info.mediaType, pixels });
    } catch (err) {
      if (err instanceof AppError) {
        const named = new AppError(err.code, err.message, { [`attachments.${index}`]: err.message });
        named.retryAfterSeconds = err.retryAfterSeconds; // a full attachment queue (503) says when to retry
        throw named;
      }
      throw err;
    }
  }
  const stored: StoredFile[] = [];
  try {
    for (const file of checked) {
      const storageKey = newStorageKey(now);
      await storage.put(storageKey, file.bytes);
      stored.push({
        storageKey,
        fileName: file.fileName,
        mediaType: file.mediaType,
        sizeBytes: file.bytes.byteLength,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        pixels: file.pixels,
      });
    }
  } catch (err) {
    await discardFiles(stored, storage);
    throw err;
  }
  return stored;
}

export async function discardFiles(files: StoredFile[], storage: BlobStorage): Promise<void> {
  await Promise.all(files.map((f) => storage.delete(f.storageKey).catch(() => undefined)));
}

export async function recordFiles(
  db: Queryable,
  files: StoredFile[],
  link: { reportId: number; eventId: number | null; visibility: Visibility; uploadedBy: number | null },
): Promise<void> {
  for (const f of files) await insertAttachment(db, { ...f, ...link });
}
