import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../errors.ts';
import { atomicWrite, fsErrorToUserError } from './atomic-write.ts';
import { writeGlb } from './glb.ts';
import { Z_UP_TO_Y_UP } from './frames.ts';
import { cube } from './test-meshes.ts';

// Lets a test make the final rename fail after the temp file has been written.
const fault = vi.hoisted(() => ({ renameCode: '' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (fault.renameCode)
        throw Object.assign(new Error(`injected ${fault.renameCode}`), { code: fault.renameCode });
      return real.rename(from, to);
    },
  };
});

const roots: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fsam3d-atomic-'));
  roots.push(d);
  return d;
}
afterAll(async () => {
  for (const d of roots) {
    await chmod(d, 0o755).catch(() => undefined);
    await rm(d, { recursive: true, force: true });
  }
});
beforeEach(() => {
  fault.renameCode = '';
});

describe('atomicWrite', () => {
  it('creates parent folders and leaves only the target', async () => {
    const dir = await freshDir();
    const path = join(dir, 'a', 'b', 'out.bin');
    await atomicWrite(path, new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await readFile(path))).toEqual(new Uint8Array([1, 2, 3]));
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['out.bin']);
  });

  it('replaces an existing file on success (strings as UTF-8)', async () => {
    const dir = await freshDir();
    const path = join(dir, 'out.json');
    await writeFile(path, 'old');
    await atomicWrite(path, '{"é":1}');
    expect(await readFile(path, 'utf8')).toBe('{"é":1}');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('keeps the old file and removes the temp when the rename fails', async () => {
    const dir = await freshDir();
    const path = join(dir, 'out.glb');
    await writeFile(path, 'old');
    fault.renameCode = 'EIO';
    const err = await atomicWrite(path, 'new').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UserError); // not user-fixable: internal
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['out.glb']);

    fault.renameCode = 'ENOSPC';
    await expect(atomicWrite(path, 'new')).rejects.toBeInstanceOf(UserError);
    expect(await readdir(dir)).toEqual(['out.glb']);
  });

  it('refuses a folder as the target and leaves no temp', async () => {
    const dir = await freshDir();
    const target = join(dir, 'out.glb');
    await mkdir(target);
    await expect(atomicWrite(target, 'x')).rejects.toThrow(UserError);
    await expect(atomicWrite(target, 'x')).rejects.toThrow(/is a folder/);
    expect(await readdir(dir)).toEqual(['out.glb']);
    expect(await readdir(target)).toEqual([]);
  });

  it('gives a UserError when part of the path is a file', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'file'), 'x');
    await expect(atomicWrite(join(dir, 'file', 'out.glb'), 'x')).rejects.toBeInstanceOf(UserError);
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')(
    'gives a UserError for a read-only folder',
    async () => {
      const dir = await freshDir();
      await chmod(dir, 0o555);
      await expect(atomicWrite(join(dir, 'out.glb'), 'x')).rejects.toThrow(/not writable/);
      await chmod(dir, 0o755);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('maps permission errors to UserError and passes others through', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS'])
      expect(fsErrorToUserError(Object.assign(new Error(code), { code }), '/x/y.glb')).toBeInstanceOf(
        UserError,
      );
    const other = Object.assign(new Error('io'), { code: 'EIO' });
    expect(fsErrorToUserError(other, '/x/y.glb')).toBe(other);
  });

  it('concurrent writers leave one complete file and no temps', async () => {
    const dir = await freshDir();
    const path = join(dir, 'out.bin');
    const a = new Uint8Array(1 << 20).fill(1);
    const b = new Uint8Array(1 << 20).fill(2);
    await Promise.all([atomicWrite(path, a), atomicWrite(path, b), atomicWrite(path, a)]);
    const got = new Uint8Array(await readFile(path));
    expect(got.length).toBe(1 << 20);
    expect(got.every((v) => v === got[0])).toBe(true);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });
});

describe('writeGlb failure', () => {
  it('leaves an existing file untouched when serialising throws', async () => {
    const dir = await freshDir();
    const path = join(dir, 'out.glb');
    await writeFile(path, 'old');
    const bad = { ...cube(), colors: new Float32Array(3) }; // wrong length: the serializer throws
    await expect(writeGlb(path, bad, { zUpToYUp: Z_UP_TO_Y_UP })).rejects.toThrow(/colors/);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['out.glb']);
  });
});
