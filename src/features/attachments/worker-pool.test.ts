import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { WorkerPool } from './worker-pool.ts';

type Task = { op: string; value?: unknown; ms?: number };
type Result = { value?: unknown; threadId: number };

const SCRIPT = new URL('../../../test/fixtures/pool-worker.ts', import.meta.url);

function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}) {
  return new WorkerPool<Task, Result>({
    script: SCRIPT,
    size: 2,
    queueLimit: 8,
    timeLimitMs: 10_000,
    resourceLimits: { maxOldGenerationSizeMb: 64 },
    ...options,
  });
}

const isAppError = (code: string, text?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
  assert.equal(e.code, code);
  assert.match(e.message, / \/ /, 'bilingual: "Bahasa / English"');
  if (text) assert.match(e.message, text);
  return true;
};

test('tasks run in worker threads, not on the caller’s thread, and workers are reused', async () => {
  const p = pool();
  try {
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => p.run({ op: 'echo', value })));
    assert.deepEqual(
      results.map((r) => r.value),
      [1, 2, 3, 4, 5],
    );
    for (const r of results) assert.notEqual(r.threadId, threadId);
    assert.ok(p.started <= 2, `at most two workers started, not one per task (${p.started})`);
  } finally {
    await p.close();
  }
});

test('while a worker is busy for a second, the caller’s event loop keeps ticking', async () => {
  const p = pool({ size: 1 });
  try {
    await p.run({ op: 'echo' }); // started
    let last = performance.now();
    let maxGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    await p.run({ op: 'spin', ms: 1000 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    assert.ok(elapsed >= 900, `the task took ${elapsed.toFixed(0)} ms`); // the worker's clock is Date.now()
    // On this thread the gap would be the whole second; generous margins for a loaded machine.
    assert.ok(ticks >= 10, `the interval ticked ${ticks} times in ${elapsed.toFixed(0)} ms`);
    assert.ok(maxGap < elapsed / 2, `the longest pause was ${maxGap.toFixed(0)} ms of ${elapsed.toFixed(0)} ms`);
  } finally {
    await p.close();
  }
});

test('a task over its time limit fails with a clear 413 error, and its worker is replaced', async () => {
  const p = pool({ size: 1, timeLimitMs: 300 });
  try {
    await assert.rejects(p.run({ op: 'spin', ms: 60_000 }), isAppError('attachment_too_large', /takes more than/));
    const after = await p.run({ op: 'echo', value: 'still here' });
    assert.equal(after.value, 'still here');
    assert.equal(p.started, 2, 'a new worker took the place of the one that overran');
  } finally {
    await p.close();
  }
});

test('a worker that crashes or runs out of memory fails only its task, and is replaced', async () => {
  const p = pool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
  try {
    await assert.rejects(p.run({ op: 'crash' }), isAppError('invalid_input'));
    await assert.rejects(p.run({ op: 'oom' }), isAppError('attachment_too_large', /memory|memori/));
    assert.equal((await p.run({ op: 'echo', value: 1 })).value, 1);
    assert.equal(p.started, 3);
  } finally {
    await p.close();
  }
});

test('errors: an AppError from the worker arrives as it is; anything else arrives without its detail', async () => {
  const p = pool({ size: 1 });
  try {
    await assert.rejects(
      p.run({ op: 'fail' }),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && e.fields?.file === 'Rusak / Broken',
    );
    await assert.rejects(p.run({ op: 'throw' }), (e: unknown) => e instanceof AppError && !e.message.includes('internal detail'));
  } finally {
    await p.close();
  }
});

test('the queue is bounded: beyond it a task is refused at once with 503 and Retry-After, and the others finish', async () => {
  const p = pool({ size: 1, queueLimit: 2 });
  try {
    const accepted = [p.run({ op: 'sleep', ms: 200 }), p.run({ op: 'sleep', ms: 10 }), p.run({ op: 'sleep', ms: 10 })];
    assert.equal(p.pending, 2);
    await assert.rejects(p.run({ op: 'echo' }), (e: unknown) => {
      assert.ok(isAppError('server_busy')(e));
      assert.ok((e as AppError).retryAfterSeconds! > 0);
      return true;
    });
    await Promise.all(accepted);
    assert.equal((await p.run({ op: 'echo', value: 'ok' })).value, 'ok', 'and once the line is short again, tasks are taken');
  } finally {
    await p.close();
  }
});
