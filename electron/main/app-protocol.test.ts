import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME,
  handleAppProtocol,
  mimeType,
  registerAppScheme,
  resolveAppFile,
} from './app-protocol.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-app-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'm.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'outside the renderer folder');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(path.join(path.dirname(root), 'secret.txt'), { force: true });
});

describe('app:// files', () => {
  it('map inside the renderer folder only', () => {
    expect(resolveAppFile(root, 'app://studio/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://studio/assets/m.wasm')).toBe(path.join(root, 'assets', 'm.wasm'));
    expect(resolveAppFile(root, 'app://studio/a%20b.js')).toBe(path.join(root, 'a b.js'));
    // The URL parser folds dot segments (also %2e%2e) before we see the path: they stay inside root.
    expect(resolveAppFile(root, 'app://studio/../secret.txt')).toBe(path.join(root, 'secret.txt'));
    expect(resolveAppFile(root, 'app://studio/%2e%2e/secret.txt')).toBe(path.join(root, 'secret.txt'));
    // An encoded slash survives the parser; decoded, it would climb out: refused.
    expect(resolveAppFile(root, 'app://studio/..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'https://studio/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://studio/%00')).toBeNull();
  });

  it('are served with the CSP and the right MIME type; anything else is a 404', async () => {
    let handler!: (r: Request) => Promise<Response>;
    handleAppProtocol(
      { handle: (_s: string, h: typeof handler) => (handler = h) } as never,
      root,
      "default-src 'none'",
    );
    const ok = await handler(new Request('app://studio/assets/m.wasm'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/wasm');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    expect((await handler(new Request('app://studio/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handler(new Request('app://studio/..%2fsecret.txt'))).status).toBe(404);
    expect((await handler(new Request('app://studio/missing.js'))).status).toBe(404);
  });

  it('register as a standard, secure scheme', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: APP_SCHEME,
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(mimeType('x/index.html')).toMatch(/^text\/html/);
    expect(mimeType('x/unknown.bin')).toBe('application/octet-stream');
  });
});
