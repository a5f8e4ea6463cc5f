// Fetch the large platform binaries that npm install scripts would normally download (the Electron
// binary, onnxruntime-node's CUDA provider). package.json denies those packages' own install scripts
// so that `npm ci` never fails on an offline build machine; here we run them ourselves and turn a
// network failure into a warning. On a normal user machine the binaries are fetched as usual.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
if (process.env.FSAM3D_SKIP_BINARY_FETCH === '1') process.exit(0);

function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null; // not installed (e.g. a production install without devDependencies)
  }
}

function attempt(label, name, script, unset) {
  const dir = packageDir(name);
  if (!dir || !existsSync(path.join(dir, script))) return;
  const res = spawnSync(process.execPath, [script], {
    cwd: dir,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !unset.includes(k))),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60 * 1000,
  });
  if (res.status === 0) {
    console.log(`fetch-binaries: ${label} ready`);
  } else {
    const why = `${res.stderr ?? ''}`.split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN/i.test(l)) ?? 'failed';
    console.warn(`fetch-binaries: ${label} not downloaded (${why.trim().slice(0, 160)}); continuing without it`);
  }
}

attempt('Electron binary', 'electron', 'install.js', ['ELECTRON_SKIP_BINARY_DOWNLOAD']);
// onnxruntime-node's own script decides whether CUDA files are needed for this platform.
attempt('onnxruntime-node GPU provider files', 'onnxruntime-node', 'script/install.js', [
  'ONNXRUNTIME_NODE_INSTALL',
  'npm_config_onnxruntime_node_install',
]);
