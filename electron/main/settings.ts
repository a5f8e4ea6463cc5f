// The engine owns settings.json (engine/host/settings.ts, in userData, written by the worker). The
// shell keeps one rule on top: the studio may reorder or drop pack folders, but a NEW folder only
// enters through File › Add Model Pack Folder… (a folder dialog), so a compromised page cannot point
// the engine at an arbitrary path. It tracks the pack folders last seen so the menu can add one
// without asking the engine first.
import path from 'node:path';
import type { Settings } from '../../renderer/src/client/api.ts';
import { SettingsSchema, type WireError } from '../../engine/host/protocol.ts';

export class SettingsGuard {
  private readonly allowed = new Set<string>();
  private packDirs: string[] = [];

  /** `packDirs` from settings.json at start-up (the user chose them in an earlier session). */
  constructor(packDirs: readonly string[]) {
    this.track(packDirs);
  }

  /** A folder the user picked in the dialog. */
  allow(dir: string): void {
    this.allowed.add(path.resolve(dir));
  }

  /** Checks a validated updateSettings patch from the studio. */
  check(patch: Partial<Settings>): WireError | null {
    const unknown = (patch.packDirs ?? []).filter((d) => !this.allowed.has(path.resolve(d)));
    if (unknown.length === 0) return null;
    return {
      code: 'bad-request',
      message: `pack folder ${unknown[0]} was not chosen in a dialog; add pack folders with File › Add Model Pack Folder…`,
    };
  }

  /** Records the pack folders from a successful hello or updateSettings answer. */
  observe(method: string, result: unknown): void {
    const raw =
      method === 'updateSettings'
        ? result
        : method === 'hello'
          ? (result as { settings?: unknown })?.settings
          : undefined;
    const s = raw === undefined ? undefined : SettingsSchema.safeParse(raw);
    if (s?.success) this.track(s.data.packDirs);
  }

  /** The patch that adds `dir` after the current folders (no duplicate). */
  withPackDir(dir: string): Pick<Settings, 'packDirs'> {
    const abs = path.resolve(dir);
    return { packDirs: [...this.packDirs.filter((d) => path.resolve(d) !== abs), abs] };
  }

  private track(dirs: readonly string[]): void {
    this.packDirs = [...dirs];
    for (const d of dirs) this.allowed.add(path.resolve(d));
  }
}
