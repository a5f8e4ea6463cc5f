/** One readable line from anything thrown (Electron prefixes IPC errors; drop that). */
export function errorLine(e: unknown): string {
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return raw
    .replace(/^Error invoking remote method '[^']*': (Error: )?/, '')
    .split('\n')[0]
    .trim();
}

/** The engine's error code (EngineError.code: 'user', 'cancelled', 'engine-crashed', …), if any. */
export function errorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

export function isCancel(e: unknown): boolean {
  const name = e instanceof Error ? e.name : '';
  return errorCode(e) === 'cancelled' || name === 'AbortError' || /cancel|abort/i.test(errorLine(e));
}
