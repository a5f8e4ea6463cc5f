import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../sparse/testing.ts';
import { IntMap } from './intmap.ts';

describe('IntMap', () => {
  // Small expected sizes force the hashed table to grow; a bound of 65³ keys uses the direct table.
  for (const [name, bound] of [
    ['hashed', Infinity],
    ['direct', 65 ** 3],
  ] as const) {
    it(`${name}: behaves like a Map for get, getOrInsert and set`, () => {
      const rng = mulberry32(name.length);
      const map = new IntMap(4, bound);
      const ref = new Map<number, number>();
      for (let step = 0; step < 20000; step++) {
        const key = Math.floor(rng() * 5000) * 53;
        const value = Math.floor(rng() * 1e6);
        const op = rng();
        if (op < 0.4) expect(map.get(key)).toBe(ref.get(key) ?? -1);
        else if (op < 0.7) {
          const want = ref.get(key) ?? value;
          ref.set(key, want);
          expect(map.getOrInsert(key, value)).toBe(want);
        } else {
          map.set(key, value);
          ref.set(key, value);
        }
        expect(map.size).toBe(ref.size);
      }
    });
  }
});
