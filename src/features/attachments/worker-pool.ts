import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../errors.ts';

/**
 * A small, long-lived pool of worker threads for CPU-bound work on untrusted input (attachment
 * inspection and stripping). The API's event loop only posts bytes and awaits the answer, so a
 * hostile upload can slow other uploads down but never /healthz or any other request.
 *
 *  - `size` workers, started on first use and kept (a start costs ~130 ms); idle workers are
 *    unref'd, so they never keep a process alive.
 *  - At most `queueLimit` tasks wait; beyond that `run` refuses at once (503, try again), so a
 *    flood of uploads waits in a bounded line instead of piling up bytes in memory.
 *  - Each task has a time limit; a worker that overruns it is terminated. A worker that crashes
 *    or runs out of memory (`resourceLimits`) is replaced too. Either way only that task fails,
 *    with a clear error.
 *
 * The worker script answers each `{ id, task }` message with `{ id, ok: true, result }` or
 * `{ id, ok: false, error: { code, message, fields } }` (see strip-worker.ts).
 */

export interface WorkerPoolOptions {
  script: URL;
  size: number;
  queueLimit: number;
  timeLimitMs: number;
  resourceLimits: ResourceLimits;
}

export type WorkerAnswer<R> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; error: { code?: ErrorCode; message: string; fields?: Record<string, string> } };

interface Job<T, R> {
  id: number;
  task: T;
  transfer: ArrayBuffer[];
  timeLimitMs: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Slot<T, R> {
  worker: Worker;
  job: Job<T, R> | null;
  timer: NodeJS.Timeout | null;
}

export function serverBusy(): AppError {
  const error = new AppError(
    'server_busy',
    'Server sedang sibuk memproses lampiran; coba lagi sebentar lagi / The server is busy processing attachments; try again shortly',
  );
  error.retryAfterSeconds = 5;
  return error;
}

export function tookTooLong(seconds: number): AppError {
  return new AppError(
    'attachment_too_large',
    `Lampiran terlalu rumit untuk diproses dalam ${seconds} detik / The attachment takes more than ${seconds} seconds to process`,
  );
}

export function tooMuchMemory(): AppError {
  return new AppError(
    'attachment_too_large',
    'Lampiran memerlukan terlalu banyak memori untuk diproses / The attachment needs too much memory to process',
  );
}

function workerFailed(): AppError {
  return new AppError('invalid_input', 'Lampiran tidak dapat diproses / The attachment cannot be processed');
}

export class WorkerPool<T, R> {
  readonly options: WorkerPoolOptions;
  private readonly slots: Slot<T, R>[] = [];
  private readonly queue: Job<T, R>[] = [];
  private nextId = 1;
  private closed = false;
  /** How many workers were started so far (replacements included); for tests and diagnostics. */
  started = 0;

  constructor(options: WorkerPoolOptions) {
    if (options.size < 1 || options.queueLimit < 0) throw new RangeError('worker pool: size >= 1, queueLimit >= 0');
    this.options = options;
  }

  get pending(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.slots.filter((slot) => slot.job !== null).length;
  }

  /**
   * Runs one task on a worker. `transfer` lists buffers to move rather than copy (the caller
   * must not touch them afterwards). `timeLimitMs` overrides the pool's limit for this task.
   */
  run(task: T, options: { transfer?: ArrayBuffer[]; timeLimitMs?: number } = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool closed'));
    const idle = this.slots.length < this.options.size || this.slots.some((slot) => slot.job === null);
    if (!idle && this.queue.length >= this.options.queueLimit) return Promise.reject(serverBusy());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        task,
        transfer: options.transfer ?? [],
        timeLimitMs: options.timeLimitMs ?? this.options.timeLimitMs,
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool closed'));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new Error('worker pool closed'));
        slot.job = null;
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.options.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.fail(slot, tookTooLong(Math.round(job.timeLimitMs / 1000))), job.timeLimitMs);
      try {
        slot.worker.postMessage({ id: job.id, task: job.task }, job.transfer);
      } catch (error) {
        // A task that cannot be cloned is the caller's bug, not the worker's.
        clearTimeout(slot.timer);
        slot.timer = null;
        slot.job = null;
        slot.worker.unref();
        job.reject(error);
      }
    }
  }

  private spawn(): Slot<T, R> {
    const worker = new Worker(this.options.script, {
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    this.started++;
    worker.unref();
    const slot: Slot<T, R> = { worker, job: null, timer: null };
    this.slots.push(slot);
    worker.on('message', (answer: WorkerAnswer<R>) => {
      const job = slot.job;
      if (!job || answer.id !== job.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.job = null;
      worker.unref();
      if (answer.ok) job.resolve(answer.result);
      else if (answer.error.code) job.reject(new AppError(answer.error.code, answer.error.message, answer.error.fields));
      else job.reject(workerFailed());
      this.dispatch();
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooMuchMemory() : workerFailed());
    });
    worker.on('exit', () => this.fail(slot, workerFailed()));
    return slot;
  }

  /** Ends a worker (timed out, crashed, out of memory): its task fails, a new worker takes its place. */
  private fail(slot: Slot<T, R>, error: AppError): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return; // already replaced
    this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    slot.worker.removeAllListeners('message');
    // Keep a no-op error listener: a terminated worker may still emit one.
    slot.worker.removeAllListeners('error').on('error', () => {});
    slot.worker.removeAllListeners('exit');
    void slot.worker.terminate();
    job?.reject(error);
    if (!this.closed) this.dispatch();
  }
}
