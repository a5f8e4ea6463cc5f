// Binary-safe codec for one protocol message per WebSocket frame (Electron IPC and child_process
// 'advanced' serialisation clone typed arrays natively and need none of this). Layout, little-endian:
//   u32 magic 'FS3D' | u32 header length | header (UTF-8 JSON) | zero padding to 8 | segments
// The header is { v: 1, msg, seg: [[offset, byteLength], ...] }; in `msg` every typed array is replaced by
// { $bin: index, t: kind } and every non-finite number by { $num: 'NaN' | 'Infinity' | '-Infinity' }
// (JSON has neither). Segments start on 8-byte boundaries. Node-free: the renderer uses it too.

const MAGIC = 0x44335346; // 'FS3D' read as little-endian u32
const MAX_HEADER = 16 * 1024 * 1024;

const KINDS = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  Uint8ClampedArray,
} as const;
type Kind = keyof typeof KINDS;
type Typed = InstanceType<(typeof KINDS)[Kind]>;

function kindOf(v: unknown): Kind | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  for (const k of Object.keys(KINDS) as Kind[]) if (v.constructor === KINDS[k]) return k;
  // Node's Buffer and other Uint8Array subclasses travel as plain bytes.
  return v instanceof Uint8Array ? 'Uint8Array' : null;
}

const align8 = (n: number) => (n + 7) & ~7;

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

export function encodeMessage(msg: unknown): Uint8Array {
  const segs: Typed[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64) throw new CodecError('message nested too deeply');
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
    if (v === null || typeof v !== 'object') return v;
    const kind = kindOf(v);
    if (kind) {
      segs.push(v as Typed);
      return { $bin: segs.length - 1, t: kind };
    }
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) throw new CodecError('unsupported binary value');
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x, depth + 1);
    return out;
  };
  const body = walk(msg, 0);
  const seg: [number, number][] = [];
  let offset = 0;
  for (const s of segs) {
    seg.push([offset, s.byteLength]);
    offset = align8(offset + s.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ v: 1, msg: body, seg }));
  const start = align8(8 + header.length);
  const out = new Uint8Array(start + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, header.length, true);
  out.set(header, 8);
  segs.forEach((s, i) => out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), start + seg[i][0]));
  return out;
}

/** Decodes one frame; throws CodecError on anything that is not a well-formed frame. Typed arrays are
 *  fresh copies (aligned, independent of the frame's buffer). */
export function decodeMessage(frame: ArrayBuffer | Uint8Array, maxBytes = Infinity): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length > maxBytes) throw new CodecError(`frame of ${bytes.length} bytes exceeds ${maxBytes}`);
  if (bytes.length < 8) throw new CodecError('frame too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new CodecError('not an engine protocol frame');
  const hlen = dv.getUint32(4, true);
  if (hlen > MAX_HEADER || 8 + hlen > bytes.length) throw new CodecError('bad header length');
  let header: { v?: unknown; msg?: unknown; seg?: unknown };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + hlen)));
  } catch {
    throw new CodecError('header is not valid JSON');
  }
  if (header?.v !== 1 || !Array.isArray(header.seg)) throw new CodecError('unsupported frame version');
  const start = align8(8 + hlen);
  const seg = header.seg as unknown[];
  const read = (i: unknown, t: unknown): Typed => {
    const ref = typeof i === 'number' && Number.isInteger(i) ? seg[i] : undefined;
    if (!Array.isArray(ref) || typeof t !== 'string' || !Object.hasOwn(KINDS, t))
      throw new CodecError('bad binary reference');
    const [off, len] = ref as unknown[];
    const Ctor = KINDS[t as Kind];
    if (
      typeof off !== 'number' ||
      typeof len !== 'number' ||
      !Number.isInteger(off) ||
      !Number.isInteger(len) ||
      off < 0 ||
      len < 0 ||
      len % Ctor.BYTES_PER_ELEMENT !== 0 ||
      start + off + len > bytes.length
    )
      throw new CodecError('binary segment out of range');
    // A copy into a fresh buffer: on Node the frame is a pooled Buffer whose slice() is only a view.
    const copy = new Uint8Array(bytes.subarray(start + off, start + off + len));
    return new Ctor(copy.buffer, 0, len / Ctor.BYTES_PER_ELEMENT);
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64) throw new CodecError('message nested too deeply');
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && '$bin' in o && 't' in o) return read(o.$bin, o.t);
    if (keys.length === 1 && '$num' in o) {
      if (o.$num === 'NaN' || o.$num === 'Infinity' || o.$num === '-Infinity') return Number(o.$num);
      throw new CodecError('bad number marker');
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (k === '__proto__') continue; // JSON.parse keeps it as an own key; never copy it onto a prototype
      out[k] = walk(o[k], depth + 1);
    }
    return out;
  };
  return walk(header.msg, 0);
}
