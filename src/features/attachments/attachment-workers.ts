import os from 'node:os';
import type { Pixels } from './image-size.ts';
import type { InspectedAttachment } from './inspect.ts';
import { WorkerPool } from './worker-pool.ts';

/**
 * The attachment workers: every upload is inspected and stripped here, off the API's event loop
 * (see strip-worker.ts for what runs inside). One pool per process, started on first use.
 *
 * Sized for small machines: one worker per core, at most four (on two cores the API thread and
 * PostgreSQL still get their share, since a waiting request needs little CPU). Each worker may
 * use 512 MB of JavaScript heap; the decompression caps in strip-documents.ts bound the buffers
 * outside it. A task gets 30 s (a clean 10 MB PDF takes under one).
 */
export const ATTACHMENT_TIME_LIMIT_MS = 30_000;
export const ATTACHMENT_QUEUE_LIMIT = 32;

export type AttachmentTask =
  | { kind: 'prepare'; fileName: string; declaredType?: string; bytes: Uint8Array; maxBytes: number }
  | { kind: 'strip'; mediaType: string; bytes: Uint8Array };

export type AttachmentResult =
  | { kind: 'prepare'; info: InspectedAttachment; bytes: Uint8Array; pixels: Pixels | null }
  | { kind: 'strip'; bytes: Uint8Array };

let pool: WorkerPool<AttachmentTask, AttachmentResult> | undefined;

export function attachmentWorkers(): WorkerPool<AttachmentTask, AttachmentResult> {
  pool ??= new WorkerPool<AttachmentTask, AttachmentResult>({
    script: new URL('./strip-worker.ts', import.meta.url),
    size: Math.max(1, Math.min(4, os.availableParallelism())),
    queueLimit: ATTACHMENT_QUEUE_LIMIT,
    timeLimitMs: ATTACHMENT_TIME_LIMIT_MS,
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 },
  });
  return pool;
}

/**
 * Checks an upload by its content (inspectAttachment) and strips its metadata, in a worker; an
 * image's width and height come back with it (image-size.ts), `null` for documents.
 * The bytes are copied to the worker; the caller's buffer stays usable.
 */
export async function prepareAttachment(
  input: { fileName: string; declaredType?: string; bytes: Uint8Array },
  limits: { maxBytes: number },
): Promise<{ info: InspectedAttachment; bytes: Uint8Array; pixels: Pixels | null }> {
  const result = await attachmentWorkers().run({ kind: 'prepare', ...input, maxBytes: limits.maxBytes });
  if (result.kind !== 'prepare') throw new Error('attachment worker: unexpected answer');
  return { info: result.info, bytes: result.bytes, pixels: result.pixels };
}

/** stripAttachmentMetadata's worker side: strips a file of a known type in a worker. */
export async function stripOffThread(mediaType: string, bytes: Uint8Array): Promise<Uint8Array> {
  const result = await attachmentWorkers().run({ kind: 'strip', mediaType, bytes });
  if (result.kind !== 'strip') throw new Error('attachment worker: unexpected answer');
  return result.bytes;
}
