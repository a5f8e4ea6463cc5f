// The studio's engine settings, persisted as settings.json in a folder the host chooses (Electron's
// userData, or the web server's --settings-dir). A missing or unreadable file means defaults.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../export/index.ts';
import { SettingsSchema } from './protocol.ts';
import type { Settings } from '../../renderer/src/client/api.ts';

/** 'auto': the platform's GPU provider when one starts, else CPU (reported, not an error). */
export const DEFAULT_SETTINGS: Settings = { packDirs: [], activePack: '', provider: 'auto', threads: 0 };

export class SettingsStore {
  private current: Settings = { ...DEFAULT_SETTINGS };

  /** `dir` null keeps settings in memory only (tests, a read-only profile). */
  constructor(private readonly dir: string | null) {}

  get file(): string | null {
    return this.dir ? path.join(this.dir, 'settings.json') : null;
  }

  get value(): Settings {
    return { ...this.current, packDirs: [...this.current.packDirs] };
  }

  /** Loads the file; returns a warning when it exists but cannot be used. */
  async load(): Promise<string | null> {
    if (!this.file) return null;
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return `cannot read ${this.file} (${(e as Error).message}); using default settings`;
    }
    try {
      const parsed = SettingsSchema.partial().safeParse(JSON.parse(raw));
      if (!parsed.success) return `${this.file} is not valid settings; using defaults`;
      this.current = { ...DEFAULT_SETTINGS, ...parsed.data };
      return null;
    } catch {
      return `${this.file} is not valid JSON; using default settings`;
    }
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...patch });
    next.packDirs = [...new Set(next.packDirs.map((d) => path.resolve(d)))];
    if (this.file) await atomicWrite(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    return this.value;
  }
}
