import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  contentSecurityPolicy,
  denyAllPermissions,
  hardenWebContents,
  installCsp,
  isAllowedExternalUrl,
  secureWebPreferences,
} from './security.ts';
import { mainWindowOptions } from './window.ts';
import { DEFAULT_WINDOW_STATE } from './window-state.ts';

describe('window options', () => {
  it('isolate and sandbox the renderer, without Node, with web security', () => {
    for (const dev of [false, true]) {
      const o = mainWindowOptions(DEFAULT_WINDOW_STATE, '/app/out/preload/index.cjs', dev);
      const w = o.webPreferences!;
      expect(w.contextIsolation).toBe(true);
      expect(w.sandbox).toBe(true);
      expect(w.nodeIntegration).toBe(false);
      expect(w.nodeIntegrationInWorker).toBe(false);
      expect(w.nodeIntegrationInSubFrames).toBe(false);
      expect(w.webSecurity).toBe(true);
      expect(w.allowRunningInsecureContent).toBe(false);
      expect(w.webviewTag).toBe(false);
      expect(w.preload).toBe('/app/out/preload/index.cjs');
      expect(o.show).toBe(false);
    }
  });

  it('have DevTools only in development', () => {
    expect(secureWebPreferences('p', false).devTools).toBe(false);
    expect(secureWebPreferences('p', true).devTools).toBe(true);
  });
});

/** A WebContents stand-in: events plus the window-open handler. */
function fakeContents() {
  const ee = new EventEmitter() as EventEmitter & {
    openHandler?: (d: { url: string }) => { action: string };
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void;
  };
  ee.setWindowOpenHandler = (h) => (ee.openHandler = h);
  return ee;
}
const navEvent = (url: string, extra: object = {}) => ({ url, preventDefault: vi.fn(), ...extra });

describe('hardenWebContents', () => {
  it('blocks every navigation, redirect and <webview>', () => {
    const wc = fakeContents();
    hardenWebContents(wc as never, vi.fn());
    for (const [name, ev] of [
      ['will-navigate', navEvent('https://evil.example/')],
      ['will-navigate', navEvent('file:///etc/passwd')],
      ['will-frame-navigate', navEvent('https://evil.example/', { isMainFrame: false })],
      ['will-redirect', navEvent('https://evil.example/')],
      ['will-attach-webview', navEvent('')],
    ] as const) {
      wc.emit(name, ev);
      expect(ev.preventDefault, name).toHaveBeenCalledOnce();
    }
  });

  it('denies window.open, handing only allow-listed https links to the system browser', () => {
    const wc = fakeContents();
    const open = vi.fn();
    hardenWebContents(wc as never, open);
    expect(wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'http://github.com/wlfeng0509/Fast-SAM3D' })).toEqual({ action: 'deny' });
    expect(open).not.toHaveBeenCalled();
    expect(wc.openHandler!({ url: 'https://github.com/wlfeng0509/Fast-SAM3D' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledWith('https://github.com/wlfeng0509/Fast-SAM3D');
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    ['https://github.com/wlfeng0509/Fast-SAM3D', true],
    ['https://github.com/wlfeng0509/Fast-SAM3D/blob/main/README.md', true],
    ['https://arxiv.org/abs/2602.05293', true],
    ['http://github.com/wlfeng0509/Fast-SAM3D', false],
    ['https://github.com/wlfeng0509/Fast-SAM3D-evil', false],
    ['https://github.com.evil.example/wlfeng0509/Fast-SAM3D', false],
    ['https://user:pw@github.com/wlfeng0509/Fast-SAM3D', false],
    ['https://github.com/someone-else', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => expect(isAllowedExternalUrl(url)).toBe(ok));
});

describe('content security policy', () => {
  it('is strict in a packaged app', () => {
    const csp = contentSecurityPolicy(false);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('admits the dev server (inline refresh preamble, HMR socket) only in development', () => {
    const csp = contentSecurityPolicy(true, 'http://localhost:5173/');
    expect(csp).toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain('ws://localhost:5173');
  });

  it('replaces any CSP header a response brings', () => {
    let listener!: (d: unknown, cb: (r: unknown) => void) => void;
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } };
    installCsp(session as never, "default-src 'none'");
    const cb = vi.fn();
    listener({ responseHeaders: { 'content-security-policy': ['*'], 'X-Other': ['1'] } }, cb);
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ["default-src 'none'"] },
    });
  });
});

describe('permissions', () => {
  it('are all denied', () => {
    const s = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    denyAllPermissions(s as never);
    const cb = vi.fn();
    s.setPermissionRequestHandler.mock.calls[0][0]({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(s.setPermissionCheckHandler.mock.calls[0][0]({}, 'clipboard-read')).toBe(false);
    expect(s.setDevicePermissionHandler.mock.calls[0][0]({})).toBe(false);
  });
});
