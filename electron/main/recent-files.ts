// Recently opened photos: newest first, no duplicates, at most MAX_RECENT, kept in
// userData/recent-files.json and mirrored to the OS list (app.addRecentDocument). The paths stay in
// the main process: the menu shows names, and choosing one sends the renderer bytes, not a path.
import path from 'node:path';
import { z } from 'zod';
import { readJsonSync, writeJson } from './json-store.ts';

export const MAX_RECENT = 10;

export const RecentEntrySchema = z.object({
  path: z.string().min(1).max(4096),
  name: z.string().min(1).max(512),
  openedAt: z.number().int().nonnegative(),
});
export type RecentEntry = z.infer<typeof RecentEntrySchema>;
const RecentListSchema = z.array(RecentEntrySchema).max(100);

/** Windows and macOS file systems are case-insensitive by default. */
export function samePath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const na = path.resolve(a);
  const nb = path.resolve(b);
  return platform === 'win32' || platform === 'darwin' ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}

export function addRecent(
  list: readonly RecentEntry[],
  file: string,
  now: number,
  opts: { max?: number; platform?: NodeJS.Platform } = {},
): RecentEntry[] {
  const entry: RecentEntry = { path: path.resolve(file), name: path.basename(file), openedAt: now };
  const rest = list.filter((e) => !samePath(e.path, file, opts.platform));
  return [entry, ...rest].slice(0, opts.max ?? MAX_RECENT);
}

export function removeRecent(
  list: readonly RecentEntry[],
  file: string,
  platform?: NodeJS.Platform,
): RecentEntry[] {
  return list.filter((e) => !samePath(e.path, file, platform));
}

export type RecentFilesOptions = {
  file: string;
  /** OS recent-documents hooks (app.addRecentDocument / app.clearRecentDocuments). */
  addToOs?: (file: string) => void;
  clearOs?: () => void;
  onChange?: (list: readonly RecentEntry[]) => void;
  onError?: (err: unknown) => void;
  now?: () => number;
};

export class RecentFiles {
  private entries: RecentEntry[];

  constructor(private readonly opts: RecentFilesOptions) {
    this.entries = readJsonSync(opts.file, RecentListSchema, []).slice(0, MAX_RECENT);
  }

  list(): readonly RecentEntry[] {
    return this.entries;
  }

  add(file: string): Promise<void> {
    this.opts.addToOs?.(file);
    return this.set(addRecent(this.entries, file, (this.opts.now ?? Date.now)()));
  }

  remove(file: string): Promise<void> {
    return this.set(removeRecent(this.entries, file));
  }

  clear(): Promise<void> {
    this.opts.clearOs?.();
    return this.set([]);
  }

  private async set(next: RecentEntry[]): Promise<void> {
    this.entries = next;
    this.opts.onChange?.(next);
    await writeJson(this.opts.file, next).catch((err) => this.opts.onError?.(err));
  }
}
