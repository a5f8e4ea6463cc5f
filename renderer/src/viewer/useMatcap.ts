import { useEffect, useMemo } from 'react';
import { createMatcapTexture } from './matcap';

/** The procedural clay matcap, made once per canvas and disposed with it. */
export function useMatcap() {
  const tex = useMemo(() => createMatcapTexture(256), []);
  useEffect(() => () => tex.dispose(), [tex]);
  return tex;
}
