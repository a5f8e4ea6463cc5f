import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StudioState } from '../store/types';
import type { Studio } from './studio';

export const StudioContext = createContext<Studio | null>(null);

export function useStudioInstance(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio outside <StudioContext>');
  return studio;
}

/** Subscribe to a slice of the studio state (return stable values or use useShallow). */
export function useStudio<T>(selector: (s: StudioState) => T): T {
  return useStore(useStudioInstance().store, selector);
}

export function useOps() {
  return useStudioInstance().ops;
}
