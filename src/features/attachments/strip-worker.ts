import fs from 'node:fs';
import os from 'node:os';
import { isMainThread, parentPort } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import type { AttachmentResult, AttachmentTask } from './attachment-workers.ts';
import { imageDimensions } from './image-size.ts';
import { inspectAttachment } from './inspect.ts';
import { stripInThisThread } from './strip-metadata.ts';
import type { WorkerAnswer } from './worker-pool.ts';

/**
 * The attachment worker (see attachment-workers.ts): inspects and strips one file at a time.
 * Any error that is not an AppError is reported without detail, as "cannot be processed".
 */
async function handle(task: AttachmentTask): Promise<AttachmentResult> {
  if (task.kind === 'prepare') {
    const info = await inspectAttachment(task, { maxBytes: task.maxBytes });
    const bytes = await stripInThisThread(info.mediaType, task.bytes);
    return { kind: 'prepare', info, bytes, pixels: info.mediaType.startsWith('image/') ? imageDimensions(bytes) : null };
  }
  return { kind: 'strip', bytes: await stripInThisThread(task.mediaType, task.bytes) };
}

/**
 * On Linux a thread has its own nice value: this worker's thread yields the CPU to the API's
 * event loop (nice 0), so on a small machine a busy worker delays other requests as little as
 * possible. Best effort: elsewhere, or without /proc, the worker runs at normal priority.
 */
export const WORKER_NICE = 10;

function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, WORKER_NICE);
  } catch {
    // not Linux, or not permitted: normal priority
  }
}

if (!isMainThread && parentPort) {
  lowerThisThreadsPriority();
  const port = parentPort;
  port.on('message', ({ id, task }: { id: number; task: AttachmentTask }) => {
    handle(task).then(
      (result) => {
        // Moved, not copied, when the output owns its whole buffer; Node's Buffers (pooled, or
        // marked untransferable) and views into the input are copied into a plain one first.
        const own =
          !Buffer.isBuffer(result.bytes) && result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength;
        const bytes = own ? result.bytes : new Uint8Array(result.bytes);
        const answer: WorkerAnswer<AttachmentResult> = { id, ok: true, result: { ...result, bytes } };
        try {
          port.postMessage(answer, [bytes.buffer as ArrayBuffer]);
        } catch {
          port.postMessage({ id, ok: false, error: { message: 'failed' } } satisfies WorkerAnswer<AttachmentResult>);
        }
      },
      (error: unknown) => {
        const answer: WorkerAnswer<AttachmentResult> =
          error instanceof AppError
            ? { id, ok: false, error: { code: error.code, message: error.message, fields: error.fields } }
            : { id, ok: false, error: { message: 'failed' } };
        port.postMessage(answer);
      },
    );
  });
}
