#!/usr/bin/env python3
"""Parity fixtures for engine/image (resize, crop, pad) computed with PyTorch.

Run with a Python that has torch (here /usr/bin/python3, torch 1.13):
    /usr/bin/python3 scripts/gen-image-fixtures.py
Writes resources/fixtures/image/{resize,preprocess}.safetensors.

The preprocessing below restates SAM 3D's compute_mask_bbox / crop_around_mask_with_padding /
pad_to_square_centered / Resize semantics (architecture doc 1.4) with plain torch, since torchvision
is not installed: its tensor crop zero-fills out-of-image pixels exactly like tv_crop here.
"""
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "image"))
DTYPES = {np.float32: "F32", np.int32: "I32", np.uint8: "U8"}


def save(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[arr.dtype.type], "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    print(f"{path}: {os.path.getsize(path)} bytes")


def aa(x, size):
    return F.interpolate(x[None], size=size, mode="bilinear", align_corners=False, antialias=True)[0]


def nearest(x, size):
    return F.interpolate(x[None], size=size, mode="nearest")[0]


def u8_to_float(u8):
    return torch.from_numpy(u8).float() / 255.0


# ---- resize cases: CHW uint8 input (as float /255), 56x56 outputs -------------------------------
def resize_cases(rng):
    tensors = {}
    for name, (c, h, w), size in [
        ("down_97x83", (3, 97, 83), (56, 56)),
        ("down_130x130", (1, 130, 130), (56, 56)),
        ("up_20x30", (1, 20, 30), (56, 56)),
        ("mixed_40x100", (1, 40, 100), (56, 56)),
    ]:
        u8 = rng.integers(0, 256, size=(c, h, w), dtype=np.uint8)
        tensors[f"{name}.input"] = u8
        tensors[f"{name}.bilinear_aa"] = aa(u8_to_float(u8), size).numpy()
        # Nearest is index selection only: run it on uint8 and store uint8.
        tensors[f"{name}.nearest"] = nearest(torch.from_numpy(u8[:1]), size).numpy()
    return tensors


# ---- full preprocessing ---------------------------------------------------------------------------
def compute_mask_bbox(mask, box_size_factor):
    idx = torch.nonzero(mask)
    ys, xs = idx[:, 0], idx[:, 1]
    x0, y0, x1, y1 = xs.min().item(), ys.min().item(), xs.max().item(), ys.max().item()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw, bh = x1 - x0, y1 - y0
    assert bw >= 2 and bh >= 2
    size = int(max(bw, bh, 2) * box_size_factor)
    return (int(cx - size // 2), int(cy - size // 2), int(cx + size // 2), int(cy + size // 2))


def tv_crop(img, top, left, height, width):
    _, h, w = img.shape
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        l, t = max(-left + min(0, right), 0), max(-top + min(0, bottom), 0)
        r, b = max(right - w, 0), max(bottom - h, 0)
        return F.pad(img[..., max(top, 0):bottom, max(left, 0):right], (l, r, t, b), value=0.0)
    return img[..., top:bottom, left:right]


def crop_around_mask(rgb, mask, pointmap, box_size_factor, padding_factor):
    bbox = compute_mask_bbox(mask[0], box_size_factor)
    rgba = torch.cat([rgb, mask], 0)
    args = (bbox[1], bbox[0], bbox[3] - bbox[1], bbox[2] - bbox[0])
    rgba, pointmap = tv_crop(rgba, *args), tv_crop(pointmap, *args)
    _, H, W = rgba.shape
    m = max(H, W)
    ph, pw = (m - H) // 2, (m - W) // 2
    pad = (pw, m - W - pw, ph, m - H - ph)
    rgba = F.pad(rgba, pad, value=0.0)
    pointmap = F.pad(pointmap, pad, value=float("nan"))
    if padding_factor > 0:
        e = int(m * padding_factor)
        rgba = F.pad(rgba, (e, e, e, e), value=0.0)
        pointmap = F.pad(pointmap, (e, e, e, e), value=float("nan"))
    return rgba[:3], rgba[3:], pointmap, bbox


def pad_to_square_centered(x, value=0.0):
    _, h, w = x.shape
    d = abs(h - w)
    p1, p2 = d // 2, d - d // 2
    return F.pad(x, (p1, p2, 0, 0) if w < h else (0, 0, p1, p2), value=value)


def full_case(rng, name, h, w, mask_rect, size, padding_factor, nonsquare):
    rgb_u8 = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    y0, y1, x0, x1 = mask_rect
    mask_u8 = np.zeros((h, w), np.uint8)
    mask_u8[y0:y1 + 1, x0:x1 + 1] = rng.random((y1 - y0 + 1, x1 - x0 + 1)) < 0.7
    mask_u8[y0, x0] = mask_u8[y1, x1] = 1  # pin the bbox
    pm = rng.standard_normal((h, w, 3)).astype(np.float32)
    pm[rng.random((h, w)) < 0.05] = np.nan
    pm[rng.random((h, w)) < 0.02] = np.inf

    rgb = u8_to_float(rgb_u8).permute(2, 0, 1).contiguous()
    mask = torch.from_numpy(mask_u8).float()[None]
    pmt = torch.from_numpy(pm).permute(2, 0, 1).contiguous()

    c_rgb, c_mask, c_pm, bbox = crop_around_mask(rgb, mask, pmt, 1.2, padding_factor)
    assert c_rgb.shape[1] == c_rgb.shape[2]
    crop_hw = (bbox[3] - bbox[1], bbox[2] - bbox[0])
    assert (crop_hw[0] != crop_hw[1]) == nonsquare, (name, bbox)
    out = {
        f"{name}.rgb": rgb_u8,
        f"{name}.mask": mask_u8,
        f"{name}.pointmap": pm,
        f"{name}.box": np.array(bbox, np.int32),
        f"{name}.params": np.array([size, round(padding_factor * 1000)], np.int32),
        f"{name}.image_crop": aa(pad_to_square_centered(c_rgb), (size, size)).numpy(),
        f"{name}.image_full": aa(pad_to_square_centered(rgb), (size, size)).numpy(),
        f"{name}.mask_crop": nearest(pad_to_square_centered(c_mask), (size, size)).numpy().astype(np.uint8),
        f"{name}.mask_full": nearest(pad_to_square_centered(mask), (size, size)).numpy().astype(np.uint8),
        f"{name}.pointmap_crop": nearest(pad_to_square_centered(c_pm, float("nan")), (size, size)).numpy(),
        f"{name}.pointmap_full": nearest(pad_to_square_centered(pmt), (size, size)).numpy(),
    }
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    meta = {"torch": torch.__version__, "generator": "scripts/gen-image-fixtures.py"}
    save(os.path.join(OUT, "resize.safetensors"), resize_cases(rng), meta)
    pre = {}
    # Mask touching the left and top borders with a half-pixel centre: box (-5,-2,18,22) is 23x24, so
    # the crop is padded by one column on the right (NaN for the pointmap); image taller than wide.
    pre.update(full_case(rng, "border_tl", 45, 37, (0, 20, 0, 13), 32, 0.0, True))
    # Mask touching the right and bottom borders, half-pixel centre in y: box (6,-4,52,41) leaves the
    # image on three sides and is 46x45 (one NaN row at the bottom); wide image; padding factor 0.1
    # adds an int(46*0.1)=4 px border.
    pre.update(full_case(rng, "border_br", 33, 50, (5, 32, 10, 49), 24, 0.1, True))
    save(os.path.join(OUT, "preprocess.safetensors"), pre, meta)


if __name__ == "__main__":
    main()
