// npm start without an Electron binary, the offline electronDist stub, and the packaged-app check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs scripts, no type declarations
import { findElectron, noElectronMessage } from '../scripts/start.mjs';
// @ts-expect-error plain .mjs scripts, no type declarations
import { writeStub } from '../scripts/electron-dist-stub.mjs';
// @ts-expect-error plain .mjs scripts, no type declarations
import { dependencyClosure, runtimeRequires } from '../build/after-pack.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-scripts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm start without Electron', () => {
  it('exits 1 with how to get Electron and the browser-mode alternative, not a stack trace', () => {
    const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: { ...process.env, FSAM3D_FORCE_NO_ELECTRON: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm run web');
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    expect(r.stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('detects this machine’s Electron (or its absence) without throwing', () => {
    const found = findElectron({ ...process.env, FSAM3D_FORCE_NO_ELECTRON: '' });
    if (found.ok) expect(statSync(found.exe).isFile()).toBe(true);
    else expect(noElectronMessage(found.why)).toContain(found.why);
  });
});

describe('electronDist stub', () => {
  it('has resources/, an executable electron script and the Electron version', () => {
    const dir = writeStub(path.join(tmp, 'stub'), '41.7.1');
    expect(statSync(path.join(dir, 'resources')).isDirectory()).toBe(true);
    expect(statSync(path.join(dir, 'electron')).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(dir, 'version'), 'utf8')).toBe('v41.7.1');
    const run = spawnSync(path.join(dir, 'electron'), [], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stub Electron 41\.7\.1/);
  });
});

describe('packaged-app check', () => {
  it('resolves runtime packages and their dependencies like Node, nested first', () => {
    const files = new Map<string, object>([
      [
        '/node_modules/a/package.json',
        { dependencies: { b: '1', c: '1' }, optionalDependencies: { gone: '1' } },
      ],
      ['/node_modules/a/node_modules/b/package.json', {}],
      ['/node_modules/b/package.json', { dependencies: { missing: '1' } }],
      ['/node_modules/c/package.json', {}],
    ]);
    const r = dependencyClosure(
      ['a'],
      '/out/main',
      (p: string) => files.has(p),
      (p: string) => files.get(p),
    );
    expect(r.dirs).toEqual(['/node_modules/a', '/node_modules/a/node_modules/b', '/node_modules/c']);
    expect(r.missing).toEqual([]);
    const r2 = dependencyClosure(
      ['b', 'zzz'],
      '/out/main',
      (p: string) => files.has(p),
      (p: string) => files.get(p),
    );
    expect(r2.missing).toEqual(['zzz (needed by (bundle))', 'missing (needed by b)']);
  });

  it('finds bare requires in bundles, ignoring builtins, electron and relative paths', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const out = path.join(tmp, 'out-main');
    mkdirSync(path.join(out, 'chunks'), { recursive: true });
    writeFileSync(
      path.join(out, 'index.cjs'),
      'require("electron"); require("node:path"); require("fs"); require("./chunks/x.cjs"); require("sharp");',
    );
    writeFileSync(
      path.join(out, 'chunks', 'x.cjs'),
      'const m = require$1("@techstark/opencv-js/dist/x"); require("onnxruntime-node")',
    );
    expect(runtimeRequires(out)).toEqual(['@techstark/opencv-js', 'onnxruntime-node', 'sharp']);
  });
});
