// Shared pieces of the e2e tests: the studio's web server with its engine in a supervised child process
// (the same parts `npm run web` wires up, composed here so a test can reach the worker's pid and watch
// the engine's events), and Debian's Chromium driven by playwright-core.
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { EngineHost } from '../engine/host/local.ts';
import type { EventMessage } from '../engine/host/protocol.ts';
import { nodeSpawner, Supervisor } from '../engine/host/supervisor.ts';
import { startWebServer } from '../engine/host/web-server.ts';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
/** Screenshots and downloads (git-ignored). */
export const ARTIFACTS = path.join(REPO, 'test-results', 'e2e');

/**
 * A missing Chromium or Blender fails the e2e tests (CI installs both). FSAM3D_E2E_ALLOW_MISSING=1 turns
 * that into a skip that names what is missing, for machines that cannot have them.
 */
export const ALLOW_MISSING = process.env.FSAM3D_E2E_ALLOW_MISSING === '1';

export const CHROMIUM_PATH = process.env.FSAM3D_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why Chromium cannot be used here, or null. */
export function chromiumProblem(exe = CHROMIUM_PATH): string | null {
  try {
    accessSync(exe, constants.X_OK);
    return null;
  } catch {
    return (
      `e2e: no Chromium at ${exe}. Install it (Debian: apt-get install -y chromium) ` +
      `or point FSAM3D_CHROMIUM at a Chromium/Chrome executable.`
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  const problem = chromiumProblem();
  if (problem) throw new Error(problem);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export type Studio = {
  url: string;
  supervisor: Supervisor;
  /** Every request the page sent and, once answered, how (error code or 'ok'), in order. */
  calls: { method: string; outcome?: string }[];
  /** Every engine event, in order. */
  events: EventMessage['event'][];
  /** Calls `fn` on each engine event as it arrives (synchronously, in this process). */
  onEvent(fn: (e: EventMessage['event']) => void): () => void;
  /** The worker's pid (changes after a restart). */
  workerPid(): number;
  close(): Promise<void>;
};

/** Browser mode as `npm run web` composes it: Supervisor(nodeSpawner) + startWebServer, temp settings. */
export async function startStudio(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Studio> {
  const settingsDir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-e2e-settings-'));
  const supervisor = new Supervisor({
    spawn: nodeSpawner({ args: [`--settings-dir=${settingsDir}`], env: opts.env ?? process.env }),
  });
  await supervisor.start();
  const calls: Studio['calls'] = [];
  const events: EventMessage['event'][] = [];
  const hooks = new Set<(e: EventMessage['event']) => void>();
  supervisor.on((m) => {
    events.push(m.event);
    for (const h of hooks) h(m.event);
  });
  const engine: EngineHost = {
    async request(raw) {
      const method = (raw as { method?: unknown })?.method;
      const call: Studio['calls'][number] = { method: typeof method === 'string' ? method : '?' };
      calls.push(call);
      const res = await supervisor.request(raw);
      call.outcome = res.ok ? 'ok' : res.error.code;
      return res;
    },
    on: (l) => supervisor.on(l),
    close: () => supervisor.close(),
  };
  const server = await startWebServer({ engine, staticDir: path.join(REPO, 'out', 'renderer'), port: 0 });
  return {
    url: server.url,
    supervisor,
    calls,
    events,
    onEvent(fn) {
      hooks.add(fn);
      return () => void hooks.delete(fn);
    },
    workerPid() {
      const pid = supervisor.pid;
      if (!pid) throw new Error('the engine worker is not running');
      return pid;
    },
    async close() {
      await server.close();
      await supervisor.close();
      rmSync(settingsDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `pred` holds, polling every 20 ms; rejects after `timeoutMs` with `what`. */
export async function until(pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Calls `action(workerPid)` synchronously, in this process, on the first engine progress event of
 * `stage` at step ≥ `step`: the worker is then deterministically in the middle of that stage. Resolves
 * with the pid once it has fired.
 */
export function atProgress(
  studio: Studio,
  stage: string,
  step: number,
  action: (pid: number) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const off = studio.onEvent((e) => {
      if (e.type !== 'progress' || e.progress.stage !== stage || e.progress.step < step) return;
      off();
      try {
        const pid = studio.workerPid();
        action(pid);
        resolve(pid);
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

/**
 * A private X display for a windowed app on a machine without one (Linux CI): `Xvfb -displayfd` picks a
 * free display number and prints it. Returns null where a display exists or Xvfb is missing.
 */
export async function startXvfb(): Promise<{ display: string; stop(): void } | null> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return null;
  const { spawn } = await import('node:child_process');
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  xvfb.stdout!.on('data', (d) => (out += d));
  const failed = new Promise<null>((r) => xvfb.once('error', () => r(null)));
  const ready = until(() => /^\d+\n/.test(out) || xvfb.exitCode !== null, 'Xvfb', 20_000).then(() =>
    /^\d+\n/.test(out) ? out.trim() : null,
  );
  const n = await Promise.race([ready, failed]);
  if (n === null) {
    xvfb.kill();
    return null;
  }
  return { display: `:${n}`, stop: () => void xvfb.kill() };
}
