// Small JSON files in userData (window state, settings, recent files): read once at start-up,
// validated with zod (a damaged or hand-edited file falls back to defaults), written atomically
// (temp file + rename, engine/export/atomic-write.ts) and one write at a time per file.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { atomicWrite } from '../../engine/export/atomic-write.ts';

export function readJsonSync<S extends z.ZodType>(
  file: string,
  schema: S,
  fallback: z.output<S>,
  onProblem: (message: string) => void = () => {},
): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(`cannot read ${file}: ${String(err)}`);
    return fallback;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    onProblem(`${file} is not valid JSON; using defaults`);
    return fallback;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    onProblem(`${file} does not match its schema; using defaults`);
    return fallback;
  }
  return parsed.data;
}

const queues = new Map<string, Promise<void>>();

/** Atomic write; writes to the same file are serialised so the last call always wins on disk. */
export function writeJson(file: string, value: unknown): Promise<void> {
  const prev = queues.get(file) ?? Promise.resolve();
  const next = prev
    .catch(() => undefined)
    .then(() => atomicWrite(file, `${JSON.stringify(value, null, 2)}\n`));
  queues.set(file, next);
  void next
    .finally(() => {
      if (queues.get(file) === next) queues.delete(file);
    })
    .catch(() => undefined);
  return next;
}
