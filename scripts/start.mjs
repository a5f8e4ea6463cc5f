#!/usr/bin/env node
// `npm start`: build with electron-vite, then launch the desktop app. Where the Electron binary is
// missing (offline installs deny its download script), say how to get it and point at browser mode
// instead of printing a stack trace. FSAM3D_FORCE_NO_ELECTRON=1 takes that path on purpose (tests).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** The Electron executable, or the reason there is none. */
export function findElectron(env = process.env) {
  if (env.FSAM3D_FORCE_NO_ELECTRON === '1') return { ok: false, why: 'FSAM3D_FORCE_NO_ELECTRON=1 is set' };
  let exe;
  try {
    exe = require('electron'); // the package's index.js resolves the binary's path (or throws)
  } catch (err) {
    return { ok: false, why: String(err?.message ?? err).split('\n')[0] };
  }
  if (typeof exe !== 'string' || !existsSync(exe)) return { ok: false, why: `no executable at ${exe}` };
  // As Node (no window, no GPU): only proves the binary starts on this machine.
  const probe = spawnSync(exe, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (probe.status !== 0) {
    const out = `${probe.stderr ?? ''}${probe.stdout ?? ''}`.trim().split('\n')[0];
    return { ok: false, why: `\`electron --version\` failed${out ? `: ${out}` : ''}` };
  }
  return { ok: true, exe };
}

export function noElectronMessage(why) {
  return [
    'Fast-SAM3D Studio: the Electron binary is not installed, so the desktop app cannot start.',
    `  (${why})`,
    '',
    'To get it:',
    '  - on a machine with internet access: node node_modules/electron/install.js',
    '  - or point at an Electron 41 you already have: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-dist npm start',
    '',
    'Or use the studio in your browser instead (no Electron needed):',
    '  npm run web',
    '',
  ].join('\n');
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
    child.on('error', (err) => {
      console.error(`${cmd}: ${err.message}`);
      resolve(1);
    });
  });
}

async function main() {
  const electron = findElectron();
  if (!electron.ok) {
    process.stderr.write(noElectronMessage(electron.why));
    return 1;
  }
  const build = await run(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build']);
  if (build !== 0) return build;
  const args = ['.', ...process.argv.slice(2)];
  // Chromium refuses to start as root without this; only a root shell on Linux (containers) needs it.
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    console.warn(
      "start: running as root, so Chromium's sandbox is off (--no-sandbox); run as a normal user to keep it",
    );
    args.push('--no-sandbox');
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return run(electron.exe, args, { env });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
