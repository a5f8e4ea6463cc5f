import { useEffect } from 'react';
import type { StudioOps } from '../store/ops';

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable)
  );
}

/** ⌘/Ctrl+Z undo, ⌘/Ctrl+Enter 3Dfy, Esc cancel, A/S positive/negative tool, N new object. */
export function useShortcuts(ops: StudioOps): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void ops.run();
        return;
      }
      if (typing(e.target)) return;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        ops.undo();
      } else if (e.key === 'Escape') {
        void ops.cancel();
      } else if (!mod && !e.altKey) {
        if (e.key === 'a') ops.setTool('positive');
        else if (e.key === 's') ops.setTool('negative');
        else if (e.key === 'n') ops.addObject();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ops]);
}
