"""Writes a shard of samples and (optionally) a contact sheet.

    cd modeling && /usr/bin/python3 -m nano.data.make_shard --start 0 --count 64 --out .cache/nano/shards/train-000000.npz \
        [--sheet .cache/nano/sheet.png] [--workers 1]

Seeds are start..start+count-1 (training uses seeds >= 0 below HELDOUT_SEED_BASE; the held-out set uses
HELDOUT_SEED_BASE + i). A shard is an .npz of stacked arrays (the training tensors, see FIELDS) plus a JSON
list of per-sample metadata. Grids are quantised: sdf int8 in units of 1/(32*MESH_RES) clamped to +-4
cells, colour uint8.
"""
import argparse
import json
import os
import time

import numpy as np
from PIL import Image

from .sample import IMAGE_SIZE, MESH_RES, make_sample, preprocess

HELDOUT_SEED_BASE = 10_000_000
SDF_QUANT = 32 * MESH_RES  # int8 units per canonical length unit


def encode(sample):
    pre, box = preprocess(sample["photo"], sample["mask"])
    q = np.clip(np.round(sample["sdf"] * SDF_QUANT), -127, 127).astype(np.int8)
    return {
        "image_crop": (pre["image_crop"] * 255 + 0.5).clip(0, 255).astype(np.uint8),
        "image_full": (pre["image_full"] * 255 + 0.5).clip(0, 255).astype(np.uint8),
        "mask_crop": pre["mask_crop"].astype(np.uint8),
        "mask_full": pre["mask_full"].astype(np.uint8),
        "sdf_q": q,
        "colour": (sample["colour"] * 255 + 0.5).astype(np.uint8),
        "occupancy": np.packbits(sample["occupancy"].reshape(-1)),
        "rotation": sample["rotation"].astype(np.float32),
        "translation": sample["translation"].astype(np.float32),
        "translation_canon": sample["translation_canon"].astype(np.float32),
        "scale": np.float32(sample["scale"]),
    }, {"seed": int(sample["seed"]), "family": sample["family"], "fov": sample["fov"], "focal": sample["focal"],
        "focal0": sample["focal0"], "box": list(map(int, box)), "size": list(sample["photo"].shape[:2])}


def contact_sheet(samples, path, cols=8):
    tiles = []
    for s in samples:
        ph = Image.fromarray(s["photo"]).resize((128, 128))
        mk = Image.fromarray((s["mask"] * 255).astype(np.uint8)).resize((128, 128))
        tile = Image.new("RGB", (128, 160), (255, 255, 255))
        tile.paste(ph, (0, 0))
        tile.paste(mk.resize((32, 32)).convert("RGB"), (0, 128))
        tiles.append(tile)
    rows = (len(tiles) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * 130, rows * 162), (255, 255, 255))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % cols) * 130, (i // cols) * 162))
    sheet.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sheet")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    t0 = time.time()
    arrays, meta, keep = {}, [], []
    for seed in range(args.start, args.start + args.count):
        s = make_sample(seed)
        a, m = encode(s)
        for k, v in a.items():
            arrays.setdefault(k, []).append(v)
        meta.append(m)
        if args.sheet:
            keep.append({"photo": s["photo"], "mask": s["mask"]})
    # Temp file + rename: an interrupted run leaves no half shard that a resumed train_all.sh would skip.
    tmp = args.out + ".tmp.npz"
    np.savez_compressed(tmp, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
                        **{k: np.stack(v) for k, v in arrays.items()})
    os.replace(tmp, args.out)
    dt = time.time() - t0
    print(f"wrote {args.out}: {args.count} samples in {dt:.1f} s ({dt / args.count:.2f} s/sample), "
          f"{os.path.getsize(args.out) / 1e6:.1f} MB")
    if args.sheet:
        contact_sheet(keep, args.sheet)
        print(f"wrote {args.sheet}")


if __name__ == "__main__":
    main()
