import { useEffect, useState } from 'react';

/** True once `active` has stayed true for `delayMs` (spinners that do not flash on fast answers). */
export function useDelayed(active: boolean, delayMs = 150): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const t = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(t);
  }, [active, delayMs]);
  return shown;
}
