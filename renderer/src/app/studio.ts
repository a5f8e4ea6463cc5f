// One studio = store + ops bound to one engine client.
import type { EngineClient } from '../client/api';
import { browserEnv, type StudioEnv } from '../lib/env';
import { createOps, type StudioOps } from '../store/ops';
import { createStudioStore, type StudioStore } from '../store/store';

export type Studio = { store: StudioStore; ops: StudioOps; client: EngineClient; env: StudioEnv };

export function createStudio(client: EngineClient, env: StudioEnv = browserEnv): Studio {
  const store = createStudioStore();
  return { store, ops: createOps(store, client, env), client, env };
}

/** Menu actions and files from the desktop shell drive the studio; returns the unsubscribe. */
export function connectShell(studio: Studio, focused: () => Element | null = () => null): () => void {
  return studio.env.shell?.onEvent((e) => void studio.ops.handleShellEvent(e, focused())) ?? (() => {});
}
