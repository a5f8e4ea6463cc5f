import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A button that opens a small panel below it; closes on outside click or Escape. Controlled when
 * `open` and `onOpenChange` are given (the shell's menu can open the settings).
 */
export function Popover(props: {
  trigger: (open: boolean, toggle: () => void) => ReactNode;
  children: (close: () => void) => ReactNode;
  align?: 'left' | 'right';
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const [own, setOwn] = useState(false);
  const open = props.open ?? own;
  const change = props.onOpenChange;
  const setOpen = useCallback(
    (next: boolean | ((o: boolean) => boolean)) => {
      const v = typeof next === 'function' ? next(open) : next;
      if (change) change(v);
      else setOwn(v);
    },
    [open, change],
  );
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, setOpen]);
  return (
    <div className="popover-anchor" ref={ref}>
      {props.trigger(open, () => setOpen((o) => !o))}
      {open && (
        <div className={props.align === 'right' ? 'popover right' : 'popover'} role="menu">
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
