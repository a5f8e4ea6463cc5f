import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { pickPackFolder, readChosenFile, safeFileName, saveBytes } from './files.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a stand-in for Electron's dialog module
const dialogReturning = (open: object, save: object = { canceled: true }): any => ({
  showOpenDialog: vi.fn(async () => open),
  showSaveDialog: vi.fn(async (_opts: unknown) => save),
});

describe('dialog-backed files', () => {
  it('read a chosen file as name + bytes, refusing folders and oversize files', async () => {
    const f = path.join(dir, 'p.png');
    writeFileSync(f, new Uint8Array([1, 2, 3]));
    await expect(readChosenFile(f)).resolves.toEqual({ name: 'p.png', bytes: new Uint8Array([1, 2, 3]) });
    await expect(readChosenFile(f, 2)).rejects.toThrow(/limit/);
    await expect(readChosenFile(dir)).rejects.toThrow(/not a file/);
  });

  it('offer a safe default name and write the export atomically where the user chose', async () => {
    expect(safeFileName('../../etc/passwd', 'glb')).toBe('passwd.glb');
    expect(safeFileName('a:b*c?.GLB', 'glb')).toBe('a_b_c_.glb');
    expect(safeFileName('...', 'ply')).toBe('object.ply');
    const target = path.join(dir, 'out', 'chair');
    mkdirSync(path.dirname(target));
    const d = dialogReturning({}, { canceled: false, filePath: target });
    await expect(saveBytes(d, null, new Uint8Array([9]), 'chair.glb', 'glb', dir)).resolves.toBe('chair.glb');
    expect(readFileSync(`${target}.glb`)).toEqual(Buffer.from([9]));
    expect(d.showSaveDialog.mock.calls[0][0]).toMatchObject({ defaultPath: path.join(dir, 'chair.glb') });
    await expect(
      saveBytes(dialogReturning({}), null, new Uint8Array([9]), 'x', 'glb', dir),
    ).resolves.toBeNull();
  });

  it('accept only a pack folder that has a manifest.json', async () => {
    const pack = path.join(dir, 'pack');
    mkdirSync(pack);
    await expect(
      pickPackFolder(dialogReturning({ canceled: false, filePaths: [pack] }), null),
    ).rejects.toThrow(/no manifest\.json/);
    writeFileSync(path.join(pack, 'manifest.json'), '{}');
    await expect(pickPackFolder(dialogReturning({ canceled: false, filePaths: [pack] }), null)).resolves.toBe(
      pack,
    );
    await expect(
      pickPackFolder(dialogReturning({ canceled: true, filePaths: [] }), null),
    ).resolves.toBeNull();
  });
});
