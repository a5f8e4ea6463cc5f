import { useLayoutEffect, useState, type RefObject } from 'react';

/** Content-box size of an element, kept current with a ResizeObserver. */
export function useElementSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/** Largest rectangle of the given aspect that fits in the box. */
export function fitRect(boxW: number, boxH: number, w: number, h: number): { width: number; height: number } {
  if (boxW <= 0 || boxH <= 0 || w <= 0 || h <= 0) return { width: 0, height: 0 };
  const s = Math.min(boxW / w, boxH / h);
  return { width: Math.floor(w * s), height: Math.floor(h * s) };
}
