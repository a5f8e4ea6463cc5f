#!/usr/bin/env node
// `npm run dist:dir`: electron-builder --dir without downloading Electron. electron-builder's only
// offline knob is `electronDist` (a local, unpacked Electron). With a real binary installed
// (node_modules/electron/dist) that is used; otherwise, or with FSAM3D_FORCE_ELECTRON_STUB=1, a stub
// distribution is written to .electron-dist-stub/ (git-ignored): resources/, an `electron` shell
// script and a `version` file. The package is then complete (app.asar, unpacked natives, packs) but
// its executable is the stub: fine for checking the layout, not for running the app (Linux only).
// Extra arguments go to electron-builder (e.g. --linux, --x64).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
export const STUB_DIR = path.join(root, '.electron-dist-stub');

function electronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** node_modules/electron/dist when the real binary was installed, else null. */
function realElectronDist() {
  const pkg = path.dirname(require.resolve('electron/package.json'));
  const pathTxt = path.join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const dist = path.join(pkg, 'dist');
  return existsSync(path.join(dist, readFileSync(pathTxt, 'utf8').trim())) ? dist : null;
}

export function writeStub(dir = STUB_DIR, version = electronVersion()) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const exe = path.join(dir, 'electron');
  writeFileSync(
    exe,
    [
      '#!/bin/sh',
      `echo "This is a stub Electron ${version} from scripts/electron-dist-stub.mjs: the package layout is real, the executable is not." >&2`,
      'echo "Build on a machine with the Electron binary (node node_modules/electron/install.js) to get a runnable app." >&2',
      'exit 1',
      '',
    ].join('\n'),
  );
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'version'), `v${version}`);
  return dir;
}

async function main() {
  const forceStub = process.env.FSAM3D_FORCE_ELECTRON_STUB === '1';
  let dist = forceStub ? null : realElectronDist();
  if (!dist) {
    if (process.platform !== 'linux') {
      console.error(
        'dist:dir: no Electron binary installed, and the stub distribution only works for Linux builds.',
      );
      console.error(
        'Install it with `node node_modules/electron/install.js`, then run `npm run dist:dir` again.',
      );
      return 1;
    }
    dist = writeStub();
    console.warn(
      `dist:dir: no Electron binary installed; packaging with the stub in ${path.relative(root, dist)}/ (the app executable will not run)`,
    );
  }
  const cli = require.resolve('electron-builder/cli.js');
  const args = [
    cli,
    '--config',
    'build/electron-builder.yml',
    '--dir',
    ...process.argv.slice(2),
    `-c.electronDist=${dist}`,
    '-c.npmRebuild=false',
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', (err) => {
      console.error(err.message);
      resolve(1);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
