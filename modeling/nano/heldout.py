"""Held-out synthetic evaluation inputs for `fsam3d bench` (DESIGN.md section 6).

    cd modeling && nice -n 10 /usr/bin/python3 -m nano.heldout --count 256 --out .cache/nano/heldout

With --folders (the layout of resources/samples/):
    cd modeling && /usr/bin/python3 -m nano.heldout --count 6 --folders --out ../resources/samples

Writes, for seed HELDOUT_SEED_BASE + i: NAME.png (photo, no EXIF), NAME.mask.png, NAME.gt.glb (ground-truth
mesh: the generator's corner sdf + colour on the fine cubes of the surface band and of the interior, through
the reference FlexiCubes at res 64, canonical z-up -> glTF y-up like the engine's GLB) and NAME.json (family, field of view,
the layout in the canonical 60-degree camera and gauge the network learns: quaternion w,x,y,z, translation,
scale); with --folders, NAME/photo.png, NAME/mask.png, NAME/gt.glb and NAME/truth.json instead.
"""
import argparse
import json
import os
import struct

import numpy as np
import torch
from PIL import Image

from fsam3d_ref.flexicubes import flexicubes_mesh
from fsam3d_ref.pipeline import matrix_to_quaternion

from . import config as C
from . import sparse as SP
from .data.make_shard import HELDOUT_SEED_BASE
from .data.sample import make_sample
from .dataset import CORNERS

Y_UP = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]], np.float32)  # rows: v @ M (manifest output.zUpToYUp)


def gt_mesh(sample):
    """Closed GT mesh from the sample's grids: the decoder's training target (the fine cubes of the surface
    band) plus every fine cube with a corner inside the shape, so the true negative sdf fills the interior and
    FlexiCubes leaves no hidden inner shell (the engine's fillInterior does the same for predictions)."""
    band = SP.subdivide_coords(np.argwhere(sample["occupancy"]))  # fine cubes at res 64
    sdf_grid = sample["sdf"]
    corner_min = np.min([sdf_grid[i:i + C.MESH_RES, j:j + C.MESH_RES, k:k + C.MESH_RES]
                         for i, j, k in CORNERS], axis=0)
    inside = np.argwhere(corner_min < 0).astype(np.int32)
    coords = SP.sort_coords(np.unique(np.concatenate([band, inside]), axis=0))
    p = coords.astype(np.int64)[:, None, :] + CORNERS[None]
    sdf = sample["sdf"][p[..., 0], p[..., 1], p[..., 2]]
    rgb = np.clip(sample["colour"][p[..., 0], p[..., 1], p[..., 2]], 1e-4, 1 - 1e-4)
    logit = np.log(rgb / (1 - rgb))
    feats = np.zeros((len(coords), C.MESH_CHANNELS), np.float32)
    feats[:, 0:8] = sdf - C.MESH_SDF_BIAS
    col = np.zeros((len(coords), 8, 6), np.float32)
    col[..., :3] = logit
    feats[:, 53:101] = col.reshape(-1, 48)
    v, f, c = flexicubes_mesh(torch.from_numpy(coords), torch.from_numpy(feats), C.MESH_RES, C.MESH_SDF_BIAS, 0.99,
                              C.MESH_LAYOUT)
    return v.numpy(), f.numpy().astype(np.uint32), c.numpy()


def write_glb(path, verts, faces, colors):
    """Minimal glTF 2.0 binary: POSITION, COLOR_0 (float RGB), uint32 indices."""
    v = np.ascontiguousarray(verts, np.float32)
    c = np.ascontiguousarray(colors, np.float32)
    i = np.ascontiguousarray(faces, np.uint32).reshape(-1)
    blobs = [v.tobytes(), c.tobytes(), i.tobytes()]
    offs = np.cumsum([0] + [len(b) for b in blobs])
    gltf = {
        "asset": {"version": "2.0", "generator": "modeling/nano/heldout.py"},
        "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "COLOR_0": 1}, "indices": 2}]}],
        "buffers": [{"byteLength": int(offs[-1])}],
        "bufferViews": [{"buffer": 0, "byteOffset": int(offs[k]), "byteLength": len(blobs[k]),
                         "target": 34962 if k < 2 else 34963} for k in range(3)],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": len(v), "type": "VEC3",
             "min": v.min(0).tolist(), "max": v.max(0).tolist()},
            {"bufferView": 1, "componentType": 5126, "count": len(c), "type": "VEC3"},
            {"bufferView": 2, "componentType": 5125, "count": len(i), "type": "SCALAR"},
        ],
    }
    js = json.dumps(gltf).encode()
    js += b" " * (-len(js) % 4)
    bin_ = b"".join(blobs)
    bin_ += b"\0" * (-len(bin_) % 4)
    with open(path, "wb") as f:
        f.write(struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(bin_)))
        f.write(struct.pack("<II", len(js), 0x4E4F534A) + js)
        f.write(struct.pack("<II", len(bin_), 0x004E4942) + bin_)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=256)
    ap.add_argument("--out", required=True)
    ap.add_argument("--folders", action="store_true", help="one folder per sample, as in resources/samples")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.start, args.start + args.count):
        seed = HELDOUT_SEED_BASE + i
        name = f"heldout-{i:04d}"
        s = make_sample(seed)
        if args.folders:
            name = f"synthetic-{i:02d}-{s['family']}"
            os.makedirs(os.path.join(args.out, name), exist_ok=True)
        path = (lambda f: os.path.join(args.out, name, f)) if args.folders else \
            (lambda f: os.path.join(args.out, name + "." + f.replace("photo.", "").replace("truth.", "")))
        Image.fromarray(s["photo"]).save(path("photo.png"))
        Image.fromarray(s["mask"] * 255).save(path("mask.png"))
        v, f, c = gt_mesh(s)
        write_glb(path("gt.glb"), v @ Y_UP, f, c)
        t = s["translation_canon"]
        k = C.LAYOUT_DEPTH / t[2]
        q = matrix_to_quaternion(torch.from_numpy(s["rotation"])).tolist()
        meta = {"seed": seed, "family": s["family"], "fov_deg_true": s["fov"], "fov_deg_layout": C.DEFAULT_FOV_DEG,
                "pose": {"quaternion": q, "translation": (t * k).tolist(), "scale": float(s["scale"] * k),
                         "rotation_rowform": s["rotation"].reshape(-1).tolist()},
                "mesh": {"vertices": len(v), "faces": len(f)}}
        with open(path("truth.json"), "w") as fh:
            json.dump(meta, fh, indent=1)
        print(name, s["family"], f"{len(v)} vertices, {len(f)} faces", flush=True)


if __name__ == "__main__":
    main()
