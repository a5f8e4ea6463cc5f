import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from './codec.ts';

describe('codec on Node Buffers', () => {
  it('decodes a frame that sits at an offset inside a larger (pooled) buffer', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    const frame = encodeMessage({ type: 'request', id: 1, method: 'openImage', params: { bytes } });
    const pool = Buffer.alloc(frame.length + 77);
    pool.set(frame, 77);
    const view = pool.subarray(77);
    const msg = decodeMessage(view) as { params: { bytes: Uint8Array } };
    expect(Array.from(msg.params.bytes)).toEqual(Array.from(bytes));
  });
});
