// Everything that keeps the renderer a locked-down web page: secure webPreferences, one strict CSP,
// no navigation, no new windows, no permissions, and the rule for opening links outside the app.
import type { Session, WebContents, WebPreferences } from 'electron';

export function secureWebPreferences(preload: string, dev: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: dev,
  };
}

/**
 * The content security policy of the studio. WebAssembly (meshoptimizer/OpenCV in the renderer) needs
 * 'wasm-unsafe-eval' but never 'unsafe-eval'; blob:/data: cover GLB object URLs and canvas
 * snapshots. In development the Vite dev server needs its inline React-refresh preamble and its
 * WebSocket; that relaxation never applies to a packaged app.
 */
export function contentSecurityPolicy(dev: boolean, devServerUrl?: string): string {
  const devOrigin = dev && devServerUrl ? new URL(devServerUrl).origin : undefined;
  const devWs = devOrigin ? devOrigin.replace(/^http/, 'ws') : undefined;
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...(devOrigin ? ["'unsafe-inline'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'blob:', 'data:', ...(devWs ? [devWs] : [])],
    'worker-src': ["'self'", 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** Adds the CSP to every response the session receives (the dev server; app:// sets its own). */
export function installCsp(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}

/** Every permission (camera, notifications, geolocation, HID, serial, …) is refused. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Links the Help menu (and target=_blank links) may open in the user's browser. */
export const EXTERNAL_URL_ALLOW_LIST: readonly string[] = [
  'https://github.com/facebookresearch/sam-3d-objects',
  'https://github.com/wlfeng0509/Fast-SAM3D',
  'https://arxiv.org/abs/2602.05293',
];

/** https only, no credentials, and the URL must start with an allow-listed entry. */
export function isAllowedExternalUrl(
  raw: string,
  allow: readonly string[] = EXTERNAL_URL_ALLOW_LIST,
): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  return allow.some((a) => {
    const base = new URL(a);
    return (
      url.origin === base.origin &&
      (url.pathname === base.pathname || url.pathname.startsWith(base.pathname.replace(/\/?$/, '/')))
    );
  });
}

/**
 * No navigation away from the studio (a dropped file, a link, a script), no redirects, no new
 * windows, no <webview>. An allow-listed https link asked for through window.open goes to the
 * system browser; the app window itself never opens it.
 */
export function hardenWebContents(
  contents: WebContents,
  openExternal: (url: string) => void,
  log: (message: string) => void = () => {},
): void {
  const block = (event: { preventDefault(): void }, url: string): void => {
    event.preventDefault();
    log(`blocked navigation to ${url}`);
  };
  contents.on('will-navigate', (event) => block(event, event.url));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) block(event, event.url);
  });
  contents.on('will-redirect', (event) => block(event, event.url));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    else log(`blocked window.open(${url})`);
    return { action: 'deny' };
  });
}
