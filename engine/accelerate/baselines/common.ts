// Small helpers shared by the baseline policies: field copies, mean-absolute norms, knob checks and the
// token bookkeeping of the token-subset baselines (which fields are per-token, how a partial network
// output is scattered back into a full-length velocity).
import { UserError } from '../../errors.ts';
import type { Fields } from '../policy.ts';

export function cloneFields(f: Readonly<Fields>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(f)) out[k] = Float32Array.from(v);
  return out;
}

/** mean|a| over every element of every field (fields concatenated, as the papers flatten outputs). */
export function meanAbs(a: Readonly<Fields>): number {
  let s = 0;
  let n = 0;
  for (const v of Object.values(a)) {
    for (let i = 0; i < v.length; i++) s += Math.abs(v[i]);
    n += v.length;
  }
  return n > 0 ? s / n : 0;
}

/** mean|a − b| over every element of the fields of `a`. */
export function meanAbsDiff(a: Readonly<Fields>, b: Readonly<Fields>): number {
  let s = 0;
  let n = 0;
  for (const [k, v] of Object.entries(a)) {
    const w = b[k];
    if (!w || w.length !== v.length) throw new Error(`field "${k}" changed shape between steps`);
    for (let i = 0; i < v.length; i++) s += Math.abs(v[i] - w[i]);
    n += v.length;
  }
  return n > 0 ? s / n : 0;
}

/** `defaults` overlaid with the knobs `input` sets (undefined entries keep the default); an unknown
 *  knob name is an error rather than silently ignored. */
export function withDefaults<T extends object>(policy: string, defaults: Readonly<T>, input: Partial<T>): T {
  for (const key of Object.keys(input)) {
    if (!(key in defaults)) {
      throw new UserError(`${policy}: unknown knob "${key}" (known: ${Object.keys(defaults).join(', ')})`);
    }
  }
  const set = Object.entries(input).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) } as T;
}

// ---- knob checks (UserError: knobs come from presets and flags the user can fix) ----

export function checkInt(policy: string, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new UserError(`${policy}: ${name} must be ${range}, got ${String(v)}`);
  }
  return v;
}

/** A finite number in [min, max] (or [min, max) when maxOpen). */
export function checkReal(
  policy: string,
  name: string,
  v: unknown,
  min: number,
  max: number,
  maxOpen = false,
): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && (maxOpen ? v < max : v <= max);
  if (!ok)
    throw new UserError(
      `${policy}: ${name} must be a number in [${min}, ${max}${maxOpen ? ')' : ']'}, got ${String(v)}`,
    );
  return v as number;
}

// ---- token fields ----

/** Per-token fields: those whose length is a whole multiple of the token count (stage 1: 'shape';
 *  stage 2: 'x'). The rest (stage-1 layout, one token each) are always evaluated in full. */
export function tokenWidths(x: Readonly<Fields>, tokens: number): Map<string, number> {
  if (!(Number.isInteger(tokens) && tokens > 0))
    throw new Error(`token count must be a positive integer, got ${tokens}`);
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(x)) {
    if (v.length >= tokens && v.length % tokens === 0) out.set(k, v.length / tokens);
  }
  if (out.size === 0) throw new Error(`no field has a whole number of values per token (${tokens} tokens)`);
  return out;
}

/**
 * Full-length velocity: rows not in `rows` keep `held` (the last velocity), evaluated rows come from
 * `partial`. A token field of `partial` may hold the subset (rows.length rows) or every row (an
 * evaluate that ignored the subset, e.g. a dense stage-1 network); other fields are taken whole.
 */
export function scatterRows(
  held: Readonly<Fields>,
  partial: Readonly<Fields>,
  rows: Int32Array,
  widths: ReadonlyMap<string, number>,
): Fields {
  const out: Fields = {};
  for (const [k, h] of Object.entries(held)) {
    const p = partial[k];
    if (!p) throw new Error(`network output "${k}" missing from a token-subset evaluation`);
    const w = widths.get(k);
    if (w === undefined) {
      if (p.length !== h.length)
        throw new Error(`output "${k}" has ${p.length} values, expected ${h.length}`);
      out[k] = Float32Array.from(p);
      continue;
    }
    const o = Float32Array.from(h);
    const subset = p.length === rows.length * w;
    if (!subset && p.length !== h.length) {
      throw new Error(
        `output "${k}" has ${p.length} values, expected ${rows.length * w} (subset) or ${h.length}`,
      );
    }
    for (let j = 0; j < rows.length; j++) {
      const src = (subset ? j : rows[j]) * w;
      o.set(p.subarray(src, src + w), rows[j] * w);
    }
    out[k] = o;
  }
  return out;
}

/** Ascending indices of 0..n−1 not flagged in `drop`. */
export function keptRows(n: number, drop: Uint8Array): Int32Array {
  let m = 0;
  for (let i = 0; i < n; i++) if (!drop[i]) m++;
  const out = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (!drop[i]) out[j++] = i;
  return out;
}
