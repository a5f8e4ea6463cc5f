// The zustand store: plain state, changed only through the pure transitions in *-logic.ts.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { initialState } from './initial';
import type { StudioState } from './types';

export type StudioStore = StoreApi<StudioState>;

export function createStudioStore(init: Partial<StudioState> = {}): StudioStore {
  return createStore<StudioState>()(() => ({ ...initialState(), ...init }));
}

/** Apply one pure transition. */
export function apply(store: StudioStore, f: (s: StudioState) => StudioState): void {
  const prev = store.getState();
  const next = f(prev);
  if (next !== prev) store.setState(next, true);
}
