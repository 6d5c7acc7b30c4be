import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import { LocalDiskStorage, assertValidKey, newStorageKey } from './storage.ts';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lapor-storage-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const allByteValues = (): Uint8Array => Uint8Array.from({ length: 256 * 4 }, (_, i) => i % 256);

test('put/get/delete round-trip keeps bytes exact and leaves no temp files', async () => {
  await withTempDir(async (dir) => {
    const storage = new LocalDiskStorage(path.join(dir, 'blobs'));
    const key = newStorageKey(new Date('2026-11-03T10:00:00Z'));
    const data = allByteValues();

    assert.equal(await storage.get(key), null);
    await storage.put(key, data);
    assert.deepEqual(new Uint8Array((await storage.get(key))!), data);

    const files = await listFiles(dir);
    assert.equal(files.length, 1);
    assert.ok(!files[0]!.includes('.tmp-'));
    // Month folders from the key, then a two-hex-digit shard, then the last key segment.
    assert.match(files[0]!, /^blobs\/2026\/11\/[0-9a-f]{2}\/[0-9a-f-]{36}$/);
    if (process.platform !== 'win32') {
      assert.equal((await stat(path.join(dir, files[0]!))).mode & 0o777, 0o600);
    }

    // Overwriting replaces the whole content.
    await storage.put(key, Uint8Array.of(1, 2, 3));
    assert.deepEqual(new Uint8Array((await storage.get(key))!), Uint8Array.of(1, 2, 3));

    await storage.delete(key);
    assert.equal(await storage.get(key), null);
    await storage.delete(key); // idempotent
    assert.deepEqual(await listFiles(dir), []);

    // Empty blobs are still blobs.
    await storage.put('empty', new Uint8Array(0));
    assert.deepEqual(new Uint8Array((await storage.get('empty'))!), new Uint8Array(0));
  });
});

test('concurrent writes to one key never expose a partial file', async () => {
  await withTempDir(async (dir) => {
    const storage = new LocalDiskStorage(dir);
    const versions = Array.from({ length: 8 }, (_, i) => new Uint8Array(256 * 1024).fill(i + 1));
    await Promise.all(versions.map((v) => storage.put('race/one', v)));
    const stored = new Uint8Array((await storage.get('race/one'))!);
    assert.equal(stored.length, 256 * 1024);
    assert.ok(
      stored.every((b) => b === stored[0]),
      'content comes from exactly one writer',
    );
    assert.deepEqual(
      (await listFiles(dir)).filter((f) => f.includes('.tmp-')),
      [],
    );
  });
});

test('a failed write cleans up its temp file', async () => {
  await withTempDir(async (dir) => {
    const storage = new LocalDiskStorage(dir);
    // Occupy the target path with a directory so the final rename fails.
    const target = storage.pathFor('reports/blocked');
    await mkdir(target, { recursive: true });
    await assert.rejects(storage.put('reports/blocked', Uint8Array.of(1)));
    assert.deepEqual(await readdir(path.dirname(target)), ['blocked']);
  });
});

test('keys that could escape the root or alias other keys are rejected before touching the disk', async () => {
  await withTempDir(async (dir) => {
    const root = path.join(dir, 'root');
    const storage = new LocalDiskStorage(root);
    const bad = [
      '',
      '..',
      '../secret',
      'a/../../secret',
      'a/..',
      '/etc/passwd',
      'a//b',
      'a/',
      './a',
      'a/./b',
      '.hidden',
      'a/.tmp-1234',
      'A/B',
      'a\\b',
      '..\\..\\x',
      'a b',
      'a%2f..%2fb',
      'a\u0000b',
      'café',
      'x'.repeat(513),
      `a/${'x'.repeat(201)}`,
    ];
    for (const key of bad) {
      const isInvalid = (e: unknown) => e instanceof AppError && e.code === 'invalid_input';
      assert.throws(() => assertValidKey(key), isInvalid, JSON.stringify(key));
      await assert.rejects(storage.put(key, Uint8Array.of(1)), isInvalid, JSON.stringify(key));
      await assert.rejects(storage.get(key), isInvalid);
      await assert.rejects(storage.delete(key), isInvalid);
    }
    assert.deepEqual(await readdir(dir), [], 'nothing was created, not even the root');
  });
});

test('newStorageKey: random, grouped by UTC month, always a valid key', () => {
  const now = new Date('2026-11-30T23:30:00-07:00'); // already December in UTC
  const a = newStorageKey(now);
  const b = newStorageKey(now);
  assert.match(a, /^2026\/12\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
  assertValidKey(a);
  assert.match(newStorageKey(new Date('0999-01-05T00:00:00Z')), /^0999\/01\//);
});
