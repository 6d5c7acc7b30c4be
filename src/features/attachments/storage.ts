import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';

import type { BlobStorage } from '../../deps.ts';

export type { BlobStorage };

const KEY_PATTERN = /^[a-z0-9/_.-]+$/;
const MAX_KEY_LENGTH = 512;
const MAX_SEGMENT_LENGTH = 200;

/**
 * Keys become file paths on disk, so anything that could climb out of the root, alias another
 * key, or collide with our temp files (dot-prefixed) is refused outright rather than normalised.
 */
export function assertValidKey(key: string): void {
  const bad = (why: string): never => {
    throw new AppError('invalid_input', `Kunci penyimpanan tidak valid / Invalid storage key (${why})`, { key: why });
  };
  if (typeof key !== 'string' || key.length === 0) bad('empty');
  if (key.length > MAX_KEY_LENGTH) bad('too long');
  if (!KEY_PATTERN.test(key)) bad('only a-z 0-9 / _ . - are allowed');
  if (key.includes('..')) bad('must not contain ..');
  for (const segment of key.split('/')) {
    // Empty segments catch a leading '/', a trailing '/' and '//'.
    if (segment === '') bad('empty path segment');
    if (segment.startsWith('.')) bad('segment must not start with .');
    if (segment.length > MAX_SEGMENT_LENGTH) bad('segment too long');
  }
}

/**
 * A fresh random key, grouped by upload month so operators can archive or prune by month.
 * The date is passed in so this stays free of hidden clock reads.
 */
export function newStorageKey(now: Date): string {
  const year = now.getUTCFullYear().toString().padStart(4, '0');
  const month = (now.getUTCMonth() + 1).toString().padStart(2, '0');
  return `${year}/${month}/${randomUUID()}`;
}

const FILE_MODE = 0o600; // citizen evidence, possibly from an anonymous reporter
const DIR_MODE = 0o700;

export class LocalDiskStorage implements BlobStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /**
   * A month can hold hundreds of thousands of uploads; a two-hex-digit shard from a hash of the
   * key keeps any one directory small while the month folders stay easy to back up.
   */
  pathFor(key: string): string {
    assertValidKey(key);
    const slash = key.lastIndexOf('/');
    const dir = slash === -1 ? '' : key.slice(0, slash);
    const base = key.slice(slash + 1);
    const shard = createHash('sha256').update(key).digest('hex').slice(0, 2);
    const full = path.join(this.root, ...dir.split('/').filter(Boolean), shard, base);
    // Defence in depth: validation should make this impossible, but a path bug here leaks evidence.
    if (!full.startsWith(this.root + path.sep)) {
      throw new AppError('invalid_input', 'Kunci penyimpanan tidak valid / Invalid storage key', { key: 'escapes root' });
    }
    return full;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const target = this.pathFor(key);
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    // Same directory as the target so rename() is atomic (same filesystem); the dot prefix can
    // never be a valid key, so a crashed write cannot be mistaken for a blob.
    const temp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', FILE_MODE);
    let renamed = false;
    try {
      await handle.writeFile(data);
      // Without fsync a crash after rename can leave a zero-length file under the final name.
      await handle.sync();
      await handle.close();
      await rename(temp, target);
      renamed = true;
      await syncDirectory(dir);
    } finally {
      if (!renamed) {
        await handle.close().catch(() => {});
        await unlink(temp).catch(() => {});
      }
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    const target = this.pathFor(key);
    try {
      return await readFile(target);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathFor(key);
    try {
      await unlink(target);
    } catch (error) {
      // Deleting twice (a retried cleanup job) is not an error.
      if (!isMissing(error)) throw error;
    }
  }
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which is tolerable. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close().catch(() => {});
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // ENOTDIR: a path component is a file, so the key cannot exist either.
  return code === 'ENOENT' || code === 'ENOTDIR';
}
