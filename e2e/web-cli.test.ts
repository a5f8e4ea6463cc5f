// `npm run web` itself (engine/host/web-cli.ts as a child process, as a user starts it): prints the URL
// with its token, serves the studio with its security headers, the page connects to the engine in the
// CLI's own worker process, and SIGTERM shuts both down cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_MISSING, artifactPath, chromiumProblem, launchChromium, REPO, until } from './harness.ts';

/** Pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Running (a zombie awaiting its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const problem = chromiumProblem();
const describeBrowser = problem && ALLOW_MISSING ? describe.skip : describe;

describeBrowser(`npm run web${problem && ALLOW_MISSING ? ` (skipped: ${problem})` : ''}`, () => {
  let cli: ChildProcess;
  let settingsDir: string;
  let url: string;
  let browser: Browser;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    browser = await launchChromium();
    settingsDir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-e2e-web-'));
    cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'engine/host/web-cli.ts', '--port', '0', '--settings-dir', settingsDir],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cli.stdout!.on('data', (d) => (stdout += d));
    cli.stderr!.on('data', (d) => (stderr += d));
    const m = () => /Fast-SAM3D Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(stdout);
    await until(() => !!m() || cli.exitCode !== null, 'the printed URL', 60_000);
    if (!m()) throw new Error(`npm run web exited ${cli.exitCode}:\n${stdout}\n${stderr}`);
    url = m()![1];
  });

  afterAll(async () => {
    await browser?.close();
    if (cli && cli.exitCode === null) cli.kill('SIGKILL');
    if (settingsDir) rmSync(settingsDir, { recursive: true, force: true });
  });

  it('prints a loopback URL with a token and an SSH tunnel hint', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(stdout).toMatch(/ssh -N -L 8123:127\.0\.0\.1:\d+/);
  });

  it('serves the studio with its CSP and security headers', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('<div id="root">');
  });

  it('the page connects to the engine in the CLI’s worker process and lists the sample', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('[data-testid=engine-status][data-status=ready]').waitFor({ timeout: 60_000 });
    await page.getByTestId('samples-menu').click();
    await page.locator('.menu-item[data-testid=open-sample][data-sample=test]').waitFor();
    await page.screenshot({ path: artifactPath('web-cli.png') });
    await page.close();
  });

  it('SIGTERM stops the server and its engine worker, exit code 0', async () => {
    const workers = process.platform === 'linux' ? childrenOf(cli.pid!) : [];
    if (process.platform === 'linux') expect(workers.length).toBeGreaterThanOrEqual(1);
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until(() => workers.every((p) => !alive(p)), 'the engine worker to exit', 10_000);
    await expect(fetch(url)).rejects.toThrow();
  });
});
