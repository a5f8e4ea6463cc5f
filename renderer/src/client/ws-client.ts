// EngineClient for browser mode: one WebSocket to the engine server (engine/host/web-server.ts), binary
// frames in the engine codec. The access token comes from the page URL (?token=…), is kept in
// sessionStorage and removed from the address bar. The socket opens on first use and again after a drop.
import { decodeMessage, encodeMessage } from '../../../engine/host/codec.ts';
import { LIMITS } from '../../../engine/host/protocol.ts';
import type { EngineClient } from './api.ts';
import { EngineError, rpcClient } from './rpc.ts';

const TOKEN_KEY = 'fsam3d.token';
const OPEN = 1;

/** The few browser globals used here, typed locally so this file also compiles without the DOM lib. */
type WsLike = {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: (() => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
};
export type WebSocketCtor = new (url: string) => WsLike;
type Page = {
  location?: { protocol: string; host: string; search: string; href: string };
  sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  history?: { state: unknown; replaceState(state: unknown, unused: string, url: string): void };
  WebSocket?: WebSocketCtor;
};
const page = globalThis as unknown as Page;

export type WsClientOptions = {
  /** Full ws:// URL including ?token=…; by default derived from the page location. */
  url?: string;
  /** WebSocket implementation (the `ws` package in Node tests); default the global one. */
  WebSocket?: WebSocketCtor;
};

/** Reads the token from the URL once, keeps it for reloads, and hides it from history and screenshots. */
export function pageToken(): string | null {
  const loc = page.location;
  const fromUrl = loc ? new URLSearchParams(loc.search).get('token') : null;
  if (loc && fromUrl) {
    page.sessionStorage?.setItem(TOKEN_KEY, fromUrl);
    const clean = new URL(loc.href);
    clean.searchParams.delete('token');
    page.history?.replaceState(page.history.state, '', clean.toString());
    return fromUrl;
  }
  return page.sessionStorage?.getItem(TOKEN_KEY) ?? null;
}

export function engineSocketUrl(): string {
  const loc = page.location;
  if (!loc) throw new Error('no page location: pass WsClientOptions.url');
  const token = pageToken();
  if (!token)
    throw new EngineError('disconnected', 'no access token: open the URL the engine server printed');
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws?token=${encodeURIComponent(token)}`;
}

export function createWsClient(opts: WsClientOptions = {}): EngineClient {
  const Ws = opts.WebSocket ?? page.WebSocket;
  if (!Ws) throw new Error('no WebSocket implementation: pass WsClientOptions.WebSocket');
  let url = opts.url;
  let socket: WsLike | null = null;
  let opening: Promise<WsLike> | null = null;
  const pending = new Map<number, (raw: unknown) => void>();
  const failures = new Map<number, (e: Error) => void>();
  const subscribers = new Set<(raw: unknown) => void>();

  const dispatch = (raw: unknown) => {
    const m = raw as { type?: unknown; id?: unknown };
    if (m?.type === 'response' && typeof m.id === 'number' && pending.has(m.id)) {
      const resolve = pending.get(m.id)!;
      pending.delete(m.id);
      failures.delete(m.id);
      resolve(raw);
    } else if (m?.type === 'event') subscribers.forEach((s) => s(raw));
    else console.warn('engine server: unmatched message', m?.type);
  };

  const lost = (why: string) => {
    const err = new EngineError('disconnected', why);
    for (const fail of failures.values()) fail(err);
    pending.clear();
    failures.clear();
    const warning = {
      type: 'event',
      event: { type: 'warning', message: `${why}; reconnecting on the next action` },
    };
    subscribers.forEach((s) => s(warning));
  };

  const connect = (): Promise<WsLike> => {
    if (socket && socket.readyState === OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WsLike>((resolve, reject) => {
      url ??= engineSocketUrl();
      const ws = new Ws(url);
      ws.binaryType = 'arraybuffer';
      let open = false;
      ws.onopen = () => {
        open = true;
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => undefined; // a close event follows and says what happened
      ws.onmessage = (ev) => {
        try {
          dispatch(decodeMessage(ev.data as ArrayBuffer, LIMITS.frameBytes));
        } catch (e) {
          console.warn('engine server: unreadable frame', e);
        }
      };
      ws.onclose = () => {
        if (!open) {
          opening = null;
          reject(
            new EngineError(
              'disconnected',
              'cannot connect to the engine server: check that it is running and that you opened the exact URL it printed (with its token)',
            ),
          );
        } else if (socket === ws) {
          socket = null;
          lost('lost the connection to the engine server');
        }
      };
    });
    return opening;
  };

  return rpcClient({
    async send(request) {
      const frame = encodeMessage(request);
      if (frame.length > LIMITS.frameBytes)
        throw new EngineError(
          'bad-request',
          `the ${request.method} request is too large (${frame.length} bytes)`,
        );
      const ws = await connect();
      return new Promise((resolve, reject) => {
        pending.set(request.id, resolve);
        failures.set(request.id, reject);
        ws.send(frame);
      });
    },
    subscribe(cb) {
      subscribers.add(cb);
      void connect().catch(() => undefined); // events flow only over an open socket
      return () => void subscribers.delete(cb);
    },
  });
}
