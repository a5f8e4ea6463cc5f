// Map from non-negative int32 keys to int32 values. Grid keys ((res+1)^3 < 2^31) are looked up millions of
// times per mesh: a typed-array table is several times faster than Map<number,…>, and when every key is
// below a small bound (a 64³ grid's) a plain array indexed by key is faster still than hashing.

/** Key bounds up to this use a direct table (16 MB of Int32). */
const DIRECT_LIMIT = 1 << 22;

export class IntMap {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  /** Value per key when keys are bounded by DIRECT_LIMIT (−1 = absent); hashing is then unused. */
  private readonly direct: Int32Array | null = null;
  size = 0;

  /** `keyBound`: every key is below it (lets a small key range use a direct table). */
  constructor(expected: number, keyBound = Infinity) {
    if (keyBound <= DIRECT_LIMIT) {
      this.direct = new Int32Array(keyBound).fill(-1);
      this.keys = this.vals = new Int32Array(0);
      this.mask = this.shift = 0;
      return;
    }
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.keys = new Int32Array(1 << bits).fill(-1);
    this.vals = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** Value for key, or -1. */
  get(key: number): number {
    if (this.direct) return this.direct[key];
    const keys = this.keys;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === key) return this.vals[h];
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }

  /** Existing value for key; otherwise stores `value` and returns it. */
  getOrInsert(key: number, value: number): number {
    const d = this.direct;
    if (d) {
      if (d[key] !== -1) return d[key];
      d[key] = value;
      this.size++;
      return value;
    }
    if (this.size * 2 >= this.keys.length) this.grow();
    const keys = this.keys;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === key) return this.vals[h];
      if (k === -1) {
        keys[h] = key;
        this.vals[h] = value;
        this.size++;
        return value;
      }
      h = (h + 1) & this.mask;
    }
  }

  /** Stores value for key, replacing any previous one. */
  set(key: number, value: number): void {
    const d = this.direct;
    if (d) {
      if (d[key] === -1) this.size++;
      d[key] = value;
      return;
    }
    if (this.size * 2 >= this.keys.length) this.grow();
    const keys = this.keys;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === key) {
        this.vals[h] = value;
        return;
      }
      if (k === -1) {
        keys[h] = key;
        this.vals[h] = value;
        this.size++;
        return;
      }
      h = (h + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const bits = 33 - this.shift;
    this.keys = new Int32Array(1 << bits).fill(-1);
    this.vals = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== -1) this.set(oldKeys[i], oldVals[i]);
  }
}
