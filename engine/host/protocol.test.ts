import { describe, expect, it } from 'vitest';
import { CodecError, decodeMessage, encodeMessage } from './codec.ts';
import { EventMessageSchema, LIMITS, parseRequest, parseResult, ResponseSchema } from './protocol.ts';

const req = (method: string, params: unknown, id = 7) => ({ type: 'request', id, method, params });

describe('parseRequest', () => {
  it('accepts a valid request', () => {
    const r = parseRequest(req('openImage', { name: 'a.png', bytes: new Uint8Array(3) }));
    expect(r).toMatchObject({ ok: true, id: 7, method: 'openImage' });
  });

  it('rejects an unknown method by name', () => {
    const r = parseRequest(req('formatDisk', {}));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        code: 'bad-request',
        message: expect.stringContaining('unknown method "formatDisk"'),
      });
  });

  it('rejects wrong types with the field path', () => {
    const r = parseRequest(req('metrics', { runA: 'a', runB: 42 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.id).toBe(7);
      expect(r.error.message).toMatch(/runB/);
    }
    const bad = parseRequest(req('openImage', { name: 'a', bytes: [1, 2, 3] }));
    expect(!bad.ok && bad.error.message).toMatch(/bytes: expected a Uint8Array/);
    const extra = parseRequest(req('hello', { evil: true }));
    expect(extra.ok).toBe(false);
  });

  it('rejects oversize payloads', () => {
    const fake = new Uint8Array(1);
    Object.defineProperty(fake, 'length', { value: LIMITS.imageBytes + 1 });
    const r = parseRequest(req('openImage', { name: 'a', bytes: fake }));
    expect(!r.ok && r.error.message).toMatch(/too large/);
    const points = Array.from({ length: LIMITS.points + 1 }, () => ({ x: 1, y: 1, positive: true }));
    expect(parseRequest(req('segment', { imageId: 'img-1', points })).ok).toBe(false);
    expect(parseRequest(req('openSample', { name: 'x'.repeat(LIMITS.name + 1) })).ok).toBe(false);
  });

  it("takes the run's mask-guide switch as an optional boolean only", () => {
    const run = { imageId: 'img-1', mask: new Uint8Array(4), strategy: 'full', knobs: {}, seed: 0 };
    expect(parseRequest(req('run', run)).ok).toBe(true);
    expect(parseRequest(req('run', { ...run, maskGuide: false })).ok).toBe(true);
    const bad = parseRequest(req('run', { ...run, maskGuide: 'no' }));
    expect(!bad.ok && bad.error.message).toMatch(/maskGuide/);
  });

  it('rejects ids with path characters and non-finite numbers', () => {
    expect(parseRequest(req('metrics', { runA: '../etc', runB: 'b' })).ok).toBe(false);
    const p = { imageId: 'i', points: [{ x: NaN, y: 0, positive: true }] };
    expect(parseRequest(req('segment', p)).ok).toBe(false);
  });

  it('rejects a malformed envelope with id -1 when the id is unreadable', () => {
    for (const raw of [
      null,
      42,
      'hello',
      { type: 'request' },
      { type: 'request', id: 'x', method: 'hello' },
    ]) {
      const r = parseRequest(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.id).toBe(-1);
    }
  });

  it('keeps internal methods internal', () => {
    const m = req('restoreImage', { imageId: 'a', name: 'b', bytes: new Uint8Array(1) });
    expect(parseRequest(m).ok).toBe(false);
    expect(parseRequest(m, { internal: true }).ok).toBe(true);
  });

  it('checks results on the client side', () => {
    expect(() => parseResult('metrics', { cdL1: 1 })).toThrow(/malformed metrics result/);
    expect(ResponseSchema.safeParse({ type: 'response', id: 1, ok: true }).success).toBe(true);
    expect(
      ResponseSchema.safeParse({ type: 'response', id: 1, ok: false, error: { code: 'nope', message: '' } })
        .success,
    ).toBe(false);
  });
  it("accepts provider 'auto' and informational events", () => {
    expect(parseRequest(req('updateSettings', { provider: 'auto' })).ok).toBe(true);
    const ev = (event: unknown) => EventMessageSchema.safeParse({ type: 'event', event }).success;
    expect(ev({ type: 'info', message: 'execution provider "auto": running on CPU' })).toBe(true);
    expect(ev({ type: 'info', message: 'x', level: 3 })).toBe(false);
  });
});

