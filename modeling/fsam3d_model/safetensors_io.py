"""Minimal safetensors writer/reader: 8-byte LE header length, JSON header, raw LE data.
Bool tensors are stored as U8 (0/1), as the TS fixture reader expects."""
import json
import struct

import numpy as np

_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int32): "I32", np.dtype(np.uint8): "U8",
           np.dtype(np.bool_): "U8"}
_NP = {"F32": np.float32, "I32": np.int32, "U8": np.uint8}


def save(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    for name in tensors:  # insertion order is the data order
        a = np.asarray(tensors[name])
        if a.dtype == np.float64:
            a = a.astype(np.float32)
        if a.dtype == np.int64:
            a = a.astype(np.int32)
        dt = _DTYPES[a.dtype]
        raw = np.ascontiguousarray(a.astype(np.dtype(_NP[dt]).newbyteorder("<"))).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * (-len(hb) % 8)  # keep the data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[base + b:base + e], dtype=np.dtype(_NP[info["dtype"]]).newbyteorder("<")) \
            .reshape(info["shape"]).copy()
    return out
