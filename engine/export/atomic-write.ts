// Write-then-rename so a reader never sees a half-written output and a failed run never destroys
// the previous file.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';

/** Maps file-system errors a user can fix to UserError; anything else is returned unchanged. */
export function fsErrorToUserError(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const dir = dirname(target);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UserError(
        `cannot write ${target}: the folder ${dir} (or a parent) is not writable; choose another output path`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new UserError(
        `cannot write ${target}: no space left on the disk; free some space or choose another path`,
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new UserError(`cannot write ${target}: part of the path ${dir} is a file, not a folder`);
    case 'EISDIR':
      return new UserError(`cannot write ${target}: it is a folder; give a file path`);
    case 'ENAMETOOLONG':
      return new UserError(`cannot write ${target}: the path is too long`);
    default:
      return err;
  }
}

/**
 * Writes `data` to `path` atomically: parent folders are created, bytes go to a temp file in the same
 * folder (same file system, so rename is atomic), are fsynced, then renamed over `path`. On any failure
 * the temp file is removed and an existing `path` is left untouched.
 */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw fsErrorToUserError(err, target);
  }
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory())
    throw new UserError(`cannot write ${target}: it is a folder; give a file path`);

  // Short prefix of the name keeps the temp under NAME_MAX; the dot hides it from casual listings.
  const tmp = join(
    dir,
    `.${basename(target).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx'); // exclusive: never reuse someone else's file
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw fsErrorToUserError(err, target);
  }
  await syncDir(dir);
}

/** Makes the rename itself durable where the platform allows opening a folder (not Windows). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let h: FileHandle | undefined;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch {
    // Best effort only: the data is already in place.
  } finally {
    await h?.close().catch(() => undefined);
  }
}