describe('codec', () => {
  it('round-trips typed arrays, nesting and non-finite numbers', () => {
    const msg = {
      type: 'response',
      id: 3,
      ok: true,
      result: {
        mesh: {
          vertices: Float32Array.of(1.5, -2, 3),
          faces: Uint32Array.of(0, 1, 2),
          colors: new Float32Array(3),
        },
        coords: Int32Array.of(-1, 2, 3),
        mask: Uint8Array.of(0, 1, 1, 0, 1),
        d64: Float64Array.of(Math.PI),
        list: [Uint16Array.of(7), { deep: Int8Array.of(-3) }],
        nums: [NaN, Infinity, -Infinity, 0.25],
        s: 'ünïcode ✓',
        nothing: null,
      },
    };
    const frame = encodeMessage(msg);
    const back = decodeMessage(frame) as typeof msg;
    expect(back.result.mesh.vertices).toBeInstanceOf(Float32Array);
    expect(Array.from(back.result.mesh.vertices)).toEqual([1.5, -2, 3]);
    expect(back.result.mesh.faces).toBeInstanceOf(Uint32Array);
    expect(Array.from(back.result.coords)).toEqual([-1, 2, 3]);
    expect(Array.from(back.result.mask)).toEqual([0, 1, 1, 0, 1]);
    expect(back.result.d64[0]).toBe(Math.PI);
    expect(back.result.list[0]).toBeInstanceOf(Uint16Array);
    expect((back.result.list[1] as { deep: Int8Array }).deep[0]).toBe(-3);
    expect(back.result.nums).toEqual([NaN, Infinity, -Infinity, 0.25]);
    expect(back.result.s).toBe('ünïcode ✓');
    expect(back.result.nothing).toBeNull();
  });

  it('handles unaligned views and Buffer-like subclasses', () => {
    const base = new Uint8Array(17);
    base.set([9, 8, 7, 6], 1);
    const view = base.subarray(1, 5);
    const f = new Float32Array(new ArrayBuffer(20), 4, 2);
    f.set([1, 2]);
    const back = decodeMessage(encodeMessage({ view, f })) as { view: Uint8Array; f: Float32Array };
    expect(Array.from(back.view)).toEqual([9, 8, 7, 6]);
    expect(Array.from(back.f)).toEqual([1, 2]);
    // A frame inside a larger buffer at an odd offset (as Node's ws hands them over).
    const frame = encodeMessage({ f });
    const padded = new Uint8Array(frame.length + 3);
    padded.set(frame, 3);
    expect(Array.from((decodeMessage(padded.subarray(3)) as { f: Float32Array }).f)).toEqual([1, 2]);
  });

  it('rejects malformed frames', () => {
    const good = encodeMessage({ a: Uint8Array.of(1, 2, 3, 4) });
    expect(() => decodeMessage(new Uint8Array(3))).toThrow(CodecError);
    expect(() => decodeMessage(new TextEncoder().encode('{"type":"request"}'))).toThrow(
      /not an engine protocol frame/,
    );
    const truncated = good.slice(0, good.length - 6);
    expect(() => decodeMessage(truncated)).toThrow(/out of range/);
    const badLen = good.slice();
    new DataView(badLen.buffer).setUint32(4, 1e9, true);
    expect(() => decodeMessage(badLen)).toThrow(/header length/);
    expect(() => decodeMessage(good, 8)).toThrow(/exceeds/);
    // A reference whose length is not a multiple of the element size.
    const json = JSON.stringify({ v: 1, msg: { x: { $bin: 0, t: 'Float32Array' } }, seg: [[0, 3]] });
    const h = new TextEncoder().encode(json);
    const frame = new Uint8Array(((8 + h.length + 7) & ~7) + 8);
    new DataView(frame.buffer).setUint32(0, 0x44335346, true);
    new DataView(frame.buffer).setUint32(4, h.length, true);
    frame.set(h, 8);
    expect(() => decodeMessage(frame)).toThrow(/out of range/);
  });

  it('does not pollute prototypes', () => {
    const json = '{"v":1,"msg":{"__proto__":{"polluted":true},"a":1},"seg":[]}';
    const h = new TextEncoder().encode(json);
    const frame = new Uint8Array(8 + h.length);
    new DataView(frame.buffer).setUint32(0, 0x44335346, true);
    new DataView(frame.buffer).setUint32(4, h.length, true);
    frame.set(h, 8);
    const out = decodeMessage(frame) as Record<string, unknown>;
    expect(out.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.polluted).toBeUndefined();
  });
});
