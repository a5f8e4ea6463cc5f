// electron-builder afterPack hook (dist and dist:dir): checks the unpacked app before any installer is
// made. app.asar must hold every package the bundled main/worker load at run time, with their own
// dependencies (the `files` whitelist in electron-builder.yml leaves everything else out), and the
// native parts must be real files in app.asar.unpacked, for the target platform only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import asar from '@electron/asar';

const root = path.resolve(import.meta.dirname, '..');
const BUILTIN = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Bare package names the bundles in `dir` require at run time (natives and createRequire'd ones). */
export function runtimeRequires(dir) {
  const names = new Set();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.c?js$/.test(e.name)) {
        for (const m of readFileSync(p, 'utf8').matchAll(
          /\brequire(?:\$\d+)?\(\s*["']([^"'./][^"']*)["']\s*\)/g,
        )) {
          const spec = m[1];
          if (
            BUILTIN.has(spec) ||
            BUILTIN.has(spec.split('/')[0]) ||
            spec === 'electron' ||
            spec.startsWith('electron/')
          )
            continue;
          names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  walk(dir);
  return [...names].sort();
}

/**
 * Resolves `names` and their dependencies the way Node will inside the package: from `fromDir` up
 * through each node_modules, nested first (electron-builder may hoist nested packages). `exists` and
 * `readJson` see one file tree ('/'-rooted, e.g. app.asar plus app.asar.unpacked).
 */
export function dependencyClosure(names, fromDir, exists, readJson) {
  const found = new Set();
  const missing = [];
  const locate = (name, dir) => {
    for (let d = dir; ; d = path.posix.dirname(d)) {
      const cand = path.posix.join(d, 'node_modules', name);
      if (exists(`${cand}/package.json`)) return cand;
      if (d === '/') return null;
    }
  };
  const queue = names.map((n) => [n, fromDir, true, '(bundle)']);
  while (queue.length) {
    const [name, dir, required, by] = queue.shift();
    const at = locate(name, dir);
    if (!at) {
      if (required) missing.push(`${name} (needed by ${by})`);
      continue;
    }
    if (found.has(at)) continue;
    found.add(at);
    const pkg = readJson(`${at}/package.json`);
    for (const d of Object.keys(pkg.dependencies ?? {})) queue.push([d, at, true, name]);
    // Optional ones (sharp's @img/<platform> binaries) only where installed.
    for (const d of Object.keys(pkg.optionalDependencies ?? {})) queue.push([d, at, false, name]);
  }
  return { dirs: [...found].sort(), missing };
}

function resourcesDir(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas')
    return path.join(
      context.appOutDir,
      `${context.packager.appInfo.productFilename}.app`,
      'Contents',
      'Resources',
    );
  return path.join(context.appOutDir, 'resources');
}

const ORT_PLATFORM = { darwin: 'darwin', mas: 'darwin', linux: 'linux', win32: 'win32' };
const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export async function afterPack(context) {
  const resources = resourcesDir(context);
  const archive = path.join(resources, 'app.asar');
  const unpacked = path.join(resources, 'app.asar.unpacked');
  const inAsar = new Set(asar.listPackage(archive).map((f) => f.replace(/\\/g, '/')));
  const has = (rel) =>
    inAsar.has(rel.startsWith('/') ? rel : `/${rel}`) || existsSync(path.join(unpacked, rel));
  const problems = [];

  const needed = runtimeRequires(path.join(root, 'out', 'main'));
  const readJson = (rel) => JSON.parse(asar.extractFile(archive, rel.slice(1)).toString('utf8'));
  const { dirs, missing } = dependencyClosure(needed, '/out/main', has, readJson);
  for (const m of missing) problems.push(`${m} is not in the package`);
  for (const f of [
    'out/main/index.cjs',
    'out/main/engine-worker.cjs',
    'out/preload/index.cjs',
    'out/renderer/index.html',
  ])
    if (!has(f)) problems.push(`${f} is missing`);

  const platform = ORT_PLATFORM[context.electronPlatformName];
  const arch = ARCH[context.arch] ?? String(context.arch);
  const ortRoot = path.join(unpacked, 'node_modules', 'onnxruntime-node', 'bin');
  const napi = existsSync(ortRoot) ? readdirSync(ortRoot) : [];
  const bindings = napi.flatMap((v) =>
    readdirSync(path.join(ortRoot, v)).flatMap((p) =>
      readdirSync(path.join(ortRoot, v, p)).map((a) => `${v}/${p}/${a}`),
    ),
  );
  const own = bindings.filter((b) => b.endsWith(`/${platform}/${arch}`));
  if (own.length === 0 || !existsSync(path.join(ortRoot, own[0], 'onnxruntime_binding.node')))
    problems.push(`onnxruntime-node's ${platform}/${arch} binding is not unpacked from app.asar`);
  const others = bindings.filter((b) => !b.endsWith(`/${platform}/${arch}`));
  if (others.length)
    problems.push(`other platforms' onnxruntime binaries are packaged: ${others.join(', ')}`);
  for (const f of inAsar)
    if (/\.(node|so(\.\d+)*|dll|dylib)$/.test(f) && !existsSync(path.join(unpacked, f)))
      problems.push(`native file ${f} is inside app.asar, not unpacked`);

  if (problems.length) throw new Error(`packaged app check failed:\n  - ${problems.join('\n  - ')}`);
  const size = (p) => (existsSync(p) ? statSync(p).size : 0);
  console.log(
    `  • packaged app check passed  runtime packages=${dirs.length} (${needed.join(', ')})  app.asar=${(size(archive) / 2 ** 20).toFixed(1)} MiB  onnxruntime=${own.join(', ')}`,
  );
}

export default afterPack;
