// Global setup of the e2e project: build the studio (out/renderer) when it is missing or older than its
// sources, so the browser tests always drive the current UI. Vite's JS API, about 3 s.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** What the renderer bundle is built from (it also imports the Node-free codec and protocol). */
const SOURCES = [
  'renderer/src',
  'renderer/index.html',
  'renderer/vite.config.ts',
  'engine/host/codec.ts',
  'engine/host/protocol.ts',
];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export default async function setup(): Promise<void> {
  const index = path.join(REPO, 'out', 'renderer', 'index.html');
  const src = Math.max(...SOURCES.map((s) => newestMtime(path.join(REPO, s))));
  if (existsSync(index) && statSync(index).mtimeMs >= src) return;
  const t0 = Date.now();
  await build({ configFile: path.join(REPO, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  console.log(`e2e setup: built out/renderer in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
